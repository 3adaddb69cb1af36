import { compareIds, ProductCounts, TOP_N } from './product-counts';

export interface TopProductItem {
  productId: string;
  views: number;
}

/**
 * top_product: products ranked by number of product views, descending; ties
 * by product id ascending; the first 20. Products never viewed are not listed.
 */
export function rankTopProduct(products: Iterable<ProductCounts>, limit = TOP_N): TopProductItem[] {
  const viewed: TopProductItem[] = [];
  for (const product of products) {
    if (product.views > 0) viewed.push({ productId: product.productId, views: product.views });
  }
  viewed.sort((a, b) => b.views - a.views || compareIds(a.productId, b.productId));
  return viewed.slice(0, limit);
}
