import { isAdvertiserIdBytes, isCalendarDate } from '@adrec/contracts';
import { asciiBytes, ByteKeySnapshot, ByteKeyTable, CsvRecord, hashBytes } from '@adrec/csv';
import { compareIds, ProductCounts } from '@adrec/ranking';
import { HeaderColumns, LogDatasetName } from '@adrec/storage';
import { DayEventsCounter, DayEventsState } from './day-events.counter';

/** Why a line was skipped; the keys of a run's bad-line counts. */
export type BadLineReason =
  'wrong_field_count' | 'empty_id' | 'unknown_type' | 'invalid_date' | 'bad_quote' | 'line_too_long' | 'invalid_advertiser_id';

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
  /** In the window, and the run's own date (the window's last). */
  RunDate,
  OutsideWindow,
}

/** Which of the run date's events a line is, for the next-day evaluation (`DayEventsCounter`). */
const enum DayEvent {
  None,
  View,
  Click,
}

/** The counts kept per (advertiser, product) pair, as value slots of the pairs table. */
const VIEWS = 0;
const IMPRESSIONS = 1;
const CLICKS = 2;

const IMPRESSION = asciiBytes('impression');
const CLICK = asciiBytes('click');

/**
 * What an aggregator has counted, as plain data and typed arrays, to move it
 * from a reading thread to the one that merges (see `absorb`).
 */
export interface AggregatorState {
  /** The (advertiser, product) pairs with their counts. */
  pairs: ByteKeySnapshot;
  badLines: Record<BadLineReason, number>;
  inputCounts: LogAggregator['inputCounts'];
  samples: BadLineSample[];
  /** Views and clicks of the run's date, every advertiser. */
  dayEvents: DayEventsState;
}

/** Distinct date strings remembered; only a handful exist, so garbage cannot grow the cache past this. */
const MAX_CACHED_DATES = 10_000;

/**
 * Folds a run's log lines into per-advertiser product counts for the window,
 * dropping inactive advertisers and counting every skipped line by reason.
 *
 * Tens of millions of lines pass through here, so ids are never turned into
 * strings per line: advertisers, dates and (advertiser, product) pairs are
 * interned by their bytes into `ByteKeyTable`s, each pair's three counts in
 * its table record. Memory grows with the number of (active advertiser,
 * product) pairs, never with the number of lines.
 */
export class LogAggregator {
  readonly badLines: Record<BadLineReason, number> = {
    wrong_field_count: 0,
    empty_id: 0,
    unknown_type: 0,
    invalid_date: 0,
    bad_quote: 0,
    line_too_long: 0,
    /** An id the advertiser id rule rejects (libs/contracts identifiers.ts), in a log or in advertiser_ids. */
    invalid_advertiser_id: 0,
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
  /** Active advertisers; an advertiser's id in this table is its index in `advertiserIds`. */
  private readonly advertisers: ByteKeyTable;
  private readonly advertiserIds: string[];
  /** (advertiser, product) pairs seen in the window (group: the advertiser's id), each with its three counts. */
  private pairs = new ByteKeyTable(1 << 16, 3);
  /** What each date string seen so far is: one lookup per line answers both questions. */
  private readonly dates = new ByteKeyTable(64);
  private readonly dateKinds: DateKind[] = [];
  private readonly windowDates: Set<string>;
  private readonly runDate: string | undefined;
  /**
   * Product views and clicks dated on the run's date, of every advertiser
   * (inactive ones too): what the previous date's lists are evaluated on.
   */
  readonly dayEvents = new DayEventsCounter();

  /** @param windowDates the run's window, oldest first: the last one is the run's date. */
  constructor(activeAdvertisers: ReadonlySet<string>, windowDates: readonly string[]) {
    this.windowDates = new Set(windowDates);
    this.runDate = windowDates.at(-1);
    this.advertiserIds = [...activeAdvertisers];
    this.advertisers = new ByteKeyTable(this.advertiserIds.length);
    for (const advertiserId of this.advertiserIds) {
      const bytes = Buffer.from(advertiserId, 'utf8');
      this.advertisers.intern(0, bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length));
    }
  }

  addProductView(record: CsvRecord, columns: HeaderColumns, key: string): void {
    this.inputCounts.productViewLines++;
    if (record.fieldCount !== columns.fieldCount) return this.reject('wrong_field_count', key, record);
    const pair = this.pairOf(record, columns, key, DayEvent.View);
    if (pair === -1) return;
    this.pairs.add(pair, VIEWS, 1);
    this.inputCounts.productViewsKept++;
  }

