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
    get migrateDatabase () {
        return migrateDatabase;
    },
    get runWorker () {
        return runWorker;
    }
});
const _core = require("@nestjs/core");
const _config = require("../../config/src");
const _database = require("../../database/src");
const _logging = require("../../logging/src");
async function migrateDatabase(config, logger) {
    const pool = (0, _database.createPool)({
        url: (0, _config.requireDatabaseUrl)(config),
        size: 1,
        ssl: config.database.ssl,
        applicationName: 'adrec-migrate'
    }, logger);
    try {
        await (0, _database.migrate)(pool, logger);
    } finally{
        await pool.end();
    }
}
function runWorker(service, rootModule, options = {}) {
    const logger = new _logging.JsonLogger(service);
    (async ()=>{
        const config = (0, _config.loadConfig)();
        (0, _logging.setLogLevel)(config.logLevel);
        if (options.migrate) await migrateDatabase(config, logger);
        const app = await _core.NestFactory.createApplicationContext(rootModule(config), {
            logger
        });
        app.enableShutdownHooks();
        logger.info('started', {
            pid: process.pid
        });
    })().catch((error)=>{
        logger.error('failed to start', {
            err: (0, _logging.serializeError)(error)
        });
        process.exit(1);
    });
}

//# sourceMappingURL=run-worker.js.map