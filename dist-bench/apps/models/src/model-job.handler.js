"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "ModelJobHandler", {
    enumerable: true,
    get: function() {
        return ModelJobHandler;
    }
});
const _common = require("@nestjs/common");
const _logging = require("../../../libs/logging/src");
const _messaging = require("../../../libs/messaging/src");
const _ranking = require("../../../libs/ranking/src");
const _storage = require("../../../libs/storage/src");
function _ts_decorate(decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") {
        r = Reflect.decorate(decorators, target, key, desc);
    } else {
        for(var i = decorators.length - 1; i >= 0; i--){
            if (d = decorators[i]) {
                r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
            }
        }
    }
    return c > 3 && r && Object.defineProperty(target, key, r), r;
}
function _ts_metadata(metadataKey, metadataValue) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") {
        return Reflect.metadata(metadataKey, metadataValue);
    }
}
let ModelJobHandler = class ModelJobHandler {
    store;
    layout;
    publisher;
    logger = new _logging.JsonLogger('models');
    constructor(store, layout, publisher){
        this.store = store;
        this.layout = layout;
        this.publisher = publisher;
    }
    /** Returns the jobs whose results were written and emitted; the others stay for redelivery. */ async computeBatch(jobs) {
        // Both models of an advertiser often arrive together; read its partition once.
        const partitions = new Map();
        const outcomes = await Promise.allSettled(jobs.map(async (job)=>{
            let partition = partitions.get(job.body.partitionKey);
            if (!partition) {
                partition = this.store.getText(job.body.partitionKey).then((text)=>(0, _storage.parsePartition)(text, job.body.partitionKey));
                partitions.set(job.body.partitionKey, partition);
            }
            return this.computeResult(job.body, await partition);
        }));
        const done = [];
        const results = [];
        outcomes.forEach((outcome, index)=>{
            if (outcome.status === 'fulfilled') {
                done.push(jobs[index]);
                results.push(outcome.value);
            } else {
                const { runId, advertiserId, model } = jobs[index].body;
                this.logger.warn('job left for redelivery', {
                    runId,
                    advertiserId,
                    model,
                    err: (0, _logging.serializeError)(outcome.reason)
                });
            }
        });
        await this.publisher.publish('results', results);
        return done;
    }
    async computeResult(job, products) {
        const ranked = job.model === 'top_ctr' ? (0, _ranking.rankTopCtr)(products) : {
            items: (0, _ranking.rankTopProduct)(products),
            clicksWithoutImpressions: 0
        };
        const resultKey = this.layout.resultKey(job.runDate, job.runId, job.model, job.advertiserId);
        const result = {
            runId: job.runId,
            runDate: job.runDate,
            advertiserId: job.advertiserId,
            model: job.model,
            resultKey,
            items: ranked.items,
            clicksWithoutImpressions: ranked.clicksWithoutImpressions
        };
        await this.store.put(resultKey, JSON.stringify(result), 'application/json');
        return result;
    }
};
ModelJobHandler = _ts_decorate([
    (0, _common.Injectable)(),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _storage.ObjectStore === "undefined" ? Object : _storage.ObjectStore,
        typeof _storage.RunLayout === "undefined" ? Object : _storage.RunLayout,
        typeof _messaging.QueuePublisher === "undefined" ? Object : _messaging.QueuePublisher
    ])
], ModelJobHandler);

//# sourceMappingURL=model-job.handler.js.map