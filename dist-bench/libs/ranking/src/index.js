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
    get MODEL_NAMES () {
        return _modelname.MODEL_NAMES;
    },
    get TOP_N () {
        return _productcounts.TOP_N;
    },
    get clickThroughRate () {
        return _topctrrule.clickThroughRate;
    },
    get compareIds () {
        return _productcounts.compareIds;
    },
    get parseModelName () {
        return _modelname.parseModelName;
    },
    get rankTopCtr () {
        return _topctrrule.rankTopCtr;
    },
    get rankTopProduct () {
        return _topproductrule.rankTopProduct;
    }
});
const _productcounts = require("./product-counts");
const _topctrrule = require("./top-ctr.rule");
const _topproductrule = require("./top-product.rule");
const _modelname = require("./model-name");

//# sourceMappingURL=index.js.map