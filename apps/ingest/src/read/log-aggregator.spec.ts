import { CsvLineParser, CsvRecord } from '@adrec/csv';
import { ProductCounts } from '@adrec/ranking';
import { HeaderColumns, headerColumns, LogDatasetName } from '@adrec/storage';
import { LogAggregator } from './log-aggregator';

const VIEWS_KEY = 'raw/product_views.csv';
const ADS_KEY = 'raw/ads_views.csv';
const viewColumns = columnsOf('product_views', 'advertiser_id,product_id,date');
const adColumns = columnsOf('ads_views', 'advertiser_id,product_id,type,date');

/** The columns of a log whose header line is `header`. */
function columnsOf(dataset: LogDatasetName, header: string): HeaderColumns {
  let columns: HeaderColumns | undefined;
  withRecord(header, 1, (record) => (columns = headerColumns(dataset, record, 'test header')));
  return columns!;
}

function aggregator(active: string[] = ['ADV1'], window: string[] = ['2022-04-14']): LogAggregator {
  return new LogAggregator(new Set(active), window);
}

/** Parses `line` as line `lineNumber` of a file (the lines before it blank) and hands its record to `use`. */
function withRecord(line: string, lineNumber: number, use: (record: CsvRecord) => void): void {
  const parser = new CsvLineParser(use, () => {
    throw new Error(`test line ${line} is malformed`);
  });
  parser.push(Buffer.from('\n'.repeat(lineNumber - 1) + line + '\n'));
  parser.end();
}

function view(target: LogAggregator, line: string, lineNumber = 2): void {
  withRecord(line, lineNumber, (record) => target.addProductView(record, viewColumns, VIEWS_KEY));
}

function adEvent(target: LogAggregator, line: string, lineNumber = 2): void {
  withRecord(line, lineNumber, (record) => target.addAdEvent(record, adColumns, ADS_KEY));
}

function productsOf(target: LogAggregator, advertiserId: string): ProductCounts[] | undefined {
  return new Map(target.productsByAdvertiser()).get(advertiserId);
}

