export { createS3Client, ObjectStore } from './object-store';
export { RunLayout } from './run-layout';
export { StorageModule } from './storage.module';
export { packPartitions, parsePartition, PARTITION_HEADER, serializePartition } from './partition-file';
export type { PackedRange } from './partition-file';
export {
  datePartitionsPrefix,
  headerColumns,
  isGzipName,
  LOG_DATASET_NAMES,
  RAW_DATASET_NAMES,
  RAW_DATASETS,
  singleObjectKey,
  singleObjectNames,
} from './raw-dataset.catalog';
export type { ColumnName, HeaderColumns, LogDatasetName, RawDatasetName } from './raw-dataset.catalog';
