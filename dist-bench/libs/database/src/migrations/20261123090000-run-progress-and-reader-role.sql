-- When a run last moved (ingest finished or a result stored): a running run
-- that has not moved for a while is reported as stuck.
ALTER TABLE runs ADD COLUMN last_progress_at timestamptz;
UPDATE runs SET last_progress_at = COALESCE(finished_at, first_result_at, ingest_finished_at, triggered_at);

-- The API's read-only role. It is a group role without login: give it to the
-- API's login user (GRANT adrec_reader TO adrec_api) and point
-- DATABASE_READONLY_URL at that user. Roles are cluster-wide, hence the guard.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'adrec_reader') THEN
    CREATE ROLE adrec_reader NOLOGIN;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO adrec_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO adrec_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO adrec_reader;
