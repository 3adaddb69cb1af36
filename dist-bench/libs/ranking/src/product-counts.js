/** What one advertiser's filtered logs say about one product over a run's window. */ "use strict";
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
    get TOP_N () {
        return TOP_N;
    },
    get compareIds () {
        return compareIds;
    }
});
const TOP_N = 20;
function compareIds(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

//# sourceMappingURL=product-counts.js.map