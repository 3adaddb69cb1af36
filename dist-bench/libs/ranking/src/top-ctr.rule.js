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
    get clickThroughRate () {
        return clickThroughRate;
    },
    get rankTopCtr () {
        return rankTopCtr;
    }
});
const _productcounts = require("./product-counts");
function rankTopCtr(products, limit = _productcounts.TOP_N) {
    const shown = [];
    let clicksWithoutImpressions = 0;
    for (const product of products){
        if (product.impressions > 0) {
            shown.push({
                productId: product.productId,
                clicks: product.clicks,
                impressions: product.impressions
            });
        } else if (product.clicks > 0) {
            clicksWithoutImpressions += 1;
        }
    }
    shown.sort((a, b)=>b.clicks * a.impressions - a.clicks * b.impressions || b.clicks - a.clicks || (0, _productcounts.compareIds)(a.productId, b.productId));
    return {
        items: shown.slice(0, limit),
        clicksWithoutImpressions
    };
}
function clickThroughRate(item) {
    return item.clicks / item.impressions;
}

//# sourceMappingURL=top-ctr.rule.js.map