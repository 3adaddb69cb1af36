import { MAX_LIST_ITEMS } from '@adrec/contracts';
import { compareIds, ProductCounts } from './product-counts';

export interface TopCtrItem {
  productId: string;
  clicks: number;
  impressions: number;
}

export interface TopCtrRanking {
  items: TopCtrItem[];
  /** Products that were clicked but had no impression in the window: left out, reported. */
  clicksWithoutImpressions: number;
}

/**
 * top_ctr: among products with at least one impression, ctr = clicks /
 * impressions; ranked by ctr descending, then clicks descending, then product
 * id ascending; the first `limit` (MAX_LIST_ITEMS).
 *
 * CTRs are compared by cross-multiplying the integer counts, so two equal
 * ratios (1/3 and 2/6) always tie exactly and fall through to the clicks rule.
 */
export function rankTopCtr(products: Iterable<ProductCounts>, limit = MAX_LIST_ITEMS): TopCtrRanking {
  const shown: TopCtrItem[] = [];
  let clicksWithoutImpressions = 0;
  for (const product of products) {
    if (product.impressions > 0) {
      shown.push({ productId: product.productId, clicks: product.clicks, impressions: product.impressions });
    } else if (product.clicks > 0) {
      clicksWithoutImpressions += 1;
    }
  }
  shown.sort((a, b) => b.clicks * a.impressions - a.clicks * b.impressions || b.clicks - a.clicks || compareIds(a.productId, b.productId));
  return { items: shown.slice(0, limit), clicksWithoutImpressions };
}

/** The click-through rate served by the API for an item. */
export function clickThroughRate(item: TopCtrItem): number {
  return item.clicks / item.impressions;
}
