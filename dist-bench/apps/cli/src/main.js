"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "formatRuns", {
    enumerable: true,
    get: function() {
        return formatRuns;
    }
});
require("reflect-metadata");
const _nodeutil = require("node:util");
const _config = require("../../../libs/config/src");
const _contracts = require("../../../libs/contracts/src");
const _database = require("../../../libs/database/src");
const _logging = require("../../../libs/logging/src");
const _messaging = require("../../../libs/messaging/src");
const _storage = require("../../../libs/storage/src");
const _localstack = require("./local-stack");
const _nightlyschedule = require("./nightly-schedule");
const _progress = require("./progress");
const _rawdatauploader = require("./raw-data.uploader");
const _sampledatagenerator = require("./sample-data.generator");
const _triggers = require("./triggers");
function _getRequireWildcardCache(nodeInterop) {
    if (typeof WeakMap !== "function") return null;
    var cacheBabelInterop = new WeakMap();
    var cacheNodeInterop = new WeakMap();
    return (_getRequireWildcardCache = function(nodeInterop) {
        return nodeInterop ? cacheNodeInterop : cacheBabelInterop;
    })(nodeInterop);
}
function _interop_require_wildcard(obj, nodeInterop) {
    if (!nodeInterop && obj && obj.__esModule) return obj;
    if (obj === null || typeof obj !== "object" && typeof obj !== "function") return {
        default: obj
    };
    var cache = _getRequireWildcardCache(nodeInterop);
    if (cache && cache.has(obj)) return cache.get(obj);
    var newObj = {
        __proto__: null
    };
    var hasPropertyDescriptor = Object.defineProperty && Object.getOwnPropertyDescriptor;
    for(var key in obj){
        if (key !== "default" && Object.prototype.hasOwnProperty.call(obj, key)) {
            var desc = hasPropertyDescriptor ? Object.getOwnPropertyDescriptor(obj, key) : null;
            if (desc && (desc.get || desc.set)) Object.defineProperty(newObj, key, desc);
            else newObj[key] = obj[key];
        }
    }
    newObj.default = obj;
    if (cache) cache.set(obj, newObj);
    return newObj;
}
const USAGE = `adrec — nightly ad recommendations

Usage: adrec <command> [options]

  start [--data DIR]            the local stack: emulator, database, pipeline, API (npm start)
  generate --out DIR            course-shaped sample logs; scale with --advertisers N --inactive N
                                --products N --product-views N --ad-events N --days N
                                --end-date D --skew S --seed N
  upload --data DIR             upload advertiser_ids, product_views, ads_views CSVs to the raw prefix
  trigger --date D [--window N] start a run of date D
  backfill --from D1 --to D2    one run per date, oldest first
  rerun --date D                run date D again; its new run replaces the published one when complete
  runs [--date D] [--limit N]   recent runs with status and progress
  setup                         create queues, bucket and schema if missing (idempotent)
  migrate                       apply database migrations
  schedule                      keep running and trigger yesterday's run on NIGHTLY_CRON

Configuration comes from the environment (see README, "Configuration").`;
async function main(argv) {
    const [command, ...rest] = argv;
    if (!command || command === 'help' || command === '--help' || command === '-h') {
        process.stdout.write(USAGE + '\n');
        return 0;
    }
    const { values } = (0, _nodeutil.parseArgs)({
        args: rest,
        options: {
            data: {
                type: 'string'
            },
            out: {
                type: 'string'
            },
            date: {
                type: 'string'
            },
            from: {
                type: 'string'
            },
            to: {
                type: 'string'
            },
            window: {
                type: 'string'
            },
            limit: {
                type: 'string'
            },
            wait: {
                type: 'boolean'
            },
            advertisers: {
                type: 'string'
            },
            inactive: {
                type: 'string'
            },
            products: {
                type: 'string'
            },
            'product-views': {
                type: 'string'
            },
            'ad-events': {
                type: 'string'
            },
            days: {
                type: 'string'
            },
            'end-date': {
                type: 'string'
            },
            skew: {
                type: 'string'
            },
            seed: {
                type: 'string'
            }
        },
        strict: true
    });
    const flags = values;
    const config = (0, _config.loadConfig)();
    (0, _logging.setLogLevel)(config.logLevel);
    switch(command){
        case 'start':
            await (0, _localstack.startLocalStack)({
                dataDir: flags.data,
                stateDir: '.adrec'
            });
            return -1; // keeps running until interrupted
        case 'generate':
            return generate(flags);
        case 'upload':
            return upload(config, requireFlag(flags, 'data'));
        case 'trigger':
            return trigger(config, [
                dateFlag(flags, 'date')
            ], flags);
        case 'rerun':
            return trigger(config, [
                dateFlag(flags, 'date')
            ], flags);
        case 'backfill':
            {
                const from = dateFlag(flags, 'from');
                const to = dateFlag(flags, 'to');
                if (from > to) throw new _contracts.AdrecError('CLI.BAD_ARGUMENT', `--from ${from} is after --to ${to}`);
                return trigger(config, (0, _contracts.dateRange)(from, to), {
                    ...flags,
                    wait: flags.wait ?? true
                });
            }
        case 'runs':
            return listRuns(config, flags);
        case 'setup':
            return setup(config);
        case 'migrate':
            return withPool(config, async (pool)=>{
                const applied = await (0, _database.migrate)(pool, new _logging.JsonLogger('cli'));
                process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema is up to date\n');
                return 0;
            });
        case 'schedule':
            {
                const publisher = new _messaging.QueuePublisher(new _messaging.QueueDirectory((0, _messaging.createSqsClient)(config), config));
                (0, _nightlyschedule.armNightlySchedule)(config.pipeline.nightlyCron, config.pipeline.windowDays, publisher, new _logging.JsonLogger('scheduler'));
                return -1;
            }
        default:
            throw new _contracts.AdrecError('CLI.UNKNOWN_COMMAND', `unknown command "${command}"; run adrec --help`);
    }
}
function requireFlag(flags, name) {
    const value = flags[name];
    if (typeof value !== 'string' || value === '') throw new _contracts.AdrecError('CLI.BAD_ARGUMENT', `--${name} is required`);
    return value;
}
function dateFlag(flags, name) {
    const value = requireFlag(flags, name);
    if (!(0, _contracts.isCalendarDate)(value)) throw new _contracts.AdrecError('CLI.BAD_ARGUMENT', `--${name} ${value} is not a date YYYY-MM-DD`);
    return value;
}
function intFlag(flags, name, fallback, min = 0) {
    const value = flags[name];
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new _contracts.AdrecError('CLI.BAD_ARGUMENT', `--${name} must be an integer ≥ ${min}`);
    return n;
}
async function withPool(config, work) {
    const pool = (0, _database.createPool)({
        url: (0, _config.requireDatabaseUrl)(config),
        size: 2,
        ssl: config.database.ssl,
        applicationName: 'adrec-cli'
    }, new _logging.JsonLogger('cli'));
    try {
        return await work(pool);
    } finally{
        await pool.end();
    }
}
async function generate(flags) {
    const outDir = requireFlag(flags, 'out');
    const endDate = flags['end-date'] === undefined ? (0, _contracts.addDays)((0, _contracts.todayUtc)(), -1) : dateFlag(flags, 'end-date');
    const skew = flags.skew === undefined ? _sampledatagenerator.DEFAULT_GENERATE_OPTIONS.skew : Number(flags.skew);
    if (!Number.isFinite(skew) || skew < 0) throw new _contracts.AdrecError('CLI.BAD_ARGUMENT', '--skew must be a number ≥ 0');
    const advertisers = intFlag(flags, 'advertisers', _sampledatagenerator.DEFAULT_GENERATE_OPTIONS.advertisers, 1);
    const progress = new _progress.ProgressLine();
    const result = await (0, _sampledatagenerator.generateSampleData)({
        outDir,
        endDate,
        skew,
        advertisers,
        inactive: intFlag(flags, 'inactive', Math.min(_sampledatagenerator.DEFAULT_GENERATE_OPTIONS.inactive, advertisers - 1)),
        catalogSize: intFlag(flags, 'products', _sampledatagenerator.DEFAULT_GENERATE_OPTIONS.catalogSize, 1),
        productViews: intFlag(flags, 'product-views', _sampledatagenerator.DEFAULT_GENERATE_OPTIONS.productViews),
        adEvents: intFlag(flags, 'ad-events', _sampledatagenerator.DEFAULT_GENERATE_OPTIONS.adEvents),
        days: intFlag(flags, 'days', _sampledatagenerator.DEFAULT_GENERATE_OPTIONS.days, 1),
        seed: intFlag(flags, 'seed', _sampledatagenerator.DEFAULT_GENERATE_OPTIONS.seed),
        onProgress: (done, total)=>progress.update(`generating ${(0, _progress.bar)(done, total)} ${done}/${total} lines`)
    });
    progress.done(`wrote ${outDir}: ${result.activeAdvertisers.length} active + ${result.inactiveAdvertisers.length} inactive advertisers, ` + `${result.dates[0]} … ${result.dates.at(-1)}`);
    return 0;
}
async function upload(config, dir) {
    const store = new _storage.ObjectStore((0, _storage.createS3Client)(config), config.storage.bucket);
    const keys = await (0, _rawdatauploader.uploadRawData)(store, config.storage.rawPrefix, dir);
    process.stdout.write(`uploaded ${keys.map((k)=>`s3://${config.storage.bucket}/${k}`).join(', ')}\n`);
    return 0;
}
async function trigger(config, dates, flags) {
    const windowDays = intFlag(flags, 'window', config.pipeline.windowDays, 1);
    if (windowDays > _contracts.MAX_WINDOW_DAYS) throw new _contracts.AdrecError('CLI.BAD_ARGUMENT', `--window must be at most ${_contracts.MAX_WINDOW_DAYS}`);
    const publisher = new _messaging.QueuePublisher(new _messaging.QueueDirectory((0, _messaging.createSqsClient)(config), config));
    const triggers = await (0, _triggers.sendTriggers)(publisher, dates, windowDays);
    for (const t of triggers)process.stdout.write(`triggered ${t.runId} (date ${t.runDate}, window ${t.windowDays} day(s))\n`);
    if (!flags.wait) return 0;
    return withPool(config, async (pool)=>{
        const { followRuns } = await Promise.resolve().then(()=>/*#__PURE__*/ _interop_require_wildcard(require("./run-progress")));
        const outcome = await followRuns(new _database.RunsRepository(pool), triggers.map((t)=>t.runId));
        for (const failure of outcome.failed)process.stdout.write(`failed ${failure.runId}: ${failure.reason}\n`);
        return outcome.failed.length === 0 ? 0 : 1;
    });
}
async function listRuns(config, flags) {
    const runDate = flags.date === undefined ? undefined : dateFlag(flags, 'date');
    const limit = intFlag(flags, 'limit', 20, 1);
    return withPool(config, async (pool)=>{
        const runs = await new _database.RunsRepository(pool).listRecent(limit, runDate);
        process.stdout.write(formatRuns(runs));
        return 0;
    });
}
function formatRuns(runs) {
    if (runs.length === 0) return 'no runs yet\n';
    const rows = runs.map((run)=>{
        const seconds = run.finishedAt && run.triggeredAt ? ((run.finishedAt.getTime() - run.triggeredAt.getTime()) / 1000).toFixed(1) + 's' : '';
        const bad = run.badLines?.total ?? 0;
        return [
            run.runDate,
            run.runId,
            run.status,
            `${run.jobsDone}/${run.jobsTotal ?? '?'}`,
            seconds,
            String(bad),
            run.errorMessage ?? ''
        ];
    });
    const header = [
        'DATE',
        'RUN',
        'STATUS',
        'JOBS',
        'TIME',
        'BAD LINES',
        'ERROR'
    ];
    const widths = header.map((h, i)=>Math.max(h.length, ...rows.map((r)=>r[i].length)));
    return [
        header,
        ...rows
    ].map((r)=>r.map((cell, i)=>cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}
async function setup(config) {
    const store = new _storage.ObjectStore((0, _storage.createS3Client)(config), config.storage.bucket);
    const queues = new _messaging.QueueDirectory((0, _messaging.createSqsClient)(config), config);
    await store.ensureBucket();
    await queues.ensureQueues();
    await withPool(config, (pool)=>(0, _database.migrate)(pool, new _logging.JsonLogger('cli')));
    process.stdout.write(`queues, bucket s3://${config.storage.bucket} and schema are ready\n`);
    return 0;
}
if (require.main === module || process.argv[1]?.endsWith('bin/adrec')) {
    main(process.argv.slice(2)).then((code)=>{
        if (code >= 0) process.exit(code);
    }, (error)=>{
        const message = error instanceof _contracts.AdrecError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
        process.stderr.write(`adrec: ${message}\n`);
        process.exit(1);
    });
}

//# sourceMappingURL=main.js.map