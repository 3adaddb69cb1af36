"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _logaggregator = require("./log-aggregator");
const VIEWS_KEY = 'raw/product_views.csv';
const ADS_KEY = 'raw/ads_views.csv';
const viewColumns = (0, _logaggregator.indexColumns)([
    'advertiser_id',
    'product_id',
    'date'
], _logaggregator.REQUIRED_COLUMNS.product_views).columns;
const adColumns = (0, _logaggregator.indexColumns)([
    'advertiser_id',
    'product_id',
    'type',
    'date'
], _logaggregator.REQUIRED_COLUMNS.ads_views).columns;
function aggregator(active = [
    'ADV1'
], window = [
    '2022-04-14'
]) {
    return new _logaggregator.LogAggregator(new Set(active), window);
}
function view(target, line, lineNumber = 2) {
    target.addProductView(line.split(','), viewColumns, 3, VIEWS_KEY, lineNumber);
}
function adEvent(target, line, lineNumber = 2) {
    target.addAdEvent(line.split(','), adColumns, 4, ADS_KEY, lineNumber);
}
describe('LogAggregator', ()=>{
    it('counts views, impressions and clicks per active advertiser and product', ()=>{
        const logs = aggregator();
        view(logs, 'ADV1,p1,2022-04-14');
        view(logs, 'ADV1,p1,2022-04-14');
        adEvent(logs, 'ADV1,p1,impression,2022-04-14');
        adEvent(logs, 'ADV1,p2,click,2022-04-14');
        expect([
            ...logs.counts.get('ADV1').values()
        ]).toEqual([
            {
                productId: 'p1',
                views: 2,
                impressions: 1,
                clicks: 0
            },
            {
                productId: 'p2',
                views: 0,
                impressions: 0,
                clicks: 1
            }
        ]);
        expect(logs.inputCounts).toMatchObject({
            productViewsKept: 2,
            impressionsKept: 1,
            clicksKept: 1
        });
        expect(logs.totalBadLines).toBe(0);
    });
    it('drops lines of inactive advertisers and counts them', ()=>{
        const logs = aggregator([
            'ADV1'
        ]);
        view(logs, 'GONE,p1,2022-04-14');
        adEvent(logs, 'GONE,p1,click,2022-04-14');
        expect(logs.counts.has('GONE')).toBe(false);
        expect(logs.inputCounts.inactiveAdvertiserLines).toBe(2);
        expect(logs.inputCounts).toMatchObject({
            productViewLines: 1,
            adEventLines: 1,
            productViewsKept: 0,
            clicksKept: 0
        });
        expect(logs.totalBadLines).toBe(0);
    });
    it('drops lines dated outside the window and counts them', ()=>{
        const logs = aggregator([
            'ADV1'
        ], [
            '2022-04-14'
        ]);
        view(logs, 'ADV1,p1,2022-04-13');
        adEvent(logs, 'ADV1,p1,impression,2022-04-15');
        expect(logs.counts.get('ADV1').size).toBe(0);
        expect(logs.inputCounts.outsideWindowLines).toBe(2);
        expect(logs.totalBadLines).toBe(0);
    });
    it('sums counts across every day of a several-day window', ()=>{
        const logs = aggregator([
            'ADV1'
        ], [
            '2022-04-12',
            '2022-04-13',
            '2022-04-14'
        ]);
        view(logs, 'ADV1,p1,2022-04-12');
        view(logs, 'ADV1,p1,2022-04-13');
        view(logs, 'ADV1,p1,2022-04-14');
        adEvent(logs, 'ADV1,p1,impression,2022-04-12');
        adEvent(logs, 'ADV1,p1,impression,2022-04-14');
        expect(logs.counts.get('ADV1').get('p1')).toEqual({
            productId: 'p1',
            views: 3,
            impressions: 2,
            clicks: 0
        });
    });
    it('keeps an empty entry for an active advertiser with no lines', ()=>{
        const logs = aggregator([
            'ADV1',
            'QUIET'
        ]);
        view(logs, 'ADV1,p1,2022-04-14');
        expect(logs.counts.get('QUIET')).toEqual(new Map());
    });
    it('counts bad lines per reason, with samples carrying key and line number', ()=>{
        const logs = aggregator();
        view(logs, 'ADV1,p1', 2);
        view(logs, ',p1,2022-04-14', 3);
        adEvent(logs, 'ADV1,,click,2022-04-14', 4);
        adEvent(logs, 'ADV1,p1,view,2022-04-14', 5);
        view(logs, 'ADV1,p1,2022-02-30', 6);
        adEvent(logs, 'ADV1,p1,click,14/04/2022', 7);
        logs.addMalformed('ads_views', ADS_KEY, 8, '"ADV1,p1,click,2022-04-14');
        expect(logs.badLines).toEqual({
            wrong_field_count: 1,
            empty_id: 2,
            unknown_type: 1,
            invalid_date: 2,
            bad_quote: 1
        });
        expect(logs.totalBadLines).toBe(7);
        expect(logs.totalLines).toBe(7);
        expect(logs.samples).toEqual([
            {
                key: VIEWS_KEY,
                lineNumber: 2,
                reason: 'wrong_field_count',
                text: 'ADV1,p1'
            },
            {
                key: VIEWS_KEY,
                lineNumber: 3,
                reason: 'empty_id',
                text: ',p1,2022-04-14'
            },
            {
                key: ADS_KEY,
                lineNumber: 4,
                reason: 'empty_id',
                text: 'ADV1,,click,2022-04-14'
            },
            {
                key: ADS_KEY,
                lineNumber: 5,
                reason: 'unknown_type',
                text: 'ADV1,p1,view,2022-04-14'
            },
            {
                key: VIEWS_KEY,
                lineNumber: 6,
                reason: 'invalid_date',
                text: 'ADV1,p1,2022-02-30'
            },
            {
                key: ADS_KEY,
                lineNumber: 7,
                reason: 'invalid_date',
                text: 'ADV1,p1,click,14/04/2022'
            },
            {
                key: ADS_KEY,
                lineNumber: 8,
                reason: 'bad_quote',
                text: '"ADV1,p1,click,2022-04-14'
            }
        ]);
        expect(logs.counts.get('ADV1').size).toBe(0);
    });
    it('reports an ad event with an empty id as empty_id, not unknown_type', ()=>{
        const logs = aggregator();
        adEvent(logs, ',p1,bogus,2022-04-14');
        expect(logs.badLines).toMatchObject({
            empty_id: 1,
            unknown_type: 0
        });
    });
    it('counts a malformed line as an input line of its dataset', ()=>{
        const logs = aggregator();
        logs.addMalformed('product_views', VIEWS_KEY, 9, 'x"y');
        expect(logs.inputCounts).toMatchObject({
            productViewLines: 1,
            adEventLines: 0
        });
    });
    it('keeps at most 20 samples per reason while counting every bad line', ()=>{
        const logs = aggregator();
        for(let line = 2; line < 32; line++)view(logs, 'ADV1,p1', line);
        expect(logs.badLines.wrong_field_count).toBe(30);
        expect(logs.samples).toHaveLength(20);
    });
    it('reads fields by header position, whatever the column order and extra columns', ()=>{
        const header = [
            'date',
            'referrer',
            'type',
            'product_id',
            'advertiser_id'
        ];
        const { columns, missing } = (0, _logaggregator.indexColumns)(header, _logaggregator.REQUIRED_COLUMNS.ads_views);
        expect(missing).toEqual([]);
        const logs = aggregator();
        logs.addAdEvent([
            '2022-04-14',
            'https://x',
            'click',
            'p9',
            'ADV1'
        ], columns, header.length, ADS_KEY, 2);
        expect(logs.counts.get('ADV1').get('p9')).toEqual({
            productId: 'p9',
            views: 0,
            impressions: 0,
            clicks: 1
        });
    });
});
describe('indexColumns', ()=>{
    it('maps required columns to their positions, ignoring case and surrounding spaces', ()=>{
        expect((0, _logaggregator.indexColumns)([
            ' Date',
            'PRODUCT_ID ',
            'extra',
            'advertiser_id'
        ], _logaggregator.REQUIRED_COLUMNS.product_views)).toEqual({
            columns: {
                advertiser_id: 3,
                product_id: 1,
                date: 0
            },
            missing: []
        });
    });
    it('lists the required columns the header lacks', ()=>{
        expect((0, _logaggregator.indexColumns)([
            'advertiser_id',
            'date'
        ], _logaggregator.REQUIRED_COLUMNS.ads_views).missing).toEqual([
            'product_id',
            'type'
        ]);
    });
});

//# sourceMappingURL=log-aggregator.spec.js.map