import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isCalendarDate } from '@adrec/contracts';
import { readCsvStream } from '@adrec/csv';
import { HeaderColumns, headerColumns, isGzipName, LOG_DATASET_NAMES, singleObjectNames } from '@adrec/storage';

/**
 * Every valid date that appears in a directory's log files, oldest first. A
 * log whose header lacks a column its dataset needs fails with
 * INGEST.BAD_HEADER, as ingest would fail on it.
 */
export async function scanDates(dir: string): Promise<string[]> {
  const files = await readdir(dir);
  const dates = new Set<string>();
  for (const dataset of LOG_DATASET_NAMES) {
    const name = singleObjectNames(dataset).find((candidate) => files.includes(candidate));
    if (!name) continue;
    const path = join(dir, name);
    let columns: HeaderColumns | undefined;
    await readCsvStream(createReadStream(path), {
      gzip: isGzipName(name),
      onRecord: (record) => {
        if (!columns) {
          columns = headerColumns(dataset, record, path);
          return;
        }
        if (columns.date >= record.fieldCount) return;
        const date = record.field(columns.date);
        if (!dates.has(date) && isCalendarDate(date)) dates.add(date);
      },
      onMalformed: () => undefined,
    });
  }
  return [...dates].sort();
}
