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
    get createPool () {
        return createPool;
    },
    get inTransaction () {
        return inTransaction;
    }
});
const _pg = require("pg");
const _logging = require("../../logging/src");
// DATE columns stay 'YYYY-MM-DD' strings: a run date is a calendar day, not an instant.
_pg.types.setTypeParser(_pg.types.builtins.DATE, (value)=>value);
function createPool(options, logger) {
    const config = {
        connectionString: options.url,
        max: options.size,
        application_name: options.applicationName,
        connectionTimeoutMillis: 10_000,
        idleTimeoutMillis: 30_000,
        // RDS presents an Amazon-issued certificate; pass `sslmode=verify-full`
        // and a CA bundle in DATABASE_URL to pin it.
        ssl: options.ssl ? {
            rejectUnauthorized: false
        } : undefined
    };
    const pool = new _pg.Pool(config);
    // An idle client losing its connection (database restart) must not crash
    // the process; the next query gets a fresh connection.
    pool.on('error', (error)=>logger.warn('idle database connection lost', {
            err: (0, _logging.serializeError)(error)
        }));
    return pool;
}
async function inTransaction(pool, work) {
    const client = await pool.connect();
    try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
    } catch (error) {
        await client.query('ROLLBACK').catch(()=>undefined);
        throw error;
    } finally{
        client.release();
    }
}

//# sourceMappingURL=database.pool.js.map