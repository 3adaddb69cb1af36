import { AdrecError } from '@adrec/contracts';
import { CsvRecord } from '@adrec/csv';

/**
 * The raw datasets of SPEC section 1, and the columns each must have, by the
 * name in its header row (in any order and case, spaces around a name
 * ignored; extra columns allowed). Logs are dated lines that ingest filters
 * by the run's window; `advertiser_ids` is the list of active advertisers.
 */
export const RAW_DATASETS = {
  advertiser_ids: { columns: ['advertiser_id'], log: false },
  product_views: { columns: ['advertiser_id', 'product_id', 'date'], log: true },
  ads_views: { columns: ['advertiser_id', 'product_id', 'type', 'date'], log: true },
} as const;

export type RawDatasetName = keyof typeof RAW_DATASETS;
export type LogDatasetName = 'product_views' | 'ads_views';
export type ColumnName = (typeof RAW_DATASETS)[RawDatasetName]['columns'][number];

export const RAW_DATASET_NAMES = Object.keys(RAW_DATASETS) as RawDatasetName[];
export const LOG_DATASET_NAMES = RAW_DATASET_NAMES.filter((dataset): dataset is LogDatasetName => RAW_DATASETS[dataset].log);

/** Every column name of every dataset, in one order, so that every `HeaderColumns` has the same shape. */
const COLUMN_NAMES = [...new Set(RAW_DATASET_NAMES.flatMap((dataset) => RAW_DATASETS[dataset].columns))];

/**
 * A dataset held in one object (or one local file) is named
 * `<dataset><suffix>`, with the first of these suffixes that exists; a name
 * ending in `.gz` is gzipped. Otherwise it is date partitions:
 * `<dataset>/date=YYYY-MM-DD/*.csv[.gz]`.
 */
const SINGLE_OBJECT_SUFFIXES = ['.csv', '', '.csv.gz', '.gz'];

/** The names a dataset's single object or local file may have, in order of preference. */
export function singleObjectNames(dataset: RawDatasetName): string[] {
  return SINGLE_OBJECT_SUFFIXES.map((suffix) => dataset + suffix);
}

/** The prefix of a dataset's date partitions under the raw prefix; a date and `/` follow it. */
export function datePartitionsPrefix(rawPrefix: string, dataset: RawDatasetName): string {
  return `${rawPrefix}${dataset}/date=`;
}

export function isGzipName(name: string): boolean {
  return name.endsWith('.gz');
}

/** The key a dataset's single object is uploaded to: `<dataset>.csv`, or `<dataset>.csv.gz` when gzipped. */
export function singleObjectKey(rawPrefix: string, dataset: RawDatasetName, gzip: boolean): string {
  return `${rawPrefix}${dataset}${gzip ? '.csv.gz' : '.csv'}`;
}

/**
 * Where each column sits in one file's header (-1: a column its dataset does
 * not have), and the header's field count: a line with another count is bad.
 */
export type HeaderColumns = { readonly [name in ColumnName]: number } & { readonly fieldCount: number };

/**
 * Reads a dataset's header record: where its columns are, or
 * INGEST.BAD_HEADER naming the file (`source`), the header and the columns
 * it lacks. Ingest and the CLI's date scan judge a header by this one rule.
 */
export function headerColumns(dataset: RawDatasetName, header: CsvRecord, source: string): HeaderColumns {
  const fields = header.fields();
  const names = fields.map((name) => name.trim().toLowerCase());
  const required: readonly ColumnName[] = RAW_DATASETS[dataset].columns;
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new AdrecError(
      'INGEST.BAD_HEADER',
      `${source} line ${header.lineNumber}: header "${fields.join(',')}" lacks column(s) ${missing.join(', ')}`,
      { details: { source, missing } },
    );
  }
  const columns: Record<string, number> = {};
  for (const name of COLUMN_NAMES) columns[name] = required.includes(name) ? names.indexOf(name) : -1;
  return { ...(columns as Record<ColumnName, number>), fieldCount: fields.length };
}
