"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "scanDates", {
    enumerable: true,
    get: function() {
        return scanDates;
    }
});
const _nodefs = require("node:fs");
const _promises = require("node:fs/promises");
const _nodepath = require("node:path");
const _contracts = require("../../../libs/contracts/src");
const _csv = require("../../../libs/csv/src");
async function scanDates(dir) {
    const files = await (0, _promises.readdir)(dir);
    const dates = new Set();
    for (const dataset of [
        'product_views',
        'ads_views'
    ]){
        const name = [
            `${dataset}.csv`,
            dataset,
            `${dataset}.csv.gz`
        ].find((candidate)=>files.includes(candidate));
        if (!name) continue;
        let dateColumn = -1;
        await (0, _csv.readCsvStream)((0, _nodefs.createReadStream)((0, _nodepath.join)(dir, name)), {
            gzip: name.endsWith('.gz'),
            onRecord: (fields)=>{
                if (dateColumn === -1) {
                    dateColumn = fields.map((f)=>f.trim().toLowerCase()).indexOf('date');
                    if (dateColumn === -1) dateColumn = fields.length - 1;
                    return;
                }
                const date = fields[dateColumn];
                if (date !== undefined && !dates.has(date) && (0, _contracts.isCalendarDate)(date)) dates.add(date);
            },
            onMalformed: ()=>undefined
        });
    }
    return [
        ...dates
    ].sort();
}

//# sourceMappingURL=data-dates.scanner.js.map