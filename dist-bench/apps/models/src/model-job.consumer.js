"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "ModelJobConsumer", {
    enumerable: true,
    get: function() {
        return ModelJobConsumer;
    }
});
const _common = require("@nestjs/common");
const _config = require("../../../libs/config/src");
const _contracts = require("../../../libs/contracts/src");
const _logging = require("../../../libs/logging/src");
const _messaging = require("../../../libs/messaging/src");
const _modeljobhandler = require("./model-job.handler");
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
let ModelJobConsumer = class ModelJobConsumer {
    consumer;
    constructor(config, queues, handler){
        this.consumer = new _messaging.QueueConsumer(queues, {
            queue: 'jobs',
            messageType: _contracts.ModelJobMessage,
            batchSize: config.pipeline.modelsBatchSize,
            visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
            logger: new _logging.JsonLogger('models'),
            handle: (jobs)=>handler.computeBatch(jobs)
        });
    }
    async onApplicationBootstrap() {
        await this.consumer.start();
    }
    async beforeApplicationShutdown() {
        await this.consumer.stop();
    }
};
ModelJobConsumer = _ts_decorate([
    (0, _common.Injectable)(),
    _ts_param(0, (0, _common.Inject)(_config.APP_CONFIG)),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _config.AppConfig === "undefined" ? Object : _config.AppConfig,
        typeof _messaging.QueueDirectory === "undefined" ? Object : _messaging.QueueDirectory,
        typeof _modeljobhandler.ModelJobHandler === "undefined" ? Object : _modeljobhandler.ModelJobHandler
    ])
], ModelJobConsumer);

//# sourceMappingURL=model-job.consumer.js.map