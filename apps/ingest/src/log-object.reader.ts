import { AdrecError } from '@adrec/contracts';
import { readCsvStream } from '@adrec/csv';
import { ObjectStore } from '@adrec/storage';
import { indexColumns, LogAggregator, logColumns, LogColumns, REQUIRED_COLUMNS } from './log-aggregator';
import { DatasetName, RawObject } from './raw-datasets.locator';

export type LogDataset = 'product_views' | 'ads_views';

/** Streams one raw log object through the aggregator; its header row names the columns. */
export async function readLogObject(store: ObjectStore, object: RawObject, dataset: LogDataset, aggregator: LogAggregator): Promise<void> {
  let columns: LogColumns | undefined;
  await readCsvStream(await store.openStream(object.key), {
    gzip: object.gzip,
    onRecord: (record) => {
      if (!columns) {
        const header = record.fields();
        columns = logColumns(headerColumns(object.key, header, dataset, record.lineNumber), header.length);
      } else if (dataset === 'product_views') {
        aggregator.addProductView(record, columns, object.key);
      } else {
        aggregator.addAdEvent(record, columns, object.key);
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
