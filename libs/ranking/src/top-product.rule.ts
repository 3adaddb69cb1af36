import { MAX_LIST_ITEMS } from '@adrec/contracts';
import { compareIds, ProductCounts } from './product-counts';

export interface TopProductItem {
  productId: string;
  views: number;
}

/**
 * top_product: products ranked by number of product views, descending; ties
 * by product id ascending; the first `limit` (MAX_LIST_ITEMS). Products never viewed are not listed.
 */
export function rankTopProduct(products: Iterable<ProductCounts>, limit = MAX_LIST_ITEMS): TopProductItem[] {
  const viewed: TopProductItem[] = [];
  for (const product of products) {
    if (product.views > 0) viewed.push({ productId: product.productId, views: product.views });
  }
  viewed.sort((a, b) => b.views - a.views || compareIds(a.productId, b.productId));
  return viewed.slice(0, limit);
}
