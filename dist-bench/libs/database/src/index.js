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
    get DatabaseModule () {
        return _databasemodule.DatabaseModule;
    },
    get PUBLICATION_CHANNEL () {
        return _publicationchannel.PUBLICATION_CHANNEL;
    },
    get RunsRepository () {
        return _runsrepository.RunsRepository;
    },
    get createPool () {
        return _databasepool.createPool;
    },
    get inTransaction () {
        return _databasepool.inTransaction;
    },
    get migrate () {
        return _migrate.migrate;
    }
});
const _databasepool = require("./database.pool");
const _databasemodule = require("./database.module");
const _migrate = require("./migrate");
const _runsrepository = require("./runs.repository");
const _publicationchannel = require("./publication-channel");

//# sourceMappingURL=index.js.map