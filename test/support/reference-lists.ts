import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReferenceItem {
  productId: string;
  views?: number;
  clicks?: number;
  impressions?: number;
  ctr?: number;
}

/** The data rows of one of the sample generator's CSV files (plain, unquoted fields), header dropped. */
export function sampleCsvRows(dataDir: string, file: string): string[][] {
  return readFileSync(join(dataDir, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

/**
 * The lists of SPEC section 2 computed the plainest way possible, straight
 * from the CSV files, for the end-to-end test to compare the API against.
 * Deliberately shares no code with the pipeline.
 */
export function referenceLists(dataDir: string, runDate: string): Map<string, { top_ctr: ReferenceItem[]; top_product: ReferenceItem[] }> {
  const rows = (file: string) => sampleCsvRows(dataDir, file);
  const active = new Set(rows('advertiser_ids.csv').map(([id]) => id));
  const views = new Map<string, Map<string, number>>();
  const ads = new Map<string, Map<string, { clicks: number; impressions: number }>>();
  for (const id of active) {
    views.set(id, new Map());
    ads.set(id, new Map());
  }
  for (const [advertiser, product, date] of rows('product_views.csv')) {
    if (date !== runDate || !active.has(advertiser)) continue;
    const counts = views.get(advertiser)!;
    counts.set(product, (counts.get(product) ?? 0) + 1);
  }
  for (const [advertiser, product, type, date] of rows('ads_views.csv')) {
    if (date !== runDate || !active.has(advertiser)) continue;
    const counts = ads.get(advertiser)!;
    const entry = counts.get(product) ?? { clicks: 0, impressions: 0 };
    if (type === 'click') entry.clicks++;
    if (type === 'impression') entry.impressions++;
    counts.set(product, entry);
  }
  const byId = (a: ReferenceItem, b: ReferenceItem) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);
  const result = new Map<string, { top_ctr: ReferenceItem[]; top_product: ReferenceItem[] }>();
  for (const advertiser of active) {
    const topProduct = [...views.get(advertiser)!]
      .map(([productId, n]) => ({ productId, views: n }))
      .sort((a, b) => b.views - a.views || byId(a, b))
      .slice(0, 20);
    const topCtr = [...ads.get(advertiser)!]
      .filter(([, c]) => c.impressions > 0)
      .map(([productId, c]) => ({ productId, clicks: c.clicks, impressions: c.impressions, ctr: c.clicks / c.impressions }))
      .sort((a, b) => b.ctr - a.ctr || b.clicks - a.clicks || byId(a, b))
      .slice(0, 20);
    result.set(advertiser, { top_ctr: topCtr, top_product: topProduct });
  }
  return result;
}
