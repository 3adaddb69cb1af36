import { AdrecError } from '@adrec/contracts';
import { CsvLineParser } from '@adrec/csv';
import { HeaderColumns, headerColumns, RawDatasetName, singleObjectKey, singleObjectNames } from './raw-dataset.catalog';

/** `headerColumns` of `header` read as line `lineNumber` of `source`. */
function columnsOf(dataset: RawDatasetName, header: string, source = 'raw/file.csv', lineNumber = 1): HeaderColumns {
  let columns: HeaderColumns | undefined;
  const parser = new CsvLineParser(
    // The parser reuses its record: read it inside the callback.
    (record) => (columns = headerColumns(dataset, record, source)),
    () => undefined,
  );
  parser.push(Buffer.from('\n'.repeat(lineNumber - 1) + header + '\n'));
  return columns!;
}

describe('headerColumns', () => {
  it('finds each column by name, ignoring case and surrounding spaces; a column the dataset lacks is -1', () => {
    expect(columnsOf('product_views', ' Date,PRODUCT_ID ,extra,advertiser_id')).toEqual({
      advertiser_id: 3,
      product_id: 1,
      type: -1,
      date: 0,
      fieldCount: 4,
    });
  });

  it('rejects a header without a column its dataset needs with INGEST.BAD_HEADER naming the file, the line and the missing columns', () => {
    const read = () => columnsOf('ads_views', 'advertiser_id,date', 'raw/ads_views.csv', 3);
    expect(read).toThrow(AdrecError);
    expect(read).toThrow(expect.objectContaining({ code: 'INGEST.BAD_HEADER' }) as Error);
    expect(read).toThrow('raw/ads_views.csv line 3: header "advertiser_id,date" lacks column(s) product_id, type');
  });

  it('gives every dataset the same shape of columns', () => {
    const shape = (columns: object) => Object.keys(columns);
    expect(shape(columnsOf('advertiser_ids', 'advertiser_id'))).toEqual(
      shape(columnsOf('ads_views', 'advertiser_id,product_id,type,date')),
    );
  });
});

describe('dataset layout', () => {
  it('names a single object .csv first, then bare, then gzipped', () => {
    expect(singleObjectNames('ads_views')).toEqual(['ads_views.csv', 'ads_views', 'ads_views.csv.gz', 'ads_views.gz']);
  });

  it('uploads a dataset as .csv, or .csv.gz when gzipped', () => {
    expect(singleObjectKey('raw/', 'product_views', false)).toBe('raw/product_views.csv');
    expect(singleObjectKey('raw/', 'product_views', true)).toBe('raw/product_views.csv.gz');
  });
});
