"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "startTestEnvironment", {
    enumerable: true,
    get: function() {
        return startTestEnvironment;
    }
});
const _nodecrypto = require("node:crypto");
const _pg = require("pg");
const _config = require("../../libs/config/src");
const _database = require("../../libs/database/src");
const _logging = require("../../libs/logging/src");
const _messaging = require("../../libs/messaging/src");
const _runtime = require("../../libs/runtime/src");
const _storage = require("../../libs/storage/src");
/** The machine's PostgreSQL when it answers (CI, developer laptops); embedded PostgreSQL otherwise. */ const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
async function startTestEnvironment(extraEnv = {}) {
    (0, _logging.setLogLevel)('warn');
    const cleanups = [];
    try {
        const databaseUrl = await createTestDatabase(cleanups);
        const emulator = await (0, _runtime.startLocalEmulator)(await (0, _runtime.freePort)());
        cleanups.push(()=>emulator.stop());
        const env = {
            DATABASE_URL: databaseUrl,
            AWS_ENDPOINT_URL: emulator.endpoint,
            ADREC_BUCKET: `adrec-test-${(0, _nodecrypto.randomBytes)(4).toString('hex')}`,
            LOG_LEVEL: 'warn',
            VISIBILITY_TIMEOUT_SECONDS: '10',
            ...extraEnv
        };
        const config = (0, _config.loadConfig)(env);
        const logger = new _logging.JsonLogger('test');
        const pool = (0, _database.createPool)({
            url: databaseUrl,
            size: 5,
            ssl: false,
            applicationName: 'adrec-test'
        }, logger);
        cleanups.push(()=>pool.end());
        const store = new _storage.ObjectStore((0, _storage.createS3Client)(config), config.storage.bucket);
        const queues = new _messaging.QueueDirectory((0, _messaging.createSqsClient)(config), config);
        await Promise.all([
            (0, _database.migrate)(pool, logger),
            store.ensureBucket(),
            queues.ensureQueues()
        ]);
        return {
            config,
            env,
            pool,
            store,
            queues,
            stop: async ()=>{
                for (const cleanup of cleanups.reverse())await cleanup().catch(()=>undefined);
            }
        };
    } catch (error) {
        for (const cleanup of cleanups.reverse())await cleanup().catch(()=>undefined);
        throw error;
    }
}
let embedded;
async function createTestDatabase(cleanups) {
    let serverUrl = SERVER_URL;
    if (!await (0, _runtime.postgresAnswers)(serverUrl)) {
        embedded ??= (0, _runtime.startEmbeddedPostgres)(`/tmp/adrec-test-pg-${process.pid}`, ()=>undefined);
        const server = await embedded;
        serverUrl = server.url;
        cleanups.push(async ()=>{
            await server.stop();
            embedded = undefined;
        });
    }
    const name = `adrec_test_${(0, _nodecrypto.randomBytes)(6).toString('hex')}`;
    const admin = new _pg.Client({
        connectionString: serverUrl
    });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    cleanups.push(async ()=>{
        const client = new _pg.Client({
            connectionString: serverUrl
        });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
    });
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
}

//# sourceMappingURL=test-environment.js.map