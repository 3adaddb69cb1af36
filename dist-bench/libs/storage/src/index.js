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
    get ObjectStore () {
        return _objectstore.ObjectStore;
    },
    get PARTITION_HEADER () {
        return _partitionfile.PARTITION_HEADER;
    },
    get RunLayout () {
        return _runlayout.RunLayout;
    },
    get StorageModule () {
        return _storagemodule.StorageModule;
    },
    get createS3Client () {
        return _objectstore.createS3Client;
    },
    get forEachLimited () {
        return _objectstore.forEachLimited;
    },
    get parsePartition () {
        return _partitionfile.parsePartition;
    },
    get serializePartition () {
        return _partitionfile.serializePartition;
    }
});
const _objectstore = require("./object-store");
const _runlayout = require("./run-layout");
const _storagemodule = require("./storage.module");
const _partitionfile = require("./partition-file");

//# sourceMappingURL=index.js.map