-- Which of two runs of a date is the newer one is the order ingest first
-- registered them in, a database sequence: a sender's clock (triggered_at)
-- that is wrong or in the future must not make later runs `superseded`.
CREATE SEQUENCE runs_trigger_seq;
ALTER TABLE runs ADD COLUMN trigger_seq bigint;
UPDATE runs SET trigger_seq = ordered.n
FROM (SELECT run_id, row_number() OVER (ORDER BY triggered_at, run_id) AS n FROM runs) AS ordered
WHERE runs.run_id = ordered.run_id;
SELECT setval('runs_trigger_seq', COALESCE((SELECT max(trigger_seq) FROM runs), 0) + 1, false);
ALTER TABLE runs
  ALTER COLUMN trigger_seq SET DEFAULT nextval('runs_trigger_seq'),
  ALTER COLUMN trigger_seq SET NOT NULL;
ALTER SEQUENCE runs_trigger_seq OWNED BY runs.trigger_seq;
CREATE UNIQUE INDEX runs_by_trigger_seq ON runs (trigger_seq);

-- Every change of a publication row gets a new, higher version, whoever
-- makes it (the writer, an operator's publish or rollback). The API compares
-- (count, max(version)) with what it holds, a cheap check that notices any
-- change even when the NOTIFY was lost: an insert or update raises the
-- maximum, a delete lowers the count.
CREATE SEQUENCE publication_version_seq;
ALTER TABLE publications ADD COLUMN version bigint;
UPDATE publications SET version = nextval('publication_version_seq');
ALTER TABLE publications ALTER COLUMN version SET NOT NULL;
CREATE FUNCTION publications_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := nextval('publication_version_seq');
  RETURN NEW;
END
$$;
CREATE TRIGGER publications_version BEFORE INSERT OR UPDATE ON publications
  FOR EACH ROW EXECUTE FUNCTION publications_next_version();
