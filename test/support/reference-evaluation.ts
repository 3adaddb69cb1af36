import { referenceLists, sampleCsvRows } from './reference-lists';

export interface ReferenceModelEvaluation {
  hits: number;
  events: number;
  baselineHits: number;
}

export interface ReferenceEvaluation {
  /** Per model: summed over the run's advertisers, with how many had events. */
  models: Record<'top_ctr' | 'top_product', ReferenceModelEvaluation & { advertisers: number }>;
  byAdvertiser: Map<string, Record<'top_ctr' | 'top_product', ReferenceModelEvaluation>>;
}

/**
 * SPEC section 6 computed the plainest way, straight from the CSV files:
 * the lists of D (brute force, `referenceLists`), every line of D+1 by
 * advertiser whether or not it is still active, and the baseline from D's
 * lines. Shares no code with the pipeline.
 */
export function referenceEvaluation(dataDir: string, runDate: string, nextDate: string): ReferenceEvaluation {
  const rows = (file: string) => sampleCsvRows(dataDir, file);
  const lists = referenceLists(dataDir, runDate);
  const views = rows('product_views.csv');
  const ads = rows('ads_views.csv');
  const seenOnRunDate = new Map<string, Set<string>>();
  for (const [advertiser, product, date] of [...views, ...ads.map(([a, p, , d]) => [a, p, d])]) {
    if (date !== runDate) continue;
    if (!seenOnRunDate.has(advertiser)) seenOnRunDate.set(advertiser, new Set());
    seenOnRunDate.get(advertiser)!.add(product);
  }
  const nextViews = views.filter(([, , date]) => date === nextDate).map(([a, p]) => [a, p]);
  const nextClicks = ads.filter(([, , type, date]) => type === 'click' && date === nextDate).map(([a, p]) => [a, p]);

  const empty = () => ({ hits: 0, events: 0, baselineHits: 0, advertisers: 0 });
  const models = { top_ctr: empty(), top_product: empty() };
  const byAdvertiser = new Map<string, Record<'top_ctr' | 'top_product', ReferenceModelEvaluation>>();
  for (const [advertiser, advertiserLists] of lists) {
    const baseline = new Set([...(seenOnRunDate.get(advertiser) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, 20));
    const one = {} as Record<'top_ctr' | 'top_product', ReferenceModelEvaluation>;
    for (const [model, events] of [
      ['top_product', nextViews],
      ['top_ctr', nextClicks],
    ] as const) {
      const list = new Set(advertiserLists[model].map((item) => item.productId));
      const mine = events.filter(([a]) => a === advertiser).map(([, p]) => p);
      const figures = {
        hits: mine.filter((p) => list.has(p)).length,
        events: mine.length,
        baselineHits: mine.filter((p) => baseline.has(p)).length,
      };
      one[model] = figures;
      models[model].hits += figures.hits;
      models[model].events += figures.events;
      models[model].baselineHits += figures.baselineHits;
      if (figures.events > 0) models[model].advertisers++;
    }
    byAdvertiser.set(advertiser, one);
  }
  return { models, byAdvertiser };
}