describe('LogAggregator', () => {
  it('counts views, impressions and clicks per active advertiser and product', () => {
    const logs = aggregator();
    view(logs, 'ADV1,p1,2022-04-14');
    view(logs, 'ADV1,p1,2022-04-14');
    adEvent(logs, 'ADV1,p1,impression,2022-04-14');
    adEvent(logs, 'ADV1,p2,click,2022-04-14');
    expect(productsOf(logs, 'ADV1')).toEqual([
      { productId: 'p1', views: 2, impressions: 1, clicks: 0 },
      { productId: 'p2', views: 0, impressions: 0, clicks: 1 },
    ]);
    expect(logs.inputCounts).toMatchObject({ productViewsKept: 2, impressionsKept: 1, clicksKept: 1 });
    expect(logs.totalBadLines).toBe(0);
  });

  it('drops lines of inactive advertisers and counts them', () => {
    const logs = aggregator(['ADV1']);
    view(logs, 'GONE,p1,2022-04-14');
    adEvent(logs, 'GONE,p1,click,2022-04-14');
    expect(productsOf(logs, 'GONE')).toBeUndefined();
    expect(logs.inputCounts.inactiveAdvertiserLines).toBe(2);
    expect(logs.inputCounts).toMatchObject({ productViewLines: 1, adEventLines: 1, productViewsKept: 0, clicksKept: 0 });
    expect(logs.totalBadLines).toBe(0);
  });

  it('counts a line whose advertiser id breaks the id rule (300 characters, a space, a slash) as a bad line, not an inactive one', () => {
    const logs = aggregator(['ADV1']);
    const long = 'L'.repeat(300);
    view(logs, `${long},p1,2022-04-14`, 2);
    adEvent(logs, '"ACME SHOES",p1,click,2022-04-14', 3);
    view(logs, 'acme/shoes,p1,2022-04-14', 4);
    view(logs, 'GONE,p1,2022-04-14', 5);
    expect(logs.badLines.invalid_advertiser_id).toBe(3);
    expect(logs.inputCounts.inactiveAdvertiserLines).toBe(1);
    expect(logs.samples.map((s) => [s.lineNumber, s.reason])).toEqual([
      [2, 'invalid_advertiser_id'],
      [3, 'invalid_advertiser_id'],
      [4, 'invalid_advertiser_id'],
    ]);
    expect(logs.samples[0].text).toBe(`${long},p1,2022-04-14`);
  });

  it('drops lines dated outside the window and counts them', () => {
    const logs = aggregator(['ADV1'], ['2022-04-14']);
    view(logs, 'ADV1,p1,2022-04-13');
    adEvent(logs, 'ADV1,p1,impression,2022-04-15');
    expect(productsOf(logs, 'ADV1')).toEqual([]);
    expect(logs.inputCounts.outsideWindowLines).toBe(2);
    expect(logs.totalBadLines).toBe(0);
  });

  it('sums counts across every day of a several-day window', () => {
    const logs = aggregator(['ADV1'], ['2022-04-12', '2022-04-13', '2022-04-14']);
    view(logs, 'ADV1,p1,2022-04-12');
    view(logs, 'ADV1,p1,2022-04-13');
    view(logs, 'ADV1,p1,2022-04-14');
    adEvent(logs, 'ADV1,p1,impression,2022-04-12');
    adEvent(logs, 'ADV1,p1,impression,2022-04-14');
    expect(productsOf(logs, 'ADV1')).toEqual([{ productId: 'p1', views: 3, impressions: 2, clicks: 0 }]);
  });

  it('keeps an empty entry for an active advertiser with no lines', () => {
    const logs = aggregator(['ADV1', 'QUIET']);
    view(logs, 'ADV1,p1,2022-04-14');
    expect(productsOf(logs, 'QUIET')).toEqual([]);
  });

  it('counts bad lines per reason, with samples carrying key and line number', () => {
    const logs = aggregator();
    view(logs, 'ADV1,p1', 2);
    view(logs, ',p1,2022-04-14', 3);
    adEvent(logs, 'ADV1,,click,2022-04-14', 4);
    adEvent(logs, 'ADV1,p1,view,2022-04-14', 5);
    view(logs, 'ADV1,p1,2022-02-30', 6);
    adEvent(logs, 'ADV1,p1,click,14/04/2022', 7);
    logs.addMalformed('ads_views', ADS_KEY, 8, '"ADV1,p1,click,2022-04-14');
    expect(logs.badLines).toEqual({
      wrong_field_count: 1,
      empty_id: 2,
      unknown_type: 1,
      invalid_date: 2,
      bad_quote: 1,
      line_too_long: 0,
      invalid_advertiser_id: 0,
    });
    expect(logs.totalBadLines).toBe(7);
    expect(logs.totalLines).toBe(7);
    expect(logs.samples).toEqual([
      { key: VIEWS_KEY, lineNumber: 2, reason: 'wrong_field_count', text: 'ADV1,p1' },
      { key: VIEWS_KEY, lineNumber: 3, reason: 'empty_id', text: ',p1,2022-04-14' },
      { key: ADS_KEY, lineNumber: 4, reason: 'empty_id', text: 'ADV1,,click,2022-04-14' },
      { key: ADS_KEY, lineNumber: 5, reason: 'unknown_type', text: 'ADV1,p1,view,2022-04-14' },
      { key: VIEWS_KEY, lineNumber: 6, reason: 'invalid_date', text: 'ADV1,p1,2022-02-30' },
      { key: ADS_KEY, lineNumber: 7, reason: 'invalid_date', text: 'ADV1,p1,click,14/04/2022' },
      { key: ADS_KEY, lineNumber: 8, reason: 'bad_quote', text: '"ADV1,p1,click,2022-04-14' },
    ]);
    expect(productsOf(logs, 'ADV1')).toEqual([]);
  });

  it('reports an ad event with an empty id as empty_id, not unknown_type', () => {
    const logs = aggregator();
    adEvent(logs, ',p1,bogus,2022-04-14');
    expect(logs.badLines).toMatchObject({ empty_id: 1, unknown_type: 0 });
  });

  it('counts a malformed line as an input line of its dataset', () => {
    const logs = aggregator();
    logs.addMalformed('product_views', VIEWS_KEY, 9, 'x"y');
    expect(logs.inputCounts).toMatchObject({ productViewLines: 1, adEventLines: 0 });
  });

  it('keeps at most 20 samples per reason while counting every bad line', () => {
    const logs = aggregator();
    for (let line = 2; line < 32; line++) view(logs, 'ADV1,p1', line);
    expect(logs.badLines.wrong_field_count).toBe(30);
    expect(logs.samples).toHaveLength(20);
  });

  it('reads fields by header position, whatever the column order and extra columns', () => {
    const columns = columnsOf('ads_views', 'date,referrer,type,product_id,advertiser_id');
    const logs = aggregator();
    withRecord('2022-04-14,https://x,click,p9,ADV1', 2, (record) => logs.addAdEvent(record, columns, ADS_KEY));
    expect(productsOf(logs, 'ADV1')).toEqual([{ productId: 'p9', views: 0, impressions: 0, clicks: 1 }]);
  });
  it('counts a quoted id and a CRLF line as the same product as a plain one', () => {
    const logs = aggregator();
    view(logs, 'ADV1,p1,2022-04-14');
    view(logs, '"ADV1","p1","2022-04-14"');
    withRecord('ADV1,p1,impression,2022-04-14\r', 2, (record) => logs.addAdEvent(record, adColumns, ADS_KEY));
    expect(productsOf(logs, 'ADV1')).toEqual([{ productId: 'p1', views: 2, impressions: 1, clicks: 0 }]);
  });

  it('counts exactly what a plain map of strings counts, over many advertisers and products', () => {
    // A small deterministic generator: enough pairs to make every table grow several times.
    let seed = 7;
    const random = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const active = Array.from({ length: 300 }, (_, i) => `ADV${i}`);
    const logs = aggregator(active.slice(0, 250), ['2022-04-14']);
    const expected = new Map<string, Map<string, ProductCounts>>(active.slice(0, 250).map((a) => [a, new Map()]));
    for (let line = 0; line < 60_000; line++) {
      const advertiser = active[random(active.length)];
      const product = `p${random(400)}`;
      const kind = random(3);
      if (kind === 0) view(logs, `${advertiser},${product},2022-04-14`);
      else adEvent(logs, `${advertiser},${product},${kind === 1 ? 'impression' : 'click'},2022-04-14`);
      const products = expected.get(advertiser);
      if (!products) continue;
      const counts = products.get(product) ?? { productId: product, views: 0, impressions: 0, clicks: 0 };
      products.set(product, counts);
      if (kind === 0) counts.views++;
      else if (kind === 1) counts.impressions++;
      else counts.clicks++;
    }
    const actual = new Map(logs.productsByAdvertiser());
    expect(actual.size).toBe(250);
    for (const [advertiser, products] of expected) {
      const byId = (a: ProductCounts, b: ProductCounts) => (a.productId < b.productId ? -1 : 1);
      expect([advertiser, [...actual.get(advertiser)!].sort(byId)]).toEqual([advertiser, [...products.values()].sort(byId)]);
    }
  });
});

