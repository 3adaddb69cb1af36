"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "referenceLists", {
    enumerable: true,
    get: function() {
        return referenceLists;
    }
});
const _nodefs = require("node:fs");
const _nodepath = require("node:path");
function referenceLists(dataDir, runDate) {
    const rows = (file)=>(0, _nodefs.readFileSync)((0, _nodepath.join)(dataDir, file), 'utf8').split(/\r?\n/).slice(1).filter((line)=>line !== '').map((line)=>line.split(','));
    const active = new Set(rows('advertiser_ids.csv').map(([id])=>id));
    const views = new Map();
    const ads = new Map();
    for (const id of active){
        views.set(id, new Map());
        ads.set(id, new Map());
    }
    for (const [advertiser, product, date] of rows('product_views.csv')){
        if (date !== runDate || !active.has(advertiser)) continue;
        const counts = views.get(advertiser);
        counts.set(product, (counts.get(product) ?? 0) + 1);
    }
    for (const [advertiser, product, type, date] of rows('ads_views.csv')){
        if (date !== runDate || !active.has(advertiser)) continue;
        const counts = ads.get(advertiser);
        const entry = counts.get(product) ?? {
            clicks: 0,
            impressions: 0
        };
        if (type === 'click') entry.clicks++;
        if (type === 'impression') entry.impressions++;
        counts.set(product, entry);
    }
    const byId = (a, b)=>a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
    const result = new Map();
    for (const advertiser of active){
        const topProduct = [
            ...views.get(advertiser)
        ].map(([productId, n])=>({
                productId,
                views: n
            })).sort((a, b)=>b.views - a.views || byId(a, b)).slice(0, 20);
        const topCtr = [
            ...ads.get(advertiser)
        ].filter(([, c])=>c.impressions > 0).map(([productId, c])=>({
                productId,
                clicks: c.clicks,
                impressions: c.impressions,
                ctr: c.clicks / c.impressions
            })).sort((a, b)=>b.ctr - a.ctr || b.clicks - a.clicks || byId(a, b)).slice(0, 20);
        result.set(advertiser, {
            top_ctr: topCtr,
            top_product: topProduct
        });
    }
    return result;
}

//# sourceMappingURL=reference-lists.js.map