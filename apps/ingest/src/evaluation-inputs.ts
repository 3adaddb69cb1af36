import type { AdvertiserInput } from '@adrec/database';
import { baselineProductIds, ProductCounts } from '@adrec/ranking';

/**
 * Passes each advertiser's window counts through (to be packed into the
 * partitions object) while noting, in `into`, what evaluation and the drift
 * check keep of it: its kept lines and its baseline list. One pass over the
 * counts serves both.
 */
export function* notingAdvertiserInputs(
  partitions: Iterable<[advertiserId: string, products: ProductCounts[]]>,
  into: AdvertiserInput[],
): Generator<[advertiserId: string, products: ProductCounts[]]> {
  for (const [advertiserId, products] of partitions) {
    let linesKept = 0;
    for (const p of products) linesKept += p.views + p.impressions + p.clicks;
    into.push({ advertiserId, linesKept, baseline: baselineProductIds(products) });
    yield [advertiserId, products];
  }
}
