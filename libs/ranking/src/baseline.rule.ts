import { MAX_LIST_ITEMS } from '@adrec/contracts';
import { compareIds, ProductCounts } from './product-counts';

/**
 * The model-free list the evaluation compares both models with (SPEC
 * section 6): the `limit` (MAX_LIST_ITEMS) smallest product ids, in byte order, among the products
 * an advertiser has any line for in the run's window (views or ad events).
 * It knows nothing of the counts, so a model's lift over it is what ranking
 * by behaviour buys.
 */
export function baselineProductIds(products: Iterable<ProductCounts>, limit = MAX_LIST_ITEMS): string[] {
  const ids: string[] = [];
  for (const product of products) {
    if (product.views > 0 || product.impressions > 0 || product.clicks > 0) ids.push(product.productId);
  }
  return ids.sort(compareIds).slice(0, limit);
}
