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
    get LogAggregator () {
        return LogAggregator;
    },
    get REQUIRED_COLUMNS () {
        return REQUIRED_COLUMNS;
    },
    get indexColumns () {
        return indexColumns;
    }
});
const _contracts = require("../../../libs/contracts/src");
/** Bad lines kept per reason for the sample written next to the run. */ const SAMPLES_PER_REASON = 20;
const REQUIRED_COLUMNS = {
    advertiser_ids: [
        'advertiser_id'
    ],
    product_views: [
        'advertiser_id',
        'product_id',
        'date'
    ],
    ads_views: [
        'advertiser_id',
        'product_id',
        'type',
        'date'
    ]
};
let LogAggregator = class LogAggregator {
    activeAdvertisers;
    counts = new Map();
    badLines = {
        wrong_field_count: 0,
        empty_id: 0,
        unknown_type: 0,
        invalid_date: 0,
        bad_quote: 0
    };
    samples = [];
    inputCounts = {
        productViewLines: 0,
        adEventLines: 0,
        productViewsKept: 0,
        impressionsKept: 0,
        clicksKept: 0,
        inactiveAdvertiserLines: 0,
        outsideWindowLines: 0
    };
    dateValidity = new Map();
    windowDates;
    constructor(activeAdvertisers, windowDates){
        this.activeAdvertisers = activeAdvertisers;
        this.windowDates = new Set(windowDates);
        for (const advertiserId of activeAdvertisers)this.counts.set(advertiserId, new Map());
    }
    addProductView(fields, columns, expectedFields, key, lineNumber) {
        this.inputCounts.productViewLines++;
        if (fields.length !== expectedFields) return this.reject('wrong_field_count', key, lineNumber, fields);
        const product = this.productOf(fields, columns, key, lineNumber);
        if (product) product.views++;
        if (product) this.inputCounts.productViewsKept++;
    }
    addAdEvent(fields, columns, expectedFields, key, lineNumber) {
        this.inputCounts.adEventLines++;
        if (fields.length !== expectedFields) return this.reject('wrong_field_count', key, lineNumber, fields);
        const type = fields[columns.type];
        if (type !== 'impression' && type !== 'click') {
            // Validate ids and date first so an empty id is reported as such.
            if (!this.hasIdsAndDate(fields, columns, key, lineNumber)) return;
            return this.reject('unknown_type', key, lineNumber, fields);
        }
        const product = this.productOf(fields, columns, key, lineNumber);
        if (!product) return;
        if (type === 'impression') {
            product.impressions++;
            this.inputCounts.impressionsKept++;
        } else {
            product.clicks++;
            this.inputCounts.clicksKept++;
        }
    }
    /** A line seen by the parser as malformed (unbalanced quotes). */ addMalformed(dataset, key, lineNumber, text) {
        if (dataset === 'product_views') this.inputCounts.productViewLines++;
        else this.inputCounts.adEventLines++;
        this.rejectText('bad_quote', key, lineNumber, text);
    }
    get totalBadLines() {
        return Object.values(this.badLines).reduce((sum, n)=>sum + n, 0);
    }
    get totalLines() {
        return this.inputCounts.productViewLines + this.inputCounts.adEventLines;
    }
    /** Validates a line's ids and date, then returns its counter, or undefined when it is filtered out. */ productOf(fields, columns, key, lineNumber) {
        if (!this.hasIdsAndDate(fields, columns, key, lineNumber)) return undefined;
        if (!this.windowDates.has(fields[columns.date])) {
            this.inputCounts.outsideWindowLines++;
            return undefined;
        }
        const products = this.counts.get(fields[columns.advertiser_id]);
        if (!products) {
            this.inputCounts.inactiveAdvertiserLines++;
            return undefined;
        }
        const productId = fields[columns.product_id];
        let product = products.get(productId);
        if (!product) {
            product = {
                productId,
                views: 0,
                impressions: 0,
                clicks: 0
            };
            products.set(productId, product);
        }
        return product;
    }
    hasIdsAndDate(fields, columns, key, lineNumber) {
        if (fields[columns.advertiser_id] === '' || fields[columns.product_id] === '') {
            this.reject('empty_id', key, lineNumber, fields);
            return false;
        }
        const date = fields[columns.date];
        let valid = this.dateValidity.get(date);
        if (valid === undefined) {
            valid = (0, _contracts.isCalendarDate)(date);
            // Only a handful of distinct dates exist; don't let garbage grow the cache.
            if (this.dateValidity.size < 10_000) this.dateValidity.set(date, valid);
        }
        if (!valid) {
            this.reject('invalid_date', key, lineNumber, fields);
            return false;
        }
        return true;
    }
    reject(reason, key, lineNumber, fields) {
        this.rejectText(reason, key, lineNumber, fields.join(','));
    }
    rejectText(reason, key, lineNumber, text) {
        this.badLines[reason]++;
        if (this.badLines[reason] <= SAMPLES_PER_REASON) {
            this.samples.push({
                key,
                lineNumber,
                reason,
                text: text.slice(0, 500)
            });
        }
    }
};
function indexColumns(header, required) {
    const names = header.map((name)=>name.trim().toLowerCase());
    const columns = {};
    const missing = [];
    for (const name of required){
        const position = names.indexOf(name);
        if (position === -1) missing.push(name);
        else columns[name] = position;
    }
    return {
        columns,
        missing
    };
}

//# sourceMappingURL=log-aggregator.js.map