import { AdrecError } from '@adrec/contracts';
import { CsvLineParser } from '@adrec/csv';
import { HeaderColumns, headerColumns, LogDatasetName, ObjectStore } from '@adrec/storage';

/** A header line longer than this is not a log header. */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads a log object's header from its first bytes, for the slices that
 * start past it (the first slice reads its header as it goes).
 */
export async function readLogHeader(store: ObjectStore, key: string, dataset: LogDatasetName, size: number): Promise<HeaderColumns> {
  const head = await store.getRange(key, 0, Math.min(size, MAX_HEADER_BYTES));
  let columns: HeaderColumns | undefined;
  const parser = new CsvLineParser(
    (record) => (columns ??= headerColumns(dataset, record, key)),
    () => {
      if (!columns) throw malformedHeader(key);
    },
  );
  // Whole lines only: the first one that is not blank is the header.
  parser.push(head.subarray(0, head.lastIndexOf(10) + 1));
  if (!columns) throw new AdrecError('INGEST.BAD_HEADER', `${key}: no header line in the first ${MAX_HEADER_BYTES} bytes`);
  return columns;
}

export function malformedHeader(key: string): AdrecError {
  return new AdrecError('INGEST.BAD_HEADER', `${key}: the header line is not valid CSV`);
}

export function tooLongHeader(key: string, maxLineBytes: number): AdrecError {
  return new AdrecError('INGEST.BAD_HEADER', `${key}: the header line is longer than ${maxLineBytes} bytes`);
}
