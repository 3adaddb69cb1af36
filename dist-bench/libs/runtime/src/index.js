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
        return _localpostgres.freePort;
    },
    get migrateDatabase () {
        return _runworker.migrateDatabase;
    },
    get postgresAnswers () {
        return _localpostgres.postgresAnswers;
    },
    get runWorker () {
        return _runworker.runWorker;
    },
    get startEmbeddedPostgres () {
        return _localpostgres.startEmbeddedPostgres;
    },
    get startLocalEmulator () {
        return _localemulator.startLocalEmulator;
    }
});
const _runworker = require("./run-worker");
const _localpostgres = require("./local-postgres");
const _localemulator = require("./local-emulator");

//# sourceMappingURL=index.js.map