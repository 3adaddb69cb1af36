-- Issue 16: next-day evaluation of every published list, and input drift.

-- What ingest learned about each active advertiser of a run, beyond its
-- partition: how many log lines of the window it kept (the per-advertiser
-- volume input drift compares) and the model-free baseline list (the 20
-- smallest product ids it had lines for in the window) evaluation compares
-- the models with.
CREATE TABLE run_advertiser_inputs (
  run_id        text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  advertiser_id text NOT NULL,
  lines_kept    integer NOT NULL,
  baseline      text[] NOT NULL,
  PRIMARY KEY (run_id, advertiser_id)
);

-- The events of one day, for every advertiser with lines that day, active
-- or not: what the lists of the day before are evaluated on. Written by the
-- ingest of a run of that date (the most recently triggered run whose ingest
-- passed the bad-line check wins), so re-running the date replaces them.
CREATE TABLE day_events (
  event_date   date PRIMARY KEY,
  run_id       text NOT NULL,
  triggered_at timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL
);

-- One row per advertiser of a day: its product views and clicks that day,
-- and per product `{"<productId>": [views, clicks]}` (one row per advertiser
-- keeps a day of a large catalog to thousands of rows, not millions).
CREATE TABLE day_advertiser_events (
  event_date     date NOT NULL REFERENCES day_events (event_date) ON DELETE CASCADE,
  advertiser_id  text NOT NULL,
  views          integer NOT NULL,
  clicks         integer NOT NULL,
  product_counts jsonb NOT NULL,
  PRIMARY KEY (event_date, advertiser_id)
);

-- The evaluation of the published run of a date on the next day's events.
-- Recomputed whenever either input changes (the date is published again, or
-- the next day is ingested again); `run_id` and `events_run_id` say which
-- inputs it was computed from.
CREATE TABLE evaluations (
  run_date      date PRIMARY KEY,
  run_id        text NOT NULL,
  events_run_id text NOT NULL,
  evaluated_at  timestamptz NOT NULL
);

-- Per advertiser and model: events (next-day views for top_product, clicks
-- for top_ctr), hits (those on a product of the list) and baseline_hits
-- (those on a product of the baseline list).
CREATE TABLE advertiser_evaluations (
  run_date      date NOT NULL REFERENCES evaluations (run_date) ON DELETE CASCADE,
  advertiser_id text NOT NULL,
  model         text NOT NULL CHECK (model IN ('top_ctr', 'top_product')),
  hits          integer NOT NULL,
  events        integer NOT NULL,
  baseline_hits integer NOT NULL,
  PRIMARY KEY (run_date, advertiser_id, model)
);
CREATE INDEX advertiser_evaluations_by_advertiser ON advertiser_evaluations (advertiser_id, run_date);

-- Input drift warnings of a run, [{code, message}], set by its ingest.
ALTER TABLE runs ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]';
