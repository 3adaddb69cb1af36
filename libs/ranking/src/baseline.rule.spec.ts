import { baselineProductIds } from './baseline.rule';

const product = (productId: string, views = 0, impressions = 0, clicks = 0) => ({ productId, views, impressions, clicks });

describe('baselineProductIds', () => {
  it('takes the 20 smallest product ids in byte order, whatever their counts', () => {
    const products = Array.from({ length: 30 }, (_, i) => product(`p${String(29 - i).padStart(2, '0')}`, i, 0, 0));
    expect(baselineProductIds(products)).toEqual(Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`));
  });

  it('counts a product seen only in ad events, and orders by bytes (uppercase before lowercase)', () => {
    expect(baselineProductIds([product('b', 0, 1), product('a', 0, 0, 1), product('B', 3)])).toEqual(['B', 'a', 'b']);
  });

  it('leaves out a product with no line at all, and is empty for an advertiser with none', () => {
    expect(baselineProductIds([product('a'), product('b', 1)])).toEqual(['b']);
    expect(baselineProductIds([])).toEqual([]);
  });
});
