"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "uploadRawData", {
    enumerable: true,
    get: function() {
        return uploadRawData;
    }
});
const _nodefs = require("node:fs");
const _promises = require("node:fs/promises");
const _nodepath = require("node:path");
const _libstorage = require("@aws-sdk/lib-storage");
const _contracts = require("../../../libs/contracts/src");
const DATASETS = [
    'advertiser_ids',
    'product_views',
    'ads_views'
];
async function uploadRawData(store, rawPrefix, dir) {
    const files = await (0, _promises.readdir)(dir);
    const uploaded = [];
    for (const dataset of DATASETS){
        const name = [
            `${dataset}.csv`,
            dataset,
            `${dataset}.csv.gz`
        ].find((candidate)=>files.includes(candidate));
        if (!name) {
            throw new _contracts.AdrecError('CLI.DATA_MISSING', `${dir} has no ${dataset}.csv (or ${dataset}, ${dataset}.csv.gz)`);
        }
        const path = (0, _nodepath.join)(dir, name);
        if (!(await (0, _promises.stat)(path)).isFile()) throw new _contracts.AdrecError('CLI.DATA_MISSING', `${path} is not a file`);
        const key = `${rawPrefix}${dataset}${name.endsWith('.gz') ? '.csv.gz' : '.csv'}`;
        await new _libstorage.Upload({
            client: store.client,
            params: {
                Bucket: store.bucket,
                Key: key,
                Body: (0, _nodefs.createReadStream)(path),
                ContentType: 'text/csv'
            },
            queueSize: 4,
            partSize: 16 * 1024 * 1024
        }).done();
        uploaded.push(key);
    }
    return uploaded;
}

//# sourceMappingURL=raw-data.uploader.js.map