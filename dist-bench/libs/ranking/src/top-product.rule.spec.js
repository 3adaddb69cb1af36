"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _topproductrule = require("./top-product.rule");
function viewed(productId, views) {
    return {
        productId,
        views,
        impressions: 0,
        clicks: 0
    };
}
describe('rankTopProduct', ()=>{
    it('ranks products by views, most viewed first', ()=>{
        expect((0, _topproductrule.rankTopProduct)([
            viewed('p1', 2),
            viewed('p2', 9),
            viewed('p3', 5)
        ])).toEqual([
            {
                productId: 'p2',
                views: 9
            },
            {
                productId: 'p3',
                views: 5
            },
            {
                productId: 'p1',
                views: 2
            }
        ]);
    });
    it('ranks equal views by product id in code unit order', ()=>{
        const ranked = (0, _topproductrule.rankTopProduct)([
            viewed('b', 3),
            viewed('a', 3),
            viewed('B', 3)
        ]);
        expect(ranked.map((item)=>item.productId)).toEqual([
            'B',
            'a',
            'b'
        ]);
    });
    it('ignores products with no views, even if they had ad events', ()=>{
        const ranked = (0, _topproductrule.rankTopProduct)([
            viewed('seen', 1),
            {
                productId: 'adsOnly',
                views: 0,
                impressions: 10,
                clicks: 2
            }
        ]);
        expect(ranked).toEqual([
            {
                productId: 'seen',
                views: 1
            }
        ]);
    });
    it('returns every viewed product when fewer than 20 were viewed', ()=>{
        expect((0, _topproductrule.rankTopProduct)([
            viewed('a', 1),
            viewed('b', 1),
            viewed('c', 1)
        ])).toHaveLength(3);
    });
    it('keeps exactly the 20 most viewed when more were viewed', ()=>{
        const products = Array.from({
            length: 25
        }, (_, i)=>viewed(`p${String(i).padStart(2, '0')}`, i + 1));
        const ranked = (0, _topproductrule.rankTopProduct)(products);
        expect(ranked).toHaveLength(20);
        expect(ranked[0]).toEqual({
            productId: 'p24',
            views: 25
        });
        expect(ranked[19]).toEqual({
            productId: 'p05',
            views: 6
        });
    });
    it('returns an empty list for no products', ()=>{
        expect((0, _topproductrule.rankTopProduct)([])).toEqual([]);
    });
});

//# sourceMappingURL=top-product.rule.spec.js.map