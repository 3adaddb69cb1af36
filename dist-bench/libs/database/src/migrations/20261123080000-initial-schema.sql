-- One row per pipeline run. A run is created by ingest when it receives the
-- trigger message; the runId comes from whoever triggered it, so a duplicate
-- trigger finds the row that is already there.
CREATE TABLE runs (
  run_id             text PRIMARY KEY,
  run_date           date NOT NULL,
  window_days        integer NOT NULL CHECK (window_days BETWEEN 1 AND 31),
  status             text NOT NULL CHECK (status IN ('ingesting', 'running', 'published', 'superseded', 'failed')),
  triggered_at       timestamptz NOT NULL,
  ingest_started_at  timestamptz,
  ingest_finished_at timestamptz,
  first_result_at    timestamptz,
  finished_at        timestamptz,
  jobs_total         integer,
  jobs_done          integer NOT NULL DEFAULT 0,
  input_counts       jsonb NOT NULL DEFAULT '{}',
  bad_lines          jsonb NOT NULL DEFAULT '{}',
  error_code         text,
  error_message      text
);
CREATE INDEX runs_by_date ON runs (run_date, triggered_at DESC);
CREATE INDEX runs_by_trigger_time ON runs (triggered_at DESC);

-- One row per (advertiser, model) of a run; done_at is set once, by the
-- writer transaction that stores the result.
CREATE TABLE run_jobs (
  run_id        text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  advertiser_id text NOT NULL,
  model         text NOT NULL CHECK (model IN ('top_ctr', 'top_product')),
  done_at       timestamptz,
  PRIMARY KEY (run_id, advertiser_id, model)
);

-- The lists. items is the ranked array the API serves, best first.
CREATE TABLE recommendations (
  run_id                      text NOT NULL,
  advertiser_id               text NOT NULL,
  model                       text NOT NULL,
  items                       jsonb NOT NULL,
  clicks_without_impressions  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, advertiser_id, model),
  FOREIGN KEY (run_id, advertiser_id, model) REFERENCES run_jobs ON DELETE CASCADE
);

-- The published run of each date. Replacing the row is the whole of
-- publication, so readers see the old run or the new one, never a mix.
CREATE TABLE publications (
  run_date     date PRIMARY KEY,
  run_id       text NOT NULL REFERENCES runs (run_id),
  triggered_at timestamptz NOT NULL,
  published_at timestamptz NOT NULL
);

-- Every advertiser that has appeared in a published run: the API's 404 rule.
CREATE TABLE known_advertisers (
  advertiser_id        text PRIMARY KEY,
  first_published_date date NOT NULL
);
