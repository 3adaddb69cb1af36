"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "toRunView", {
    enumerable: true,
    get: function() {
        return toRunView;
    }
});
function seconds(from, to) {
    return from && to ? (to.getTime() - from.getTime()) / 1000 : null;
}
function toRunView(run) {
    return {
        runId: run.runId,
        runDate: run.runDate,
        windowDays: run.windowDays,
        status: run.stuck ? 'stuck' : run.status,
        progress: {
            jobsDone: run.jobsDone,
            jobsTotal: run.jobsTotal
        },
        timings: {
            triggeredAt: run.triggeredAt.toISOString(),
            ingestStartedAt: run.ingestStartedAt?.toISOString() ?? null,
            ingestFinishedAt: run.ingestFinishedAt?.toISOString() ?? null,
            firstResultAt: run.firstResultAt?.toISOString() ?? null,
            finishedAt: run.finishedAt?.toISOString() ?? null,
            ingestSeconds: seconds(run.ingestStartedAt, run.ingestFinishedAt),
            totalSeconds: seconds(run.triggeredAt, run.finishedAt)
        },
        inputCounts: run.inputCounts,
        badLines: run.badLines,
        error: run.errorCode ? {
            code: run.errorCode,
            message: run.errorMessage ?? ''
        } : null
    };
}

//# sourceMappingURL=run.view.js.map