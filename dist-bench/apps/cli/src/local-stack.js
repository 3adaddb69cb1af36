"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "startLocalStack", {
    enumerable: true,
    get: function() {
        return startLocalStack;
    }
});
const _nodechild_process = require("node:child_process");
const _nodefs = require("node:fs");
const _promises = require("node:fs/promises");
const _nodepath = require("node:path");
const _config = require("../../../libs/config/src");
const _contracts = require("../../../libs/contracts/src");
const _database = require("../../../libs/database/src");
const _logging = require("../../../libs/logging/src");
const _messaging = require("../../../libs/messaging/src");
const _runtime = require("../../../libs/runtime/src");
const _storage = require("../../../libs/storage/src");
const _datadatesscanner = require("./data-dates.scanner");
const _nightlyschedule = require("./nightly-schedule");
const _rawdatauploader = require("./raw-data.uploader");
const _runprogress = require("./run-progress");
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
const APPS = [
    'ingest',
    'models',
    'writer',
    'api'
];
/** The emulator's usual port; another free port is used when it is taken. */ const PREFERRED_EMULATOR_PORT = 4566;
async function startLocalStack(options) {
    const say = (text)=>process.stderr.write(`${text}\n`);
    const logger = new _logging.JsonLogger('local-stack');
    const stateDir = (0, _nodepath.resolve)(options.stateDir);
    const logDir = (0, _nodepath.join)(stateDir, 'logs');
    await (0, _promises.mkdir)(logDir, {
        recursive: true
    });
    const base = (0, _config.loadConfig)();
    const cleanups = [];
    const children = [];
    let stopping = false;
    const stop = async (code)=>{
        if (stopping) return;
        stopping = true;
        say('stopping the local stack…');
        await Promise.all(children.map((child)=>stopChild(child)));
        for (const cleanup of cleanups.reverse())await cleanup().catch(()=>undefined);
        process.exit(code);
    };
    process.once('SIGINT', ()=>void stop(0));
    process.once('SIGTERM', ()=>void stop(0));
    try {
        const emulatorPort = await portIsFree(PREFERRED_EMULATOR_PORT) ? PREFERRED_EMULATOR_PORT : await (0, _runtime.freePort)();
        const emulator = await (0, _runtime.startLocalEmulator)(emulatorPort, (0, _nodefs.createWriteStream)((0, _nodepath.join)(logDir, 'fauxqs.log'), {
            flags: 'a'
        }));
        cleanups.push(()=>emulator.stop());
        const endpoint = emulator.endpoint;
        say(`SQS/S3 emulator (fauxqs) on ${endpoint}`);
        let databaseUrl = base.database.url;
        if (!databaseUrl) {
            say('starting embedded PostgreSQL…');
            const pgDir = (0, _nodepath.join)(stateDir, 'postgres');
            await (0, _promises.rm)(pgDir, {
                recursive: true,
                force: true
            });
            const pg = await (0, _runtime.startEmbeddedPostgres)(pgDir, (line)=>logger.debug(line));
            cleanups.push(()=>pg.stop());
            databaseUrl = pg.url;
            say(`embedded PostgreSQL on ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
        } else {
            say('using PostgreSQL from DATABASE_URL');
        }
        const overrides = {
            DATABASE_URL: databaseUrl,
            AWS_ENDPOINT_URL: endpoint,
            S3_FORCE_PATH_STYLE: 'true',
            PORT: String(base.http.port)
        };
        const config = (0, _config.loadConfig)((0, _config.childEnvironment)(overrides));
        const store = new _storage.ObjectStore((0, _storage.createS3Client)(config), config.storage.bucket);
        const queues = new _messaging.QueueDirectory((0, _messaging.createSqsClient)(config), config);
        const pool = (0, _database.createPool)({
            url: databaseUrl,
            size: 2,
            ssl: config.database.ssl,
            applicationName: 'adrec-local-stack'
        }, logger);
        cleanups.push(()=>pool.end());
        await Promise.all([
            store.ensureBucket(),
            queues.ensureQueues(),
            (0, _database.migrate)(pool, logger)
        ]);
        say(`queues, bucket s3://${config.storage.bucket} and schema ready`);
        let dates;
        const dataDir = options.dataDir ?? (0, _nodepath.join)(stateDir, 'sample-data');
        if (options.dataDir) {
            dates = await (0, _datadatesscanner.scanDates)(options.dataDir);
            if (dates.length === 0) throw new Error(`no valid dates found in the logs of ${options.dataDir}`);
        } else {
            const endDate = (0, _contracts.addDays)((0, _contracts.todayUtc)(), -1);
            const generated = await (0, _sampledatagenerator.generateSampleData)({
                ..._sampledatagenerator.DEFAULT_GENERATE_OPTIONS,
                outDir: dataDir,
                endDate
            });
            dates = generated.dates;
            say(`sample data generated in ${dataDir} (${generated.activeAdvertisers.length} active advertisers, ${dates.length} days)`);
        }
        const keys = await (0, _rawdatauploader.uploadRawData)(store, config.storage.rawPrefix, dataDir);
        say(`uploaded ${keys.join(', ')}`);
        for (const app of APPS){
            const child = (0, _nodechild_process.spawn)(process.execPath, [
                (0, _nodepath.join)(__dirname, '..', '..', app, 'src', 'main.js')
            ], {
                env: (0, _config.childEnvironment)(overrides),
                stdio: [
                    'ignore',
                    'pipe',
                    'pipe'
                ]
            });
            const log = (0, _nodefs.createWriteStream)((0, _nodepath.join)(logDir, `${app}.log`), {
                flags: 'a'
            });
            child.stdout.pipe(log);
            child.stderr.pipe(log);
            child.once('exit', (code, signal)=>{
                if (!stopping) {
                    say(`${app} exited (${signal ?? code}); see ${(0, _nodepath.join)(logDir, `${app}.log`)}`);
                    void stop(1);
                }
            });
            children.push(child);
        }
        say(`started ${APPS.join(', ')} (logs in ${logDir})`);
        const publisher = new _messaging.QueuePublisher(queues);
        const triggers = await (0, _triggers.sendTriggers)(publisher, dates, config.pipeline.windowDays);
        say(`triggered ${triggers.length} runs, ${dates[0]} … ${dates.at(-1)}`);
        const outcome = await (0, _runprogress.followRuns)(new _database.RunsRepository(pool), triggers.map((t)=>t.runId));
        for (const failure of outcome.failed)say(`run ${failure.runId} (${failure.runDate}) failed: ${failure.reason}`);
        (0, _nightlyschedule.armNightlySchedule)(config.pipeline.nightlyCron, config.pipeline.windowDays, publisher, logger);
        await waitForHttp(`http://127.0.0.1:${config.http.port}/health`);
        const url = `http://localhost:${config.http.port}`;
        say('');
        say(`adrec is serving on ${url}`);
        say(`  try: curl ${url}/recommendations/<advertiserId>/top_ctr`);
        say(`  the emulator stays up for the CLI: AWS_ENDPOINT_URL=${endpoint} DATABASE_URL=${databaseUrl} npx adrec runs`);
        say('Ctrl-C stops everything.');
    } catch (error) {
        say(`local stack failed: ${error instanceof Error ? error.message : String(error)}`);
        await stop(1);
    }
}
async function portIsFree(port) {
    const { createServer } = await Promise.resolve().then(()=>/*#__PURE__*/ _interop_require_wildcard(require("node:net")));
    return new Promise((resolve)=>{
        const server = createServer();
        server.once('error', ()=>resolve(false));
        server.listen(port, '127.0.0.1', ()=>server.close(()=>resolve(true)));
    });
}
async function waitForHttp(url, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for(;;){
        try {
            const response = await fetch(url);
            if (response.ok) return;
        } catch  {
        // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
        await new Promise((resolve)=>setTimeout(resolve, 200));
    }
}
async function stopChild(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve)=>child.once('exit', ()=>resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(()=>child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
}

//# sourceMappingURL=local-stack.js.map