import { AdrecError } from '@adrec/contracts';
import { datePartitionsPrefix, isGzipName, ObjectStore, RAW_DATASETS, RawDatasetName, singleObjectNames } from '@adrec/storage';

export interface RawObject {
  key: string;
  gzip: boolean;
  /** Bytes, as listed (compressed size for gzip). */
  size: number;
}

/**
 * Finds a dataset's objects under the raw prefix, in either layout of the
 * dataset catalog (SPEC section 1): one object holding all dates, or date
 * partitions. When partitions exist, every date of the window must have one
 * for a log; `advertiser_ids` falls back to its single object instead.
 */
export async function locateDataset(
  store: ObjectStore,
  rawPrefix: string,
  dataset: RawDatasetName,
  dates: readonly string[],
): Promise<RawObject[]> {
  const sizes = new Map((await store.listObjects(`${rawPrefix}${dataset}`)).map((object) => [object.key, object.size]));
  const keys = [...sizes.keys()];
  const rawObject = (key: string): RawObject => ({ key, gzip: isGzipName(key), size: sizes.get(key)! });
  const partitionPrefix = datePartitionsPrefix(rawPrefix, dataset);
  const partitioned = keys.filter((key) => key.startsWith(partitionPrefix) && !key.endsWith('/'));
  if (partitioned.length > 0) {
    const objects: RawObject[] = [];
    const missing: string[] = [];
    for (const date of dates) {
      const prefix = `${partitionPrefix}${date}/`;
      const ofDate = partitioned.filter((key) => key.startsWith(prefix));
      if (ofDate.length === 0) missing.push(prefix);
      objects.push(...ofDate.map(rawObject));
    }
    if (missing.length > 0 && RAW_DATASETS[dataset].log) {
      throw new AdrecError('INGEST.DATASET_MISSING', `missing ${dataset} partition(s): ${missing.join(', ')}`, {
        details: { missing },
      });
    }
    if (objects.length > 0) return objects;
  }
  const names = singleObjectNames(dataset).map((name) => rawPrefix + name);
  const key = names.find((name) => sizes.has(name));
  if (key) return [rawObject(key)];
  throw new AdrecError(
    'INGEST.DATASET_MISSING',
    `dataset ${dataset} not found: expected s3://${store.bucket}/${names[0]} (or ${names.slice(1).join(', ')}, ${partitionPrefix}YYYY-MM-DD/*.csv)`,
    { details: { missing: [names[0]] } },
  );
}
