export { createS3Client, forEachLimited, ObjectStore } from './object-store';
export { RunLayout } from './run-layout';
export { StorageModule } from './storage.module';
export { parsePartition, PARTITION_HEADER, serializePartition } from './partition-file';
