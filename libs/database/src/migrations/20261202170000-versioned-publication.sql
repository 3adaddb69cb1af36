-- Versioned publication (issue 17): every complete run of a date is a version
-- an operator can publish, roll back to, stage, read, and that retention may
-- delete.

-- What a run does when its last job is written:
--   auto  publish unless the date is pinned or a newer run of it is published;
--   stage never publish: the run ends 'staged' until `adrec publish --run`;
--   force publish even over a pinned date (and end the pin).
ALTER TABLE runs ADD COLUMN publish_mode text NOT NULL DEFAULT 'auto'
  CHECK (publish_mode IN ('auto', 'stage', 'force'));

-- 'staged': complete, held back on purpose. 'deleted': removed by retention;
-- the row stays as a tombstone (a redelivered trigger of it is ignored, and
-- `adrec runs` can say where it went), its jobs, lists and S3 outputs do not.
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check
  CHECK (status IN ('ingesting', 'running', 'published', 'superseded', 'staged', 'failed', 'deleted'));
ALTER TABLE runs ADD COLUMN deleted_at timestamptz;
-- Set once the run's S3 outputs are gone too; a tombstone without it is
-- swept again by the next gc (the objects go after the rows commit).
ALTER TABLE runs ADD COLUMN outputs_deleted_at timestamptz;

-- A pinned date keeps its published run until an explicit publish, a run
-- triggered with --force, or `adrec unpin`.
ALTER TABLE publications ADD COLUMN pinned boolean NOT NULL DEFAULT false;

-- Every change of a date's publication, newest last. run_id is deliberately
-- not a foreign key: the record outlives runs that retention deletes.
CREATE TABLE publication_history (
  id              bigserial PRIMARY KEY,
  run_date        date NOT NULL,
  run_id          text NOT NULL,
  previous_run_id text,
  how             text NOT NULL CHECK (how IN ('pipeline', 'publish', 'rollback', 'unpin')),
  pinned          boolean NOT NULL,
  reason          text,
  changed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publication_history_by_date ON publication_history (run_date, id DESC);
CREATE INDEX publication_history_by_run ON publication_history (run_id);
CREATE INDEX publication_history_by_previous_run ON publication_history (previous_run_id);

-- What was published before this migration, so the record starts complete.
INSERT INTO publication_history (run_date, run_id, previous_run_id, how, pinned, changed_at)
SELECT run_date, run_id, NULL, 'pipeline', false, published_at FROM publications;

-- The read-only role reads versions and their record, and can change nothing.
GRANT SELECT ON publication_history TO adrec_reader;
