"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "RunLayout", {
    enumerable: true,
    get: function() {
        return RunLayout;
    }
});
let RunLayout = class RunLayout {
    runsPrefix;
    constructor(runsPrefix){
        this.runsPrefix = runsPrefix;
    }
    runRoot(runDate, runId) {
        return `${this.runsPrefix}${runDate}/${runId}/`;
    }
    partitionKey(runDate, runId, advertiserId) {
        return `${this.runRoot(runDate, runId)}partitions/${encodeURIComponent(advertiserId)}.csv`;
    }
    resultKey(runDate, runId, model, advertiserId) {
        return `${this.runRoot(runDate, runId)}results/${model}/${encodeURIComponent(advertiserId)}.json`;
    }
    ingestReportKey(runDate, runId) {
        return `${this.runRoot(runDate, runId)}ingest-report.json`;
    }
    badLinesSampleKey(runDate, runId) {
        return `${this.runRoot(runDate, runId)}bad-lines-sample.csv`;
    }
};

//# sourceMappingURL=run-layout.js.map