"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
function _export(target, all) {
    for(var name in all)Object.defineProperty(target, name, {
        enumerable: true,
        get: Object.getOwnPropertyDescriptor(all, name).get
    });
}
_export(exports, {
    get PublishedListsCache () {
        return PublishedListsCache;
    },
    get serializeList () {
        return serializeList;
    }
});
const _common = require("@nestjs/common");
const _pg = require("pg");
const _config = require("../../../libs/config/src");
const _database = require("../../../libs/database/src");
const _logging = require("../../../libs/logging/src");
const _ranking = require("../../../libs/ranking/src");
const _publishedlistsrepository = require("./published-lists.repository");
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
/** Dates whose lists are kept in memory besides the latest (least recently used are dropped). */ const CACHED_DATES = 31;
const RECONNECT_DELAY_MS = 1000;
let PublishedListsCache = class PublishedListsCache {
    config;
    repository;
    logger = new _logging.JsonLogger('api');
    publications = new Map();
    latestDate;
    knownAdvertisers = new Set();
    dates = new Map();
    listener;
    closing = false;
    changeListeners = [];
    constructor(config, repository){
        this.config = config;
        this.repository = repository;
    }
    async onModuleInit() {
        await this.listen();
        await this.reloadAll();
    }
    async onApplicationShutdown() {
        this.closing = true;
        await this.listener?.end().catch(()=>undefined);
    }
    get latestPublishedDate() {
        return this.latestDate;
    }
    /** Published dates, newest first. */ get publishedDates() {
        return [
            ...this.publications.keys()
        ].sort().reverse();
    }
    /** Calls `listener` after every reload caused by a publication (or a reconnect). */ onChange(listener) {
        this.changeListeners.push(listener);
    }
    async lookup(advertiserId, model, date) {
        if (!this.knownAdvertisers.has(advertiserId)) return {
            kind: 'unknown_advertiser'
        };
        const day = date ?? this.latestDate;
        const runId = day === undefined ? undefined : this.publications.get(day);
        if (day === undefined || runId === undefined) return {
            kind: 'no_published_run',
            date
        };
        const fromCache = this.dates.has(day);
        const list = (await this.listsOf(day, runId)).lists.get(`${advertiserId}\u0000${model}`);
        // A known advertiser that was not active that day: known, nothing to recommend.
        return {
            kind: 'found',
            body: (list ?? serializeList(advertiserId, model, day, runId, [])).body,
            fromCache
        };
    }
    /**
   * Both models' lists for the last `days` published dates up to the latest,
   * newest first, as a ready JSON body; undefined for an unknown advertiser.
   */ async history(advertiserId, days) {
        if (!this.knownAdvertisers.has(advertiserId)) return undefined;
        const entries = [];
        for (const date of this.publishedDates.slice(0, days)){
            const runId = this.publications.get(date);
            const { lists } = await this.listsOf(date, runId);
            const items = (model)=>lists.get(`${advertiserId}\u0000${model}`)?.itemsJson ?? '[]';
            entries.push(`{"date":${JSON.stringify(date)},"runId":${JSON.stringify(runId)},"top_ctr":${items('top_ctr')},"top_product":${items('top_product')}}`);
        }
        return `{"advertiserId":${JSON.stringify(advertiserId)},"days":${days},"history":[${entries.join(',')}]}`;
    }
    listsOf(date, runId) {
        let entry = this.dates.get(date);
        if (entry) {
            // Re-insert to mark it most recently used.
            this.dates.delete(date);
            this.dates.set(date, entry);
            return entry;
        }
        entry = this.loadDate(date, runId);
        entry.catch(()=>this.dates.delete(date));
        this.dates.set(date, entry);
        for (const cached of this.dates.keys()){
            if (this.dates.size <= CACHED_DATES + 1) break;
            if (cached !== this.latestDate) this.dates.delete(cached);
        }
        return entry;
    }
    async loadDate(date, runId) {
        const rows = await this.repository.listsOfRun(runId);
        const lists = new Map();
        for (const row of rows){
            lists.set(`${row.advertiserId}\u0000${row.model}`, serializeList(row.advertiserId, row.model, date, runId, row.items));
        }
        return {
            runId,
            lists
        };
    }
    async reloadAll() {
        const [publications, known] = await Promise.all([
            this.repository.publications(),
            this.repository.knownAdvertisers()
        ]);
        this.publications = publications;
        this.knownAdvertisers = known;
        this.latestDate = [
            ...publications.keys()
        ].sort().at(-1);
        for (const [date, entry] of this.dates){
            const current = publications.get(date);
            const cached = await entry.catch(()=>undefined);
            if (!cached || cached.runId !== current) this.dates.delete(date);
        }
        if (this.latestDate) await this.listsOf(this.latestDate, publications.get(this.latestDate));
        for (const listener of this.changeListeners)listener();
    }
    async listen() {
        const url = this.config.database.readOnlyUrl ?? (0, _config.requireDatabaseUrl)(this.config);
        const client = new _pg.Client({
            connectionString: url,
            ssl: this.config.database.ssl ? {
                rejectUnauthorized: false
            } : undefined
        });
        client.on('notification', ()=>{
            this.reloadAll().catch((error)=>this.logger.warn('reload after publication failed', {
                    err: (0, _logging.serializeError)(error)
                }));
        });
        client.on('error', (error)=>{
            this.logger.warn('publication listener lost its connection', {
                err: (0, _logging.serializeError)(error)
            });
            this.reconnect(client);
        });
        client.on('end', ()=>this.reconnect(client));
        await client.connect();
        await client.query(`LISTEN ${_database.PUBLICATION_CHANNEL}`);
        this.listener = client;
    }
    reconnect(failed) {
        if (this.closing || this.listener !== failed) return;
        this.listener = undefined;
        failed.removeAllListeners();
        failed.end().catch(()=>undefined);
        setTimeout(()=>{
            this.listen().then(()=>this.reloadAll()).catch((error)=>{
                this.logger.warn('publication listener reconnect failed', {
                    err: (0, _logging.serializeError)(error)
                });
                this.listener = failed;
                this.reconnect(failed);
            });
        }, RECONNECT_DELAY_MS).unref();
    }
};
PublishedListsCache = _ts_decorate([
    (0, _common.Injectable)(),
    _ts_param(0, (0, _common.Inject)(_config.APP_CONFIG)),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _config.AppConfig === "undefined" ? Object : _config.AppConfig,
        typeof _publishedlistsrepository.PublishedListsRepository === "undefined" ? Object : _publishedlistsrepository.PublishedListsRepository
    ])
], PublishedListsCache);
function serializeList(advertiserId, model, date, runId, items) {
    const ranked = model === 'top_ctr' ? items.map((item, index)=>({
            rank: index + 1,
            productId: item.productId,
            clicks: item.clicks,
            impressions: item.impressions,
            ctr: (0, _ranking.clickThroughRate)({
                productId: item.productId,
                clicks: item.clicks,
                impressions: item.impressions
            })
        })) : items.map((item, index)=>({
            rank: index + 1,
            productId: item.productId,
            views: item.views
        }));
    const itemsJson = JSON.stringify(ranked);
    const body = `{"advertiserId":${JSON.stringify(advertiserId)},"model":"${model}","date":"${date}","runId":${JSON.stringify(runId)},"items":${itemsJson}}`;
    return {
        body,
        itemsJson
    };
}

//# sourceMappingURL=published-lists.cache.js.map