"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "locateDataset", {
    enumerable: true,
    get: function() {
        return locateDataset;
    }
});
const _contracts = require("../../../libs/contracts/src");
const SINGLE_OBJECT_SUFFIXES = [
    '.csv',
    '',
    '.csv.gz',
    '.gz'
];
async function locateDataset(store, rawPrefix, dataset, dates) {
    const base = `${rawPrefix}${dataset}`;
    const keys = await store.listKeys(base);
    const partitionPrefix = `${base}/date=`;
    const partitioned = keys.filter((key)=>key.startsWith(partitionPrefix) && !key.endsWith('/'));
    if (partitioned.length > 0) {
        const objects = [];
        const missing = [];
        for (const date of dates){
            const prefix = `${partitionPrefix}${date}/`;
            const ofDate = partitioned.filter((key)=>key.startsWith(prefix));
            if (ofDate.length === 0) missing.push(prefix);
            objects.push(...ofDate.map((key)=>({
                    key,
                    gzip: key.endsWith('.gz')
                })));
        }
        if (missing.length > 0 && dataset !== 'advertiser_ids') {
            throw new _contracts.AdrecError('INGEST.DATASET_MISSING', `missing ${dataset} partition(s): ${missing.join(', ')}`, {
                details: {
                    missing
                }
            });
        }
        if (objects.length > 0) return objects;
    }
    for (const suffix of SINGLE_OBJECT_SUFFIXES){
        const key = base + suffix;
        if (keys.includes(key)) return [
            {
                key,
                gzip: key.endsWith('.gz')
            }
        ];
    }
    throw new _contracts.AdrecError('INGEST.DATASET_MISSING', `dataset ${dataset} not found: expected s3://${store.bucket}/${base}.csv (or ${base}, ${base}.csv.gz, ${partitionPrefix}YYYY-MM-DD/*.csv)`, {
        details: {
            missing: [
                `${base}.csv`
            ]
        }
    });
}

//# sourceMappingURL=raw-datasets.locator.js.map