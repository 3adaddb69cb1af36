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
        return _contracts.MODEL_NAMES;
    },
    get parseModelName () {
        return parseModelName;
    }
});
const _contracts = require("../../contracts/src");
const ALIASES = {
    top_ctr: 'top_ctr',
    topctr: 'top_ctr',
    top_product: 'top_product',
    topproduct: 'top_product'
};
function parseModelName(input) {
    const key = input.toLowerCase();
    // hasOwn: `constructor` or `__proto__` must not resolve through Object.prototype.
    return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

//# sourceMappingURL=model-name.js.map