import { ByteKeySnapshot, ByteKeyTable, CsvRecord } from '@adrec/csv';
import { compareIds } from '@adrec/ranking';
import { HeaderColumns } from '@adrec/storage';

/** The counts kept per (advertiser, product) of the run's date. */
const VIEWS = 0;
const CLICKS = 1;

/** A `DayEventsCounter`'s counts as typed arrays, to move them between threads. */
export interface DayEventsState {
  advertisers: ByteKeySnapshot;
  products: ByteKeySnapshot;
}

/** One advertiser's product views and clicks of the day, in total and per product. */
export interface AdvertiserDayEvents {
  advertiserId: string;
  views: number;
  clicks: number;
  /** productId → [views, clicks]. */
  products: Map<string, [views: number, clicks: number]>;
}

/**
 * Counts the product views and clicks dated on the run's own date for every
 * advertiser, active or not: the lists of the day before are evaluated on
 * them (SPEC section 6). Built beside the window's counts from the same
 * parsed lines, so evaluation never reads the raw logs again. Ids are
 * interned by their bytes like the rest of ingest; memory follows the day's
 * (advertiser, product) pairs.
 */
export class DayEventsCounter {
  private advertisers = new ByteKeyTable(64);
  /** Group: the advertiser's id in `advertisers`. */
  private products = new ByteKeyTable(1 << 12, 2);

  addView(record: CsvRecord, columns: HeaderColumns): void {
    this.count(record, columns, VIEWS);
  }

  addClick(record: CsvRecord, columns: HeaderColumns): void {
    this.count(record, columns, CLICKS);
  }

  exportState(): DayEventsState {
    return { advertisers: this.advertisers.snapshot(), products: this.products.snapshot() };
  }

  /** Adds another counter's counts (from any thread: advertisers are matched by id, not by position). */
  absorb(state: DayEventsState): void {
    if (this.advertisers.size === 0) {
      this.advertisers = ByteKeyTable.fromSnapshot(state.advertisers);
      this.products = ByteKeyTable.fromSnapshot(state.products);
      return;
    }
    const advertiserOf: number[] = [];
    ByteKeyTable.forEachKey(state.advertisers, (id, _group, data, start, end, hash) => {
      advertiserOf[id] = this.advertisers.intern(0, data, start, end, hash);
    });
    ByteKeyTable.forEachKey(state.products, (_id, group, data, start, end, hash, values, at) => {
      const product = this.products.intern(advertiserOf[group], data, start, end, hash);
      this.products.add(product, VIEWS, values[at + VIEWS]);
      this.products.add(product, CLICKS, values[at + CLICKS]);
    });
  }

  /** Every advertiser with a view or a click that day, in id order. */
  byAdvertiser(): AdvertiserDayEvents[] {
    const days: AdvertiserDayEvents[] = [];
    for (let a = 0; a < this.advertisers.size; a++) {
      days.push({ advertiserId: this.advertisers.keyText(a), views: 0, clicks: 0, products: new Map() });
    }
    for (let p = 0; p < this.products.size; p++) {
      const day = days[this.products.groupOf(p)];
      const views = this.products.value(p, VIEWS);
      const clicks = this.products.value(p, CLICKS);
      day.views += views;
      day.clicks += clicks;
      day.products.set(this.products.keyText(p), [views, clicks]);
    }
    return days.sort((a, b) => compareIds(a.advertiserId, b.advertiserId));
  }

  private count(record: CsvRecord, columns: HeaderColumns, slot: number): void {
    const { data, starts, ends, hashes } = record;
    const a = columns.advertiser_id;
    const p = columns.product_id;
    const advertiser = this.advertisers.intern(0, data, starts[a], ends[a], hashes[a]);
    this.products.add(this.products.intern(advertiser, data, starts[p], ends[p], hashes[p]), slot, 1);
  }
}
