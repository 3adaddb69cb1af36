export { compareIds } from './product-counts';
export type { ProductCounts } from './product-counts';
export { clickThroughRate, rankTopCtr } from './top-ctr.rule';
export type { TopCtrItem, TopCtrRanking } from './top-ctr.rule';
export { rankTopProduct } from './top-product.rule';
export type { TopProductItem } from './top-product.rule';
export { parseModelName } from './model-name';
export { baselineProductIds } from './baseline.rule';
