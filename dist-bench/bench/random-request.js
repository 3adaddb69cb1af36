"use strict";
const _nodefs = require("node:fs");
/**
 * autocannon `setupRequest` for the API benchmark, loaded by autocannon's
 * worker thread (in workers mode a function cannot be cloned into the worker,
 * so autocannon takes the path of a module that exports one). Each request
 * asks for a uniformly random (advertiser, model) out of every published one.
 *
 * The request paths are read once, from the JSON file named by
 * ADREC_BENCH_PATHS_FILE, which api.bench.ts writes before starting the load.
 */ const pathsFile = process.env.ADREC_BENCH_PATHS_FILE;
if (!pathsFile) throw new Error('ADREC_BENCH_PATHS_FILE is not set (this module is loaded by bench/api.bench.ts)');
const paths = JSON.parse((0, _nodefs.readFileSync)(pathsFile, 'utf8'));
if (paths.length === 0) throw new Error(`no request paths in ${pathsFile}`);
function randomRequest(request) {
    request.path = paths[Math.floor(Math.random() * paths.length)];
    return request;
}
module.exports = randomRequest;

//# sourceMappingURL=random-request.js.map