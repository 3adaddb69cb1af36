import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AdrecError } from '@adrec/contracts';
import { isGzipName, ObjectStore, RAW_DATASET_NAMES, singleObjectKey, singleObjectNames } from '@adrec/storage';

/**
 * Uploads the course's three files from a directory to the raw prefix as
 * `<dataset>.csv`, or `<dataset>.csv.gz` when gzipped (a file may have any
 * name the dataset catalog accepts for a single object, such as the bare
 * `<dataset>` the course's generator writes). Large files go up in multipart
 * chunks, streamed from disk.
 */
export async function uploadRawData(store: ObjectStore, rawPrefix: string, dir: string): Promise<string[]> {
  const files = await readdir(dir);
  const uploaded: string[] = [];
  for (const dataset of RAW_DATASET_NAMES) {
    const names = singleObjectNames(dataset);
    const name = names.find((candidate) => files.includes(candidate));
    if (!name) {
      throw new AdrecError('CLI.DATA_MISSING', `${dir} has no ${names[0]} (or ${names.slice(1).join(', ')})`);
    }
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) throw new AdrecError('CLI.DATA_MISSING', `${path} is not a file`);
    const key = singleObjectKey(rawPrefix, dataset, isGzipName(name));
    await store.upload(key, createReadStream(path), 'text/csv');
    uploaded.push(key);
  }
  return uploaded;
}
