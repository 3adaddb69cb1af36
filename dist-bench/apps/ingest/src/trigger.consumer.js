"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "TriggerConsumer", {
    enumerable: true,
    get: function() {
        return TriggerConsumer;
    }
});
const _common = require("@nestjs/common");
const _config = require("../../../libs/config/src");
const _contracts = require("../../../libs/contracts/src");
const _logging = require("../../../libs/logging/src");
const _messaging = require("../../../libs/messaging/src");
const _ingestservice = require("./ingest.service");
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
function _ts_param(paramIndex, decorator) {
    return function(target, key) {
        decorator(target, key, paramIndex);
    };
}
let TriggerConsumer = class TriggerConsumer {
    consumer;
    constructor(config, queues, ingest){
        this.consumer = new _messaging.QueueConsumer(queues, {
            queue: 'trigger',
            messageType: _contracts.TriggerMessage,
            batchSize: 1,
            visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
            logger: new _logging.JsonLogger('ingest'),
            handle: async (messages)=>{
                for (const { body } of messages)await ingest.ingestRun(body);
                return messages;
            }
        });
    }
    async onApplicationBootstrap() {
        await this.consumer.start();
    }
    async beforeApplicationShutdown() {
        await this.consumer.stop();
    }
};
TriggerConsumer = _ts_decorate([
    (0, _common.Injectable)(),
    _ts_param(0, (0, _common.Inject)(_config.APP_CONFIG)),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _config.AppConfig === "undefined" ? Object : _config.AppConfig,
        typeof _messaging.QueueDirectory === "undefined" ? Object : _messaging.QueueDirectory,
        typeof _ingestservice.IngestService === "undefined" ? Object : _ingestservice.IngestService
    ])
], TriggerConsumer);

//# sourceMappingURL=trigger.consumer.js.map