"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "MessagingModule", {
    enumerable: true,
    get: function() {
        return MessagingModule;
    }
});
const _common = require("@nestjs/common");
const _config = require("../../config/src");
const _queuepublisher = require("./queue-publisher");
const _queues = require("./queues");
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
let MessagingModule = class MessagingModule {
};
MessagingModule = _ts_decorate([
    (0, _common.Global)(),
    (0, _common.Module)({
        providers: [
            {
                provide: _queues.QueueDirectory,
                inject: [
                    _config.APP_CONFIG
                ],
                useFactory: (config)=>new _queues.QueueDirectory((0, _queues.createSqsClient)(config), config)
            },
            {
                provide: _queuepublisher.QueuePublisher,
                inject: [
                    _queues.QueueDirectory
                ],
                useFactory: (queues)=>new _queuepublisher.QueuePublisher(queues)
            }
        ],
        exports: [
            _queues.QueueDirectory,
            _queuepublisher.QueuePublisher
        ]
    })
], MessagingModule);

//# sourceMappingURL=messaging.module.js.map