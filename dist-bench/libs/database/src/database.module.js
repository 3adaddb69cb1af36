"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "DatabaseModule", {
    enumerable: true,
    get: function() {
        return DatabaseModule;
    }
});
const _common = require("@nestjs/common");
const _pg = require("pg");
const _config = require("../../config/src");
const _logging = require("../../logging/src");
const _databasepool = require("./database.pool");
const _runsrepository = require("./runs.repository");
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
let DatabaseModule = class DatabaseModule {
    pool;
    constructor(pool){
        this.pool = pool;
    }
    async onApplicationShutdown() {
        await this.pool.end();
    }
};
DatabaseModule = _ts_decorate([
    (0, _common.Global)(),
    (0, _common.Module)({
        providers: [
            {
                provide: _pg.Pool,
                inject: [
                    _config.APP_CONFIG
                ],
                useFactory: (config)=>(0, _databasepool.createPool)({
                        url: (0, _config.requireDatabaseUrl)(config),
                        size: config.database.poolSize,
                        ssl: config.database.ssl,
                        applicationName: 'adrec'
                    }, new _logging.JsonLogger('database'))
            },
            {
                provide: _runsrepository.RunsRepository,
                inject: [
                    _pg.Pool
                ],
                useFactory: (pool)=>new _runsrepository.RunsRepository(pool)
            }
        ],
        exports: [
            _pg.Pool,
            _runsrepository.RunsRepository
        ]
    }),
    _ts_param(0, (0, _common.Inject)(_pg.Pool)),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _pg.Pool === "undefined" ? Object : _pg.Pool
    ])
], DatabaseModule);

//# sourceMappingURL=database.module.js.map