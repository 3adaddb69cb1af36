import { AdrecError } from '@adrec/contracts';
import { ObjectStore } from '@adrec/storage';

export type DatasetName = 'advertiser_ids' | 'product_views' | 'ads_views';

export interface RawObject {
  key: string;
  gzip: boolean;
  /** Bytes, as listed (compressed size for gzip). */
  size: number;
}

const SINGLE_OBJECT_SUFFIXES = ['.csv', '', '.csv.gz', '.gz'];

/**
 * Finds a dataset's objects under the raw prefix, in either layout of SPEC
 * section 1: one object holding all dates (`raw/product_views.csv`, also
 * without `.csv`, optionally gzipped), or date partitions
 * (`raw/product_views/date=YYYY-MM-DD/*.csv[.gz]`). When partitions exist,
 * every date of the window must have one; otherwise the single object must.
 */
export async function locateDataset(
  store: ObjectStore,
  rawPrefix: string,
  dataset: DatasetName,
  dates: readonly string[],
): Promise<RawObject[]> {
  const base = `${rawPrefix}${dataset}`;
  const sizes = new Map((await store.listObjects(base)).map((object) => [object.key, object.size]));
  const keys = [...sizes.keys()];
  const rawObject = (key: string): RawObject => ({ key, gzip: key.endsWith('.gz'), size: sizes.get(key)! });
  const partitionPrefix = `${base}/date=`;
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
    if (missing.length > 0 && dataset !== 'advertiser_ids') {
      throw new AdrecError('INGEST.DATASET_MISSING', `missing ${dataset} partition(s): ${missing.join(', ')}`, {
        details: { missing },
      });
    }
    if (objects.length > 0) return objects;
  }
  for (const suffix of SINGLE_OBJECT_SUFFIXES) {
    const key = base + suffix;
    if (sizes.has(key)) return [rawObject(key)];
  }
  throw new AdrecError(
    'INGEST.DATASET_MISSING',
    `dataset ${dataset} not found: expected s3://${store.bucket}/${base}.csv (or ${base}, ${base}.csv.gz, ${partitionPrefix}YYYY-MM-DD/*.csv)`,
    { details: { missing: [`${base}.csv`] } },
  );
}
