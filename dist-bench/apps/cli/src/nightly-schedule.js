"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "armNightlySchedule", {
    enumerable: true,
    get: function() {
        return armNightlySchedule;
    }
});
const _croner = require("croner");
const _contracts = require("../../../libs/contracts/src");
const _logging = require("../../../libs/logging/src");
const _triggers = require("./triggers");
function armNightlySchedule(cron, windowDays, publisher, logger) {
    const job = new _croner.Cron(cron, {
        timezone: 'UTC',
        protect: true
    }, async ()=>{
        const runDate = (0, _contracts.addDays)((0, _contracts.todayUtc)(), -1);
        try {
            const [trigger] = await (0, _triggers.sendTriggers)(publisher, [
                runDate
            ], windowDays);
            logger.info('nightly run triggered', {
                runId: trigger.runId,
                runDate
            });
        } catch (error) {
            logger.error('nightly trigger failed', {
                runDate,
                err: (0, _logging.serializeError)(error)
            });
        }
    });
    logger.info('nightly schedule armed', {
        cron,
        next: job.nextRun()?.toISOString()
    });
    return job;
}

//# sourceMappingURL=nightly-schedule.js.map