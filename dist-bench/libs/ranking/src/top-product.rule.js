"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "rankTopProduct", {
    enumerable: true,
    get: function() {
        return rankTopProduct;
    }
});
const _productcounts = require("./product-counts");
function rankTopProduct(products, limit = _productcounts.TOP_N) {
    const viewed = [];
    for (const product of products){
        if (product.views > 0) viewed.push({
            productId: product.productId,
            views: product.views
        });
    }
    viewed.sort((a, b)=>b.views - a.views || (0, _productcounts.compareIds)(a.productId, b.productId));
    return viewed.slice(0, limit);
}

//# sourceMappingURL=top-product.rule.js.map