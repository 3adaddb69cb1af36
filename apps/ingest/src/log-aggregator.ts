import { isCalendarDate } from '@adrec/contracts';
import { ProductCounts } from '@adrec/ranking';

/** Why a line was skipped; the keys of a run's bad-line counts. */
export type BadLineReason = 'wrong_field_count' | 'empty_id' | 'unknown_type' | 'invalid_date' | 'bad_quote';

export interface BadLineSample {
  key: string;
  lineNumber: number;
  reason: BadLineReason;
  text: string;
}

/** Bad lines kept per reason for the sample written next to the run. */
const SAMPLES_PER_REASON = 20;

const enum DateKind {
  Invalid,
  InWindow,
  OutsideWindow,
}

/** Columns a dataset must have, by the name in its header row. */
export const REQUIRED_COLUMNS = {
  advertiser_ids: ['advertiser_id'],
  product_views: ['advertiser_id', 'product_id', 'date'],
  ads_views: ['advertiser_id', 'product_id', 'type', 'date'],
} as const;

/** Where each required column sits in this object's header (extra columns are allowed). */
export type ColumnIndex = Record<string, number>;

/**
 * Folds a run's log lines into per-advertiser product counts for the window,
 * dropping inactive advertisers and counting every skipped line by reason.
 * Memory grows with the number of (active advertiser, product) pairs, never
 * with the number of lines.
 */
export class LogAggregator {
  readonly counts = new Map<string, Map<string, ProductCounts>>();
  readonly badLines: Record<BadLineReason, number> = {
    wrong_field_count: 0,
    empty_id: 0,
    unknown_type: 0,
    invalid_date: 0,
    bad_quote: 0,
  };
  readonly samples: BadLineSample[] = [];
  readonly inputCounts = {
    productViewLines: 0,
    adEventLines: 0,
    productViewsKept: 0,
    impressionsKept: 0,
    clicksKept: 0,
    inactiveAdvertiserLines: 0,
    outsideWindowLines: 0,
  };
  /** What each date string seen so far is: one lookup per line answers both questions. */
  private readonly dateKinds = new Map<string, DateKind>();
  private readonly windowDates: Set<string>;

  constructor(
    readonly activeAdvertisers: ReadonlySet<string>,
    windowDates: readonly string[],
  ) {
    this.windowDates = new Set(windowDates);
    for (const advertiserId of activeAdvertisers) this.counts.set(advertiserId, new Map());
  }

  addProductView(fields: string[], columns: ColumnIndex, expectedFields: number, key: string, lineNumber: number): void {
    this.inputCounts.productViewLines++;
    if (fields.length !== expectedFields) return this.reject('wrong_field_count', key, lineNumber, fields);
    const product = this.productOf(fields, columns, key, lineNumber);
    if (product) product.views++;
    if (product) this.inputCounts.productViewsKept++;
  }

  addAdEvent(fields: string[], columns: ColumnIndex, expectedFields: number, key: string, lineNumber: number): void {
    this.inputCounts.adEventLines++;
    if (fields.length !== expectedFields) return this.reject('wrong_field_count', key, lineNumber, fields);
    const type = fields[columns.type];
    if (type !== 'impression' && type !== 'click') {
      // Validate ids and date first so an empty id is reported as such.
      if (this.hasIdsAndDate(fields, columns, key, lineNumber) === undefined) return;
      return this.reject('unknown_type', key, lineNumber, fields);
    }
    const product = this.productOf(fields, columns, key, lineNumber);
    if (!product) return;
    if (type === 'impression') {
      product.impressions++;
      this.inputCounts.impressionsKept++;
    } else {
      product.clicks++;
      this.inputCounts.clicksKept++;
    }
  }

  /** A line seen by the parser as malformed (unbalanced quotes). */
  addMalformed(dataset: 'product_views' | 'ads_views', key: string, lineNumber: number, text: string): void {
    if (dataset === 'product_views') this.inputCounts.productViewLines++;
    else this.inputCounts.adEventLines++;
    this.rejectText('bad_quote', key, lineNumber, text);
  }

  /** (advertiser, product) pairs with clicks but no impression in the window: top_ctr leaves them out. */
  productsClickedWithoutImpressions(): number {
    let pairs = 0;
    for (const products of this.counts.values()) {
      for (const product of products.values()) if (product.clicks > 0 && product.impressions === 0) pairs++;
    }
    return pairs;
  }

  get totalBadLines(): number {
    return Object.values(this.badLines).reduce((sum, n) => sum + n, 0);
  }

  get totalLines(): number {
    return this.inputCounts.productViewLines + this.inputCounts.adEventLines;
  }

  /** Validates a line's ids and date, then returns its counter, or undefined when it is filtered out. */
  private productOf(fields: string[], columns: ColumnIndex, key: string, lineNumber: number): ProductCounts | undefined {
    const date = this.hasIdsAndDate(fields, columns, key, lineNumber);
    if (date === undefined) return undefined;
    if (date === DateKind.OutsideWindow) {
      this.inputCounts.outsideWindowLines++;
      return undefined;
    }
    const products = this.counts.get(fields[columns.advertiser_id]);
    if (!products) {
      this.inputCounts.inactiveAdvertiserLines++;
      return undefined;
    }
    const productId = fields[columns.product_id];
    let product = products.get(productId);
    if (!product) {
      product = { productId, views: 0, impressions: 0, clicks: 0 };
      products.set(productId, product);
    }
    return product;
  }

  /** Checks a line's ids and date; returns where its date falls, or undefined for a bad line. */
  private hasIdsAndDate(fields: string[], columns: ColumnIndex, key: string, lineNumber: number): DateKind | undefined {
    if (fields[columns.advertiser_id] === '' || fields[columns.product_id] === '') {
      this.reject('empty_id', key, lineNumber, fields);
      return undefined;
    }
    const date = fields[columns.date];
    let kind = this.dateKinds.get(date);
    if (kind === undefined) {
      kind = !isCalendarDate(date) ? DateKind.Invalid : this.windowDates.has(date) ? DateKind.InWindow : DateKind.OutsideWindow;
      // Only a handful of distinct dates exist; don't let garbage grow the cache.
      if (this.dateKinds.size < 10_000) this.dateKinds.set(date, kind);
    }
    if (kind === DateKind.Invalid) {
      this.reject('invalid_date', key, lineNumber, fields);
      return undefined;
    }
    return kind;
  }

  private reject(reason: BadLineReason, key: string, lineNumber: number, fields: string[]): void {
    this.rejectText(reason, key, lineNumber, fields.join(','));
  }

  private rejectText(reason: BadLineReason, key: string, lineNumber: number, text: string): void {
    this.badLines[reason]++;
    if (this.badLines[reason] <= SAMPLES_PER_REASON) {
      this.samples.push({ key, lineNumber, reason, text: text.slice(0, 500) });
    }
  }
}

/** Maps required column names to positions, or lists the ones missing. */
export function indexColumns(header: string[], required: readonly string[]): { columns: ColumnIndex; missing: string[] } {
  const names = header.map((name) => name.trim().toLowerCase());
  const columns: ColumnIndex = {};
  const missing: string[] = [];
  for (const name of required) {
    const position = names.indexOf(name);
    if (position === -1) missing.push(name);
    else columns[name] = position;
  }
  return { columns, missing };
}
