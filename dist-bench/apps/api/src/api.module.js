"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "ApiModule", {
    enumerable: true,
    get: function() {
        return ApiModule;
    }
});
const _common = require("@nestjs/common");
const _pg = require("pg");
const _config = require("../../../libs/config/src");
const _database = require("../../../libs/database/src");
const _logging = require("../../../libs/logging/src");
const _publishedlistscache = require("./published-lists.cache");
const _publishedlistsrepository = require("./published-lists.repository");
const _healthcontroller = require("./health.controller");
const _recommendationscontroller = require("./recommendations.controller");
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
let ApiModule = class ApiModule {
    pool;
    constructor(pool){
        this.pool = pool;
    }
    static forRoot(config) {
        return {
            module: ApiModule,
            imports: [
                _config.ConfigModule.forRoot(config)
            ],
            controllers: [
                _recommendationscontroller.RecommendationsController,
                _healthcontroller.HealthController
            ],
            providers: [
                {
                    provide: _pg.Pool,
                    inject: [
                        _config.APP_CONFIG
                    ],
                    useFactory: (c)=>(0, _database.createPool)({
                            url: c.database.readOnlyUrl ?? (0, _config.requireDatabaseUrl)(c),
                            size: c.database.poolSize,
                            ssl: c.database.ssl,
                            applicationName: 'adrec-api'
                        }, new _logging.JsonLogger('api'))
                },
                {
                    provide: _publishedlistsrepository.PublishedListsRepository,
                    inject: [
                        _pg.Pool
                    ],
                    useFactory: (pool)=>new _publishedlistsrepository.PublishedListsRepository(pool)
                },
                _publishedlistscache.PublishedListsCache
            ]
        };
    }
    async onApplicationShutdown() {
        await this.pool.end();
    }
};
ApiModule = _ts_decorate([
    (0, _common.Module)({}),
    _ts_param(0, (0, _common.Inject)(_pg.Pool)),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _pg.Pool === "undefined" ? Object : _pg.Pool
    ])
], ApiModule);

//# sourceMappingURL=api.module.js.map