describe('LogAggregator day events (next-day evaluation input)', () => {
  const dayOf = (target: LogAggregator) => target.dayEvents.byAdvertiser().map((d) => ({ ...d, products: Object.fromEntries(d.products) }));

  it('counts views and clicks of the run date for every advertiser, inactive ones too, and nothing else', () => {
    const logs = aggregator(['ADV1'], ['2022-04-13', '2022-04-14']);
    view(logs, 'ADV1,p1,2022-04-14');
    view(logs, 'GONE,p1,2022-04-14');
    view(logs, 'GONE,p1,2022-04-14');
    view(logs, 'ADV1,p2,2022-04-13'); // in the window, not the run date
    view(logs, 'ADV1,p3,2022-04-15'); // outside the window
    view(logs, ',p3,2022-04-14'); // bad line
    adEvent(logs, 'ADV1,p1,click,2022-04-14');
    adEvent(logs, 'GONE,p4,click,2022-04-14');
    adEvent(logs, 'ADV1,p1,impression,2022-04-14'); // impressions are not evaluation events
    expect(dayOf(logs)).toEqual([
      { advertiserId: 'ADV1', views: 1, clicks: 1, products: { p1: [1, 1] } },
      { advertiserId: 'GONE', views: 2, clicks: 1, products: { p1: [2, 0], p4: [0, 1] } },
    ]);
  });

  it('merges what several readers counted, advertisers matched by id whatever order each met them in', () => {
    const first = aggregator(['ADV1']);
    view(first, 'ADV1,p1,2022-04-14');
    view(first, 'GONE,p2,2022-04-14');
    const second = aggregator(['ADV1']);
    view(second, 'GONE,p2,2022-04-14');
    adEvent(second, 'OTHER,p9,click,2022-04-14');
    view(second, 'ADV1,p1,2022-04-14');
    const merged = aggregator(['ADV1']);
    merged.absorb(first.exportState());
    merged.absorb(second.exportState());
    expect(dayOf(merged)).toEqual([
      { advertiserId: 'ADV1', views: 2, clicks: 0, products: { p1: [2, 0] } },
      { advertiserId: 'GONE', views: 2, clicks: 0, products: { p2: [2, 0] } },
      { advertiserId: 'OTHER', views: 0, clicks: 1, products: { p9: [0, 1] } },
    ]);
  });
});