  addAdEvent(record: CsvRecord, columns: HeaderColumns, key: string): void {
    this.inputCounts.adEventLines++;
    if (record.fieldCount !== columns.fieldCount) return this.reject('wrong_field_count', key, record);
    const isImpression = record.fieldEquals(columns.type, IMPRESSION);
    if (!isImpression && !record.fieldEquals(columns.type, CLICK)) {
      // Validate ids and date first so an empty id is reported as such.
      if (this.dateKindOf(record, columns, key) === undefined) return;
      return this.reject('unknown_type', key, record);
    }
    const pair = this.pairOf(record, columns, key, isImpression ? DayEvent.None : DayEvent.Click);
    if (pair === -1) return;
    if (isImpression) {
      this.pairs.add(pair, IMPRESSIONS, 1);
      this.inputCounts.impressionsKept++;
    } else {
      this.pairs.add(pair, CLICKS, 1);
      this.inputCounts.clicksKept++;
    }
  }

  /** A line seen by the parser as malformed (unbalanced quotes). */
  addMalformed(dataset: LogDatasetName, key: string, lineNumber: number, text: string): void {
    if (dataset === 'product_views') this.inputCounts.productViewLines++;
    else this.inputCounts.adEventLines++;
    this.rejectText('bad_quote', key, lineNumber, text);
  }

  /** A line longer than the maximum, skipped unread (`start` is its first bytes). */
  addTooLong(dataset: LogDatasetName, key: string, lineNumber: number, start: string): void {
    if (dataset === 'product_views') this.inputCounts.productViewLines++;
    else this.inputCounts.adEventLines++;
    this.rejectText('line_too_long', key, lineNumber, start);
  }

  /** Everything counted so far; the snapshot's buffers can be transferred to another thread. */
  exportState(): AggregatorState {
    return {
      pairs: this.pairs.snapshot(),
      badLines: { ...this.badLines },
      inputCounts: { ...this.inputCounts },
      samples: [...this.samples],
      dayEvents: this.dayEvents.exportState(),
    };
  }

  /**
   * Adds another aggregator's counts to these. Both must have been built
   * with the same active advertisers in the same order (pairs are grouped by
   * advertiser index). Samples are kept up to the per-reason limit.
   */
  absorb(state: AggregatorState): void {
    if (this.pairs.size === 0) {
      // The first state merged is taken whole: same ids, no key compared.
      this.pairs = ByteKeyTable.fromSnapshot(state.pairs);
    } else {
      ByteKeyTable.forEachKey(state.pairs, (_id, group, data, start, end, hash, values, at) => {
        const pair = this.pairs.intern(group, data, start, end, hash);
        this.pairs.add(pair, VIEWS, values[at + VIEWS]);
        this.pairs.add(pair, IMPRESSIONS, values[at + IMPRESSIONS]);
        this.pairs.add(pair, CLICKS, values[at + CLICKS]);
      });
    }
    for (const reason of Object.keys(this.badLines) as BadLineReason[]) this.badLines[reason] += state.badLines[reason];
    for (const name of Object.keys(this.inputCounts) as (keyof LogAggregator['inputCounts'])[]) {
      this.inputCounts[name] += state.inputCounts[name];
    }
    this.keepSamples(state.samples);
    this.dayEvents.absorb(state.dayEvents);
  }

  /** Adds bad-line samples, in order, while their reason has fewer than the samples kept per reason. */
  keepSamples(samples: readonly BadLineSample[]): void {
    const kept = new Map<BadLineReason, number>();
    for (const sample of this.samples) kept.set(sample.reason, (kept.get(sample.reason) ?? 0) + 1);
    for (const sample of samples) {
      const count = kept.get(sample.reason) ?? 0;
      if (count >= SAMPLES_PER_REASON) continue;
      kept.set(sample.reason, count + 1);
      this.samples.push(sample);
    }
  }

  /**
   * Each active advertiser's products seen in the window (in first-seen
   * order; an advertiser with none has an empty list), advertisers in id
   * order. Built on demand, one advertiser at a time, so the whole day is
   * never held as objects.
   */
  *productsByAdvertiser(): Generator<[advertiserId: string, products: ProductCounts[]]> {
    const pairCount = this.pairs.size;
    // Counting sort of pair ids by advertiser: `firstPair[a]` .. `firstPair[a + 1]` in `ordered`.
    const firstPair = new Int32Array(this.advertiserIds.length + 1);
    for (let pair = 0; pair < pairCount; pair++) firstPair[this.pairs.groupOf(pair) + 1]++;
    for (let a = 0; a < this.advertiserIds.length; a++) firstPair[a + 1] += firstPair[a];
    const ordered = new Int32Array(pairCount);
    const next = firstPair.slice(0, this.advertiserIds.length);
    for (let pair = 0; pair < pairCount; pair++) ordered[next[this.pairs.groupOf(pair)]++] = pair;
    // In id order, the order jobs are emitted in, so a models batch reads neighbouring ranges.
    const byId = this.advertiserIds.map((_, a) => a).sort((a, b) => compareIds(this.advertiserIds[a], this.advertiserIds[b]));
    for (const a of byId) {
      const products: ProductCounts[] = [];
      for (let i = firstPair[a]; i < firstPair[a + 1]; i++) {
        const pair = ordered[i];
        products.push({
          productId: this.pairs.keyText(pair),
          views: this.pairs.value(pair, VIEWS),
          impressions: this.pairs.value(pair, IMPRESSIONS),
          clicks: this.pairs.value(pair, CLICKS),
        });
      }
      yield [this.advertiserIds[a], products];
    }
  }

