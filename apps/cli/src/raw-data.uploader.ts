import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AdrecError } from '@adrec/contracts';
import { ObjectStore } from '@adrec/storage';

const DATASETS = ['advertiser_ids', 'product_views', 'ads_views'];

/**
 * Uploads the course's three files from a directory to the raw prefix as
 * `<dataset>.csv` (files named without `.csv`, as the course's generator
 * writes them, are accepted; `.csv.gz` keeps its name). Large files go up in
 * multipart chunks, streamed from disk.
 */
export async function uploadRawData(store: ObjectStore, rawPrefix: string, dir: string): Promise<string[]> {
  const files = await readdir(dir);
  const uploaded: string[] = [];
  for (const dataset of DATASETS) {
    const name = [`${dataset}.csv`, dataset, `${dataset}.csv.gz`].find((candidate) => files.includes(candidate));
    if (!name) {
      throw new AdrecError('CLI.DATA_MISSING', `${dir} has no ${dataset}.csv (or ${dataset}, ${dataset}.csv.gz)`);
    }
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) throw new AdrecError('CLI.DATA_MISSING', `${path} is not a file`);
    const key = `${rawPrefix}${dataset}${name.endsWith('.gz') ? '.csv.gz' : '.csv'}`;
    await store.upload(key, createReadStream(path), 'text/csv');
    uploaded.push(key);
  }
  return uploaded;
}
