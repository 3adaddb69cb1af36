import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isCalendarDate } from '@adrec/contracts';
import { readCsvStream } from '@adrec/csv';

/** Every valid date that appears in a directory's product_views and ads_views files, oldest first. */
export async function scanDates(dir: string): Promise<string[]> {
  const files = await readdir(dir);
  const dates = new Set<string>();
  for (const dataset of ['product_views', 'ads_views']) {
    const name = [`${dataset}.csv`, dataset, `${dataset}.csv.gz`].find((candidate) => files.includes(candidate));
    if (!name) continue;
    let dateColumn = -1;
    await readCsvStream(createReadStream(join(dir, name)), {
      gzip: name.endsWith('.gz'),
      onRecord: (record) => {
        const fields = record.fields();
        if (dateColumn === -1) {
          dateColumn = fields.map((f) => f.trim().toLowerCase()).indexOf('date');
          if (dateColumn === -1) dateColumn = fields.length - 1;
          return;
        }
        const date = fields[dateColumn];
        if (date !== undefined && !dates.has(date) && isCalendarDate(date)) dates.add(date);
      },
      onMalformed: () => undefined,
    });
  }
  return [...dates].sort();
}
