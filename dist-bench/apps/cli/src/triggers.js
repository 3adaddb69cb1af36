"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
function _export(target, all) {
    for(var name in all)Object.defineProperty(target, name, {
        enumerable: true,
        get: Object.getOwnPropertyDescriptor(all, name).get
    });
}
_export(exports, {
    get newTrigger () {
        return newTrigger;
    },
    get sendTriggers () {
        return sendTriggers;
    }
});
const _nodecrypto = require("node:crypto");
function newTrigger(runDate, windowDays) {
    return {
        runId: `${runDate}-${(0, _nodecrypto.randomUUID)().slice(0, 8)}`,
        runDate,
        windowDays,
        triggeredAt: new Date().toISOString()
    };
}
async function sendTriggers(publisher, dates, windowDays) {
    const triggers = dates.map((date)=>newTrigger(date, windowDays));
    await publisher.publish('trigger', triggers);
    return triggers;
}

//# sourceMappingURL=triggers.js.map