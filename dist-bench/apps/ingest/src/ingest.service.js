"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "IngestService", {
    enumerable: true,
    get: function() {
        return IngestService;
    }
});
const _common = require("@nestjs/common");
const _config = require("../../../libs/config/src");
const _contracts = require("../../../libs/contracts/src");
const _csv = require("../../../libs/csv/src");
const _database = require("../../../libs/database/src");
const _logging = require("../../../libs/logging/src");
const _messaging = require("../../../libs/messaging/src");
const _storage = require("../../../libs/storage/src");
const _logaggregator = require("./log-aggregator");
const _rawdatasetslocator = require("./raw-datasets.locator");
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
/** Partition uploads in flight at once. */ const UPLOAD_CONCURRENCY = 16;
let IngestService = class IngestService {
    config;
    store;
    layout;
    runs;
    publisher;
    logger = new _logging.JsonLogger('ingest');
    constructor(config, store, layout, runs, publisher){
        this.config = config;
        this.store = store;
        this.layout = layout;
        this.runs = runs;
        this.publisher = publisher;
    }
    /**
   * Turns a trigger into a run: filters the window's logs, writes one
   * partition per active advertiser, records the jobs and emits them.
   * Safe to run twice: a finished run is skipped, a run whose ingest already
   * completed only re-emits the jobs that have no result yet, and an ingest
   * cut short is redone from the start (its S3 keys are deterministic).
   */ async ingestRun(trigger) {
        const log = this.logger.child({
            runId: trigger.runId,
            runDate: trigger.runDate
        });
        const run = await this.runs.register({
            runId: trigger.runId,
            runDate: trigger.runDate,
            windowDays: trigger.windowDays,
            triggeredAt: trigger.triggeredAt ? new Date(trigger.triggeredAt) : new Date()
        });
        if (run.status === 'published' || run.status === 'superseded' || run.status === 'failed') {
            log.info('trigger for a finished run ignored', {
                status: run.status
            });
            return 'SKIPPED';
        }
        if (run.status === 'running') {
            const sent = await this.emitPendingJobs(run);
            log.info('ingest already done; pending jobs re-emitted', {
                jobs: sent
            });
            return 'SKIPPED';
        }
        try {
            await this.filterAndPartition(run, log);
        } catch (error) {
            if (error instanceof _contracts.AdrecError && error.code.startsWith('INGEST.')) {
                await this.runs.fail(run.runId, {
                    code: error.code,
                    message: error.message
                }, error.details);
                log.error('run failed', {
                    code: error.code,
                    reason: error.message
                });
                return 'FAILED';
            }
            throw error;
        }
        const sent = await this.emitPendingJobs(await this.runs.find(run.runId));
        log.info('jobs emitted', {
            jobs: sent
        });
        return 'SUCCESS';
    }
    async filterAndPartition(run, log) {
        const started = Date.now();
        const rawPrefix = this.config.storage.rawPrefix;
        const dates = (0, _contracts.windowDates)(run.runDate, run.windowDays);
        const [advertiserObjects, productViewObjects, adEventObjects] = await Promise.all([
            (0, _rawdatasetslocator.locateDataset)(this.store, rawPrefix, 'advertiser_ids', [
                run.runDate
            ]),
            (0, _rawdatasetslocator.locateDataset)(this.store, rawPrefix, 'product_views', dates),
            (0, _rawdatasetslocator.locateDataset)(this.store, rawPrefix, 'ads_views', dates)
        ]);
        const active = await this.readActiveAdvertisers(advertiserObjects);
        const aggregator = new _logaggregator.LogAggregator(active, dates);
        for (const object of productViewObjects)await this.readLogObject(object, 'product_views', aggregator);
        for (const object of adEventObjects)await this.readLogObject(object, 'ads_views', aggregator);
        const inputCounts = {
            ...aggregator.inputCounts,
            activeAdvertisers: active.size,
            objectsRead: advertiserObjects.length + productViewObjects.length + adEventObjects.length
        };
        const badLines = {
            ...aggregator.badLines,
            total: aggregator.totalBadLines
        };
        await this.writeReport(run, inputCounts, badLines, aggregator);
        const ratio = aggregator.totalLines === 0 ? 0 : aggregator.totalBadLines / aggregator.totalLines;
        if (ratio > this.config.pipeline.badLineThreshold) {
            throw new _contracts.AdrecError('INGEST.TOO_MANY_BAD_LINES', `${aggregator.totalBadLines} of ${aggregator.totalLines} log lines are bad (${(ratio * 100).toFixed(2)}%, ` + `threshold ${(this.config.pipeline.badLineThreshold * 100).toFixed(2)}%); sample at ` + `s3://${this.store.bucket}/${this.layout.badLinesSampleKey(run.runDate, run.runId)}`, {
                details: {
                    inputCounts,
                    badLines
                }
            });
        }
        const advertiserIds = [
            ...active
        ].sort();
        await (0, _storage.forEachLimited)(advertiserIds, UPLOAD_CONCURRENCY, async (advertiserId)=>{
            const products = aggregator.counts.get(advertiserId);
            const key = this.layout.partitionKey(run.runDate, run.runId, advertiserId);
            await this.store.put(key, (0, _storage.serializePartition)(products.values()), 'text/csv');
        });
        await this.runs.completeIngest(run.runId, {
            advertiserIds,
            models: _contracts.MODEL_NAMES,
            inputCounts,
            badLines
        });
        log.info('ingest done', {
            ...inputCounts,
            badLines: badLines.total,
            seconds: (Date.now() - started) / 1000
        });
    }
    async readActiveAdvertisers(objects) {
        const active = new Set();
        for (const object of objects){
            let columns;
            await (0, _csv.readCsvStream)(await this.store.openStream(object.key), {
                gzip: object.gzip,
                onRecord: (fields, lineNumber)=>{
                    if (!columns) {
                        columns = this.headerColumns(object.key, fields, 'advertiser_ids', lineNumber);
                        return;
                    }
                    const id = fields[columns.advertiser_id];
                    if (id) active.add(id);
                },
                onMalformed: ()=>undefined
            });
        }
        if (active.size === 0) {
            throw new _contracts.AdrecError('INGEST.NO_ACTIVE_ADVERTISERS', `${objects.map((o)=>o.key).join(', ')} lists no advertisers; refusing to publish an empty run`);
        }
        return active;
    }
    async readLogObject(object, dataset, aggregator) {
        let columns;
        let expectedFields = 0;
        await (0, _csv.readCsvStream)(await this.store.openStream(object.key), {
            gzip: object.gzip,
            onRecord: (fields, lineNumber)=>{
                if (!columns) {
                    columns = this.headerColumns(object.key, fields, dataset, lineNumber);
                    expectedFields = fields.length;
                } else if (dataset === 'product_views') {
                    aggregator.addProductView(fields, columns, expectedFields, object.key, lineNumber);
                } else {
                    aggregator.addAdEvent(fields, columns, expectedFields, object.key, lineNumber);
                }
            },
            onMalformed: (lineNumber, text)=>{
                if (!columns) {
                    throw new _contracts.AdrecError('INGEST.BAD_HEADER', `${object.key}: the header line is not valid CSV`);
                }
                aggregator.addMalformed(dataset, object.key, lineNumber, text);
            }
        });
    }
    headerColumns(key, header, dataset, lineNumber) {
        const { columns, missing } = (0, _logaggregator.indexColumns)(header, _logaggregator.REQUIRED_COLUMNS[dataset]);
        if (missing.length > 0) {
            throw new _contracts.AdrecError('INGEST.BAD_HEADER', `${key} line ${lineNumber}: header "${header.join(',')}" lacks column(s) ${missing.join(', ')}`);
        }
        return columns;
    }
    async writeReport(run, inputCounts, badLines, aggregator) {
        const sample = [
            'object_key,line_number,reason,text'
        ].concat(aggregator.samples.map((s)=>[
                s.key,
                s.lineNumber,
                s.reason,
                s.text
            ].map(csvCell).join(','))).join('\n');
        await this.store.put(this.layout.badLinesSampleKey(run.runDate, run.runId), sample + '\n', 'text/csv');
        await this.store.put(this.layout.ingestReportKey(run.runDate, run.runId), JSON.stringify({
            runId: run.runId,
            runDate: run.runDate,
            windowDays: run.windowDays,
            inputCounts,
            badLines
        }, null, 2), 'application/json');
    }
    async emitPendingJobs(run) {
        const pending = await this.runs.pendingJobs(run.runId);
        const jobs = pending.map(({ advertiserId, model })=>({
                runId: run.runId,
                runDate: run.runDate,
                advertiserId,
                model: model,
                partitionKey: this.layout.partitionKey(run.runDate, run.runId, advertiserId)
            }));
        await this.publisher.publish('jobs', jobs);
        return jobs.length;
    }
};
IngestService = _ts_decorate([
    (0, _common.Injectable)(),
    _ts_param(0, (0, _common.Inject)(_config.APP_CONFIG)),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _config.AppConfig === "undefined" ? Object : _config.AppConfig,
        typeof _storage.ObjectStore === "undefined" ? Object : _storage.ObjectStore,
        typeof _storage.RunLayout === "undefined" ? Object : _storage.RunLayout,
        typeof _database.RunsRepository === "undefined" ? Object : _database.RunsRepository,
        typeof _messaging.QueuePublisher === "undefined" ? Object : _messaging.QueuePublisher
    ])
], IngestService);
function csvCell(value) {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

//# sourceMappingURL=ingest.service.js.map