import { join } from 'node:path';
import { AppConfig } from '@adrec/config';
import { ObjectStore } from '@adrec/storage';
import { RawInputReader } from '../../apps/ingest/src/read/raw-input.reader';
import { repositoryRoot } from './app-processes';

/**
 * Ingest's reader of raw input, for tests that build an `IngestService`.
 * Jest runs the TypeScript sources, which a reading thread cannot load, so
 * its threads run the built worker (`npm test` builds first).
 */
export function testRawInputReader(config: AppConfig, store: ObjectStore): RawInputReader {
  return new RawInputReader(config, store, join(repositoryRoot(), 'dist', 'apps', 'ingest', 'src', 'read', 'log-read.worker.js'));
}
