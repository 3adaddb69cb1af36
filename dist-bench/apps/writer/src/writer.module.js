"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "WriterModule", {
    enumerable: true,
    get: function() {
        return WriterModule;
    }
});
const _common = require("@nestjs/common");
const _pg = require("pg");
const _config = require("../../../libs/config/src");
const _database = require("../../../libs/database/src");
const _messaging = require("../../../libs/messaging/src");
const _resultconsumer = require("./result.consumer");
const _resultsrepository = require("./results.repository");
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
let WriterModule = class WriterModule {
    static forRoot(config) {
        return {
            module: WriterModule,
            imports: [
                _config.ConfigModule.forRoot(config),
                _database.DatabaseModule,
                _messaging.MessagingModule
            ],
            providers: [
                {
                    provide: _resultsrepository.ResultsRepository,
                    inject: [
                        _pg.Pool
                    ],
                    useFactory: (pool)=>new _resultsrepository.ResultsRepository(pool)
                },
                _resultconsumer.ResultConsumer
            ]
        };
    }
};
WriterModule = _ts_decorate([
    (0, _common.Module)({})
], WriterModule);

//# sourceMappingURL=writer.module.js.map