  /** (advertiser, product) pairs with clicks but no impression in the window: top_ctr leaves them out. */
  productsClickedWithoutImpressions(): number {
    let pairs = 0;
    for (let pair = 0; pair < this.pairs.size; pair++) {
      if (this.pairs.value(pair, CLICKS) > 0 && this.pairs.value(pair, IMPRESSIONS) === 0) pairs++;
    }
    return pairs;
  }

  get totalBadLines(): number {
    return Object.values(this.badLines).reduce((sum, n) => sum + n, 0);
  }

  get totalLines(): number {
    return this.inputCounts.productViewLines + this.inputCounts.adEventLines;
  }

  /**
   * Validates a line's ids and date, then returns its pair's id, or -1 when
   * it is filtered out. A view or click of the run's date is also counted
   * for the evaluation, before the active-advertiser filter.
   */
  private pairOf(record: CsvRecord, columns: HeaderColumns, key: string, dayEvent: DayEvent): number {
    const date = this.dateKindOf(record, columns, key);
    if (date === undefined) return -1;
    if (date === DateKind.OutsideWindow) {
      this.inputCounts.outsideWindowLines++;
      return -1;
    }
    if (date === DateKind.RunDate && dayEvent !== DayEvent.None) {
      if (dayEvent === DayEvent.View) this.dayEvents.addView(record, columns);
      else this.dayEvents.addClick(record, columns);
    }
    const { data, starts, ends, hashes } = record;
    const a = columns.advertiser_id;
    const advertiser = this.advertisers.find(0, data, starts[a], ends[a], hashes[a]);
    if (advertiser === -1) {
      // Active ids all pass the rule, so only lines of unknown advertisers need the check.
      if (isAdvertiserIdBytes(data, starts[a], ends[a])) this.inputCounts.inactiveAdvertiserLines++;
      else this.reject('invalid_advertiser_id', key, record);
      return -1;
    }
    const p = columns.product_id;
    return this.pairs.intern(advertiser, data, starts[p], ends[p], hashes[p]);
  }

  /** Checks a line's ids and date; returns where its date falls, or undefined for a bad line. */
  private dateKindOf(record: CsvRecord, columns: HeaderColumns, key: string): DateKind | undefined {
    if (record.fieldLength(columns.advertiser_id) === 0 || record.fieldLength(columns.product_id) === 0) {
      this.reject('empty_id', key, record);
      return undefined;
    }
    const d = columns.date;
    const { data, starts, ends, hashes } = record;
    const id = this.dates.find(0, data, starts[d], ends[d], hashes[d]);
    let kind = id === -1 ? undefined : this.dateKinds[id];
    if (kind === undefined) {
      const date = record.field(d);
      kind = !isCalendarDate(date)
        ? DateKind.Invalid
        : date === this.runDate
          ? DateKind.RunDate
          : this.windowDates.has(date)
            ? DateKind.InWindow
            : DateKind.OutsideWindow;
      if (this.dates.size < MAX_CACHED_DATES) this.dateKinds[this.dates.intern(0, data, starts[d], ends[d], hashes[d])] = kind;
    }
    if (kind === DateKind.Invalid) {
      this.reject('invalid_date', key, record);
      return undefined;
    }
    return kind;
  }

  private reject(reason: BadLineReason, key: string, record: CsvRecord): void {
    this.rejectText(reason, key, record.lineNumber, record);
  }

  /** Counts a line of `advertiser_ids` whose id breaks the advertiser id rule (read before the logs). */
  rejectAdvertiserIdLine(key: string, lineNumber: number, text: string): void {
    this.rejectText('invalid_advertiser_id', key, lineNumber, text);
  }

  /** Counts a bad line; the first few of each reason are kept as samples (`text` read only for those). */
  private rejectText(reason: BadLineReason, key: string, lineNumber: number, text: string | CsvRecord): void {
    this.badLines[reason]++;
    if (this.badLines[reason] <= SAMPLES_PER_REASON) {
      const line = typeof text === 'string' ? text : text.text();
      this.samples.push({ key, lineNumber, reason, text: line.slice(0, 500) });
    }
  }
}
