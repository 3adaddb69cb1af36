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
    get DEFAULT_GENERATE_OPTIONS () {
        return DEFAULT_GENERATE_OPTIONS;
    },
    get generateSampleData () {
        return generateSampleData;
    }
});
const _nodefs = require("node:fs");
const _promises = require("node:fs/promises");
const _nodepath = require("node:path");
const _nodeevents = require("node:events");
const _contracts = require("../../../libs/contracts/src");
const DEFAULT_GENERATE_OPTIONS = {
    advertisers: 25,
    inactive: 5,
    catalogSize: 100,
    productViews: 100_000,
    adEvents: 100_000,
    days: 30,
    skew: 0,
    seed: 42
};
/** mulberry32: small, fast and good enough for synthetic logs. */ function createRandom(seed) {
    let state = seed >>> 0;
    return ()=>{
        state = state + 0x6d2b79f5 >>> 0;
        let t = state;
        t = Math.imul(t ^ t >>> 15, t | 1);
        t ^= t + Math.imul(t ^ t >>> 7, t | 61);
        return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
}
function randomId(random, length, alphabet) {
    let id = '';
    for(let i = 0; i < length; i++)id += alphabet[Math.floor(random() * alphabet.length)];
    return id;
}
/** Picks an index in [0, n) uniformly, or Zipf-distributed when skew > 0. */ function createPicker(n, skew, random) {
    if (skew <= 0) return ()=>Math.floor(random() * n);
    const cumulative = new Float64Array(n);
    let total = 0;
    for(let i = 0; i < n; i++){
        total += 1 / Math.pow(i + 1, skew);
        cumulative[i] = total;
    }
    return ()=>{
        const target = random() * total;
        let low = 0;
        let high = n - 1;
        while(low < high){
            const mid = low + high >>> 1;
            if (cumulative[mid] < target) low = mid + 1;
            else high = mid;
        }
        return low;
    };
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
async function generateSampleData(options) {
    const random = createRandom(options.seed);
    await (0, _promises.mkdir)(options.outDir, {
        recursive: true
    });
    const advertisers = uniqueIds(options.advertisers, ()=>randomId(random, 20, UPPER));
    const catalogs = advertisers.map(()=>uniqueIds(options.catalogSize, ()=>randomId(random, 6, LOWER)));
    const dates = Array.from({
        length: options.days
    }, (_, i)=>(0, _contracts.addDays)(options.endDate, i - options.days + 1));
    const activeAdvertisers = advertisers.slice(0, advertisers.length - options.inactive);
    const inactiveAdvertisers = advertisers.slice(advertisers.length - options.inactive);
    await writeLines((0, _nodepath.join)(options.outDir, 'advertiser_ids.csv'), [
        'advertiser_id'
    ], activeAdvertisers.length, (i)=>activeAdvertisers[i]);
    const pickAdvertiser = createPicker(advertisers.length, options.skew, random);
    const pickProduct = createPicker(options.catalogSize, options.skew, random);
    const total = options.productViews + options.adEvents;
    const report = (done)=>options.onProgress?.(done, total);
    await writeLines((0, _nodepath.join)(options.outDir, 'product_views.csv'), [
        'advertiser_id,product_id,date'
    ], options.productViews, ()=>{
        const a = pickAdvertiser();
        return `${advertisers[a]},${catalogs[a][pickProduct()]},${dates[Math.floor(random() * dates.length)]}`;
    }, report);
    await writeLines((0, _nodepath.join)(options.outDir, 'ads_views.csv'), [
        'advertiser_id,product_id,type,date'
    ], options.adEvents, ()=>{
        const a = pickAdvertiser();
        const type = random() < 0.01 ? 'click' : 'impression';
        return `${advertisers[a]},${catalogs[a][pickProduct()]},${type},${dates[Math.floor(random() * dates.length)]}`;
    }, (done)=>report(options.productViews + done));
    return {
        activeAdvertisers,
        inactiveAdvertisers,
        dates
    };
}
function uniqueIds(count, next) {
    const ids = new Set();
    while(ids.size < count)ids.add(next());
    return [
        ...ids
    ];
}
async function writeLines(path, header, count, line, onProgress) {
    const out = (0, _nodefs.createWriteStream)(path);
    let buffer = header.join('\n') + '\n';
    for(let i = 0; i < count; i++){
        buffer += line(i) + '\n';
        if (buffer.length > 1 << 20) {
            if (!out.write(buffer)) await (0, _nodeevents.once)(out, 'drain');
            buffer = '';
            onProgress?.(i + 1);
        }
    }
    out.end(buffer);
    await (0, _nodeevents.once)(out, 'finish');
    onProgress?.(count);
}

//# sourceMappingURL=sample-data.generator.js.map