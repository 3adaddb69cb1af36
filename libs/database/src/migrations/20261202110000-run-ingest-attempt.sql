-- Fences concurrent ingests of one run (a duplicate trigger delivered while
-- the first is still ingesting): each ingest claims the next attempt number,
-- and only the run's current attempt may store its jobs, its counts or its
-- failure. Each attempt writes its own partitions object (partitions-<n>.csv).
ALTER TABLE runs ADD COLUMN ingest_attempt integer NOT NULL DEFAULT 0;
