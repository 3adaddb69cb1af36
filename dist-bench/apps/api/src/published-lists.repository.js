"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "PublishedListsRepository", {
    enumerable: true,
    get: function() {
        return PublishedListsRepository;
    }
});
const _common = require("@nestjs/common");
const _pg = require("pg");
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
let PublishedListsRepository = class PublishedListsRepository {
    pool;
    constructor(pool){
        this.pool = pool;
    }
    /** Published run of every date. */ async publications() {
        const result = await this.pool.query('SELECT run_date, run_id FROM publications ORDER BY run_date');
        return new Map(result.rows.map((row)=>[
                row.run_date,
                row.run_id
            ]));
    }
    async knownAdvertisers() {
        const result = await this.pool.query('SELECT advertiser_id FROM known_advertisers');
        return new Set(result.rows.map((row)=>row.advertiser_id));
    }
    /** Every list of one run. */ async listsOfRun(runId) {
        const result = await this.pool.query(`SELECT advertiser_id AS "advertiserId", model, items FROM recommendations WHERE run_id = $1`, [
            runId
        ]);
        return result.rows;
    }
};
PublishedListsRepository = _ts_decorate([
    (0, _common.Injectable)(),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _pg.Pool === "undefined" ? Object : _pg.Pool
    ])
], PublishedListsRepository);

//# sourceMappingURL=published-lists.repository.js.map