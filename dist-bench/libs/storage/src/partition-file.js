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
    get PARTITION_HEADER () {
        return PARTITION_HEADER;
    },
    get parsePartition () {
        return parsePartition;
    },
    get serializePartition () {
        return serializePartition;
    }
});
const _contracts = require("../../contracts/src");
const PARTITION_HEADER = 'product_id,views,impressions,clicks';
function serializePartition(products) {
    const lines = [
        PARTITION_HEADER
    ];
    for (const p of products)lines.push(`${csvField(p.productId)},${p.views},${p.impressions},${p.clicks}`);
    return lines.join('\n') + '\n';
}
function parsePartition(text, key) {
    const lines = text.split('\n');
    if (lines[0] !== PARTITION_HEADER) {
        throw new _contracts.AdrecError('MODELS.BAD_PARTITION', `${key}: expected header "${PARTITION_HEADER}"`);
    }
    const products = [];
    for(let i = 1; i < lines.length; i++){
        const line = lines[i];
        if (line === '') continue;
        // Product ids may contain commas (quoted); the three counts never do.
        const c3 = line.lastIndexOf(',');
        const c2 = line.lastIndexOf(',', c3 - 1);
        const c1 = line.lastIndexOf(',', c2 - 1);
        const productId = unquote(line.slice(0, c1));
        const views = Number(line.slice(c1 + 1, c2));
        const impressions = Number(line.slice(c2 + 1, c3));
        const clicks = Number(line.slice(c3 + 1));
        if (c1 <= 0 || !Number.isInteger(views) || !Number.isInteger(impressions) || !Number.isInteger(clicks)) {
            throw new _contracts.AdrecError('MODELS.BAD_PARTITION', `${key}: line ${i + 1} is not "${PARTITION_HEADER}"`);
        }
        products.push({
            productId,
            views,
            impressions,
            clicks
        });
    }
    return products;
}
function csvField(value) {
    return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
function unquote(field) {
    return field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
}

//# sourceMappingURL=partition-file.js.map