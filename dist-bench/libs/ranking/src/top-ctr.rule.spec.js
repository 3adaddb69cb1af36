"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _topctrrule = require("./top-ctr.rule");
function ad(productId, clicks, impressions) {
    return {
        productId,
        views: 0,
        impressions,
        clicks
    };
}
function ids(products) {
    return (0, _topctrrule.rankTopCtr)(products).items.map((item)=>item.productId);
}
describe('rankTopCtr', ()=>{
    it('ranks products by ctr, highest first', ()=>{
        expect(ids([
            ad('p1', 1, 10),
            ad('p2', 1, 2),
            ad('p3', 1, 5)
        ])).toEqual([
            'p2',
            'p3',
            'p1'
        ]);
    });
    it('ranks equal CTRs (1/3 and 2/6) by clicks, more clicks first', ()=>{
        expect(ids([
            ad('a', 1, 3),
            ad('b', 2, 6)
        ])).toEqual([
            'b',
            'a'
        ]);
    });
    it('ranks equal CTRs and clicks by product id in code unit order', ()=>{
        expect(ids([
            ad('b', 1, 4),
            ad('a', 1, 4),
            ad('B', 1, 4)
        ])).toEqual([
            'B',
            'a',
            'b'
        ]);
    });
    it('leaves out products with clicks but no impressions and counts them', ()=>{
        const ranking = (0, _topctrrule.rankTopCtr)([
            ad('seen', 1, 2),
            ad('ghost1', 3, 0),
            ad('ghost2', 1, 0)
        ]);
        expect(ranking.items.map((item)=>item.productId)).toEqual([
            'seen'
        ]);
        expect(ranking.clicksWithoutImpressions).toBe(2);
    });
    it('does not count products that were only viewed as clicks without impressions', ()=>{
        const ranking = (0, _topctrrule.rankTopCtr)([
            {
                productId: 'viewed',
                views: 5,
                impressions: 0,
                clicks: 0
            }
        ]);
        expect(ranking).toEqual({
            items: [],
            clicksWithoutImpressions: 0
        });
    });
    it('lists products with impressions but no clicks, with ctr 0, after clicked ones', ()=>{
        const ranking = (0, _topctrrule.rankTopCtr)([
            ad('cold', 0, 50),
            ad('warm', 1, 100)
        ]);
        expect(ranking.items).toEqual([
            {
                productId: 'warm',
                clicks: 1,
                impressions: 100
            },
            {
                productId: 'cold',
                clicks: 0,
                impressions: 50
            }
        ]);
        expect((0, _topctrrule.clickThroughRate)(ranking.items[1])).toBe(0);
    });
    it('returns every product when fewer than 20 had impressions', ()=>{
        const products = Array.from({
            length: 7
        }, (_, i)=>ad(`p${i}`, i, 10));
        expect((0, _topctrrule.rankTopCtr)(products).items).toHaveLength(7);
    });
    it('keeps exactly the best 20 when more products had impressions', ()=>{
        const products = Array.from({
            length: 30
        }, (_, i)=>ad(`p${String(i).padStart(2, '0')}`, i, 100));
        const items = (0, _topctrrule.rankTopCtr)(products).items;
        expect(items).toHaveLength(20);
        expect(items[0].productId).toBe('p29');
        expect(items[19].productId).toBe('p10');
    });
    it('returns an empty list for no products', ()=>{
        expect((0, _topctrrule.rankTopCtr)([])).toEqual({
            items: [],
            clicksWithoutImpressions: 0
        });
    });
    it('computes the served ctr as clicks over impressions', ()=>{
        expect((0, _topctrrule.clickThroughRate)({
            productId: 'p',
            clicks: 1,
            impressions: 4
        })).toBe(0.25);
    });
});

//# sourceMappingURL=top-ctr.rule.spec.js.map