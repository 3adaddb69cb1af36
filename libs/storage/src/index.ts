export { createS3Client, ObjectStore } from './object-store';
export { RunLayout } from './run-layout';
export { StorageModule } from './storage.module';
export { packPartitions, parsePartition, PARTITION_HEADER, serializePartition } from './partition-file';
export type { PackedRange } from './partition-file';
