-- Ingest writes a run's partitions as one object (`partitions.csv`), each
-- advertiser's counts a byte range of it; a job names its range. Kept with
-- the job so re-emitting a run's pending jobs needs no S3 read.
ALTER TABLE run_jobs ADD COLUMN partition_offset bigint;
ALTER TABLE run_jobs ADD COLUMN partition_length integer;
