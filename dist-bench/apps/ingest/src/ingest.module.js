"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "IngestModule", {
    enumerable: true,
    get: function() {
        return IngestModule;
    }
});
const _common = require("@nestjs/common");
const _config = require("../../../libs/config/src");
const _database = require("../../../libs/database/src");
const _messaging = require("../../../libs/messaging/src");
const _storage = require("../../../libs/storage/src");
const _ingestservice = require("./ingest.service");
const _triggerconsumer = require("./trigger.consumer");
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
let IngestModule = class IngestModule {
    static forRoot(config) {
        return {
            module: IngestModule,
            imports: [
                _config.ConfigModule.forRoot(config),
                _database.DatabaseModule,
                _storage.StorageModule,
                _messaging.MessagingModule
            ],
            providers: [
                _ingestservice.IngestService,
                _triggerconsumer.TriggerConsumer
            ]
        };
    }
};
IngestModule = _ts_decorate([
    (0, _common.Module)({})
], IngestModule);

//# sourceMappingURL=ingest.module.js.map