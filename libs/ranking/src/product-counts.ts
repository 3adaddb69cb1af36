/** What one advertiser's filtered logs say about one product over a run's window. */
export interface ProductCounts {
  productId: string;
  views: number;
  impressions: number;
  clicks: number;
}

/** Byte-order comparison of ids, the same as SQL's `COLLATE "C"` and DuckDB. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
