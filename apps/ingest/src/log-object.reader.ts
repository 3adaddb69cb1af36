import { AdrecError } from '@adrec/contracts';
import { readCsvStream } from '@adrec/csv';
import { ObjectStore } from '@adrec/storage';
import { indexColumns, LogAggregator, REQUIRED_COLUMNS } from './log-aggregator';
import { DatasetName, RawObject } from './raw-datasets.locator';

export type LogDataset = 'product_views' | 'ads_views';

/** Streams one raw log object through the aggregator; its header row names the columns. */
export async function readLogObject(store: ObjectStore, object: RawObject, dataset: LogDataset, aggregator: LogAggregator): Promise<void> {
  let columns: Record<string, number> | undefined;
  let expectedFields = 0;
  await readCsvStream(await store.openStream(object.key), {
    gzip: object.gzip,
    onRecord: (fields, lineNumber) => {
      if (!columns) {
        columns = headerColumns(object.key, fields, dataset, lineNumber);
        expectedFields = fields.length;
      } else if (dataset === 'product_views') {
        aggregator.addProductView(fields, columns, expectedFields, object.key, lineNumber);
      } else {
        aggregator.addAdEvent(fields, columns, expectedFields, object.key, lineNumber);
      }
    },
    onMalformed: (lineNumber, text) => {
      if (!columns) throw new AdrecError('INGEST.BAD_HEADER', `${object.key}: the header line is not valid CSV`);
      aggregator.addMalformed(dataset, object.key, lineNumber, text);
    },
  });
}

/** Positions of the dataset's required columns, or INGEST.BAD_HEADER naming the object and what is missing. */
export function headerColumns(key: string, header: string[], dataset: DatasetName, lineNumber: number): Record<string, number> {
  const { columns, missing } = indexColumns(header, REQUIRED_COLUMNS[dataset]);
  if (missing.length > 0) {
    throw new AdrecError(
      'INGEST.BAD_HEADER',
      `${key} line ${lineNumber}: header "${header.join(',')}" lacks column(s) ${missing.join(', ')}`,
    );
  }
  return columns;
}
