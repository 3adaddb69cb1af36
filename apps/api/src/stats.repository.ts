import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { inTransaction } from '@adrec/database';
import { MODEL_NAMES, ModelName } from '@adrec/contracts';

/** How many of the latest published dates `mostChanging` compares (default 7: a week of nightly runs). */
export const CHANGE_WINDOW_DATES = 7;
/** How many advertisers `mostChanging` reports (default 10). */
export const MOST_CHANGING_LIMIT = 10;

export interface ModelCoverage {
  /** Advertisers of the latest run with a non-empty list. */
  advertisers: number;
  /** `advertisers` / active advertisers of the latest run; 0 when there is none. */
  share: number;
  /** Mean list length over every active advertiser, empty lists included. */
  meanListLength: number;
}

export interface AdvertiserAgreement {
  advertiserId: string;
  /** Products in both the top_ctr and the top_product list. */
  shared: number;
  /** shared / products in either list; null when both lists are empty. */
  jaccard: number | null;
}

export interface ChangingAdvertiser {
  advertiserId: string;
  /** Mean of 1 - jaccard over both models and every compared pair of consecutive published dates. */
  meanChange: number;
  topProduct: number;
  topCtr: number;
  /** Pairs of consecutive published dates in which the advertiser was active on both. */
  days: number;
}

export interface LatestRun {
  runId: string;
  runDate: string;
  windowDays: number;
  triggeredAt: Date;
  publishedAt: Date;
  seconds: {
    /** ingest_started_at to ingest_finished_at. */
    ingest: number | null;
    /** ingest_finished_at to finished_at: every model job and its write. */
    modelsAndWriter: number | null;
    /** triggered_at to finished_at. */
    total: number | null;
  };
  jobsTotal: number | null;
  inputCounts: Record<string, number>;
  badLines: Record<string, number>;
}

/** The `/stats` body of SPEC section 4. */
export interface Stats {
  activeAdvertisers: number;
  dates: { available: string[]; latest: string | null; count: number };
  coverage: Record<ModelName, ModelCoverage>;
  agreement: { meanJaccard: number | null; advertisers: AdvertiserAgreement[] };
  mostChanging: ChangingAdvertiser[];
  latestRun: LatestRun | null;
}

interface LatestRunRow {
  runId: string;
  runDate: string;
  windowDays: number;
  triggeredAt: Date;
  publishedAt: Date;
  ingestSeconds: number | null;
  modelsAndWriterSeconds: number | null;
  totalSeconds: number | null;
  jobsTotal: number | null;
  inputCounts: Record<string, number>;
  badLines: Record<string, number>;
  activeAdvertisers: number;
}

/**
 * A lateral subquery giving `overlap.shared` (|A ∩ B|) and `overlap.union_size`
 * (|A ∪ B|) of the product ids of two `items` columns. Only column names are
 * spliced in, never values.
 */
function productOverlap(left: string, right: string): string {
  const ids = (items: string) => `SELECT item->>'productId' FROM jsonb_array_elements(${items}) AS item`;
  return `LATERAL (
    SELECT (SELECT count(*) FROM (${ids(left)} INTERSECT ${ids(right)}) AS s)::int AS shared,
           (SELECT count(*) FROM (${ids(left)} UNION ${ids(right)}) AS s)::int AS union_size
  ) AS overlap`;
}

/** Summary statistics of published runs. Read-only; unpublished runs are never looked at. */
@Injectable()
export class StatsRepository {
  constructor(private readonly pool: Pool) {}

  /** One snapshot for every query, so a publication committing half-way through cannot mix two runs into one answer. */
  summary(): Promise<Stats> {
    return inTransaction(this.pool, readStats, { readOnlySnapshot: true });
  }
}

async function readStats(client: PoolClient): Promise<Stats> {
  const dates = await publishedDates(client);
  const latest = await latestRun(client);
  if (!latest) {
    return {
      activeAdvertisers: 0,
      dates: { available: dates, latest: null, count: dates.length },
      coverage: Object.fromEntries(MODEL_NAMES.map((m) => [m, { advertisers: 0, share: 0, meanListLength: 0 }])) as Stats['coverage'],
      agreement: { meanJaccard: null, advertisers: [] },
      mostChanging: [],
      latestRun: null,
    };
  }
  const agreementRows = await agreement(client, latest.runId);
  const jaccards = agreementRows.map((row) => row.jaccard).filter((j): j is number => j !== null);
  return {
    activeAdvertisers: latest.activeAdvertisers,
    dates: { available: dates, latest: latest.runDate, count: dates.length },
    coverage: await coverage(client, latest.runId, latest.activeAdvertisers),
    agreement: {
      meanJaccard: jaccards.length === 0 ? null : jaccards.reduce((sum, j) => sum + j, 0) / jaccards.length,
      advertisers: agreementRows,
    },
    mostChanging: await mostChanging(client),
    latestRun: {
      runId: latest.runId,
      runDate: latest.runDate,
      windowDays: latest.windowDays,
      triggeredAt: latest.triggeredAt,
      publishedAt: latest.publishedAt,
      seconds: { ingest: latest.ingestSeconds, modelsAndWriter: latest.modelsAndWriterSeconds, total: latest.totalSeconds },
      jobsTotal: latest.jobsTotal,
      inputCounts: latest.inputCounts,
      badLines: latest.badLines,
    },
  };
}

/** Newest first. */
async function publishedDates(client: PoolClient): Promise<string[]> {
  const result = await client.query<{ run_date: string }>('SELECT run_date FROM publications ORDER BY run_date DESC');
  return result.rows.map((row) => row.run_date);
}

/** The published run of the latest date (not the run published last: a backfill of an old date is not "latest"). */
async function latestRun(client: PoolClient): Promise<LatestRunRow | undefined> {
  const result = await client.query<LatestRunRow>(
    `SELECT p.run_id AS "runId", p.run_date AS "runDate", r.window_days AS "windowDays",
            r.triggered_at AS "triggeredAt", p.published_at AS "publishedAt",
            extract(epoch FROM r.ingest_finished_at - r.ingest_started_at)::float8 AS "ingestSeconds",
            extract(epoch FROM r.finished_at - r.ingest_finished_at)::float8 AS "modelsAndWriterSeconds",
            extract(epoch FROM r.finished_at - r.triggered_at)::float8 AS "totalSeconds",
            r.jobs_total AS "jobsTotal", r.input_counts AS "inputCounts", r.bad_lines AS "badLines",
            (SELECT count(DISTINCT advertiser_id) FROM run_jobs WHERE run_id = p.run_id)::int AS "activeAdvertisers"
     FROM publications AS p
     JOIN runs AS r ON r.run_id = p.run_id
     ORDER BY p.run_date DESC
     LIMIT 1`,
  );
  return result.rows[0];
}

async function coverage(client: PoolClient, runId: string, activeAdvertisers: number): Promise<Stats['coverage']> {
  const result = await client.query<{ model: ModelName; advertisers: number; meanListLength: number }>(
    `SELECT model,
            count(*) FILTER (WHERE jsonb_array_length(items) > 0)::int AS advertisers,
            avg(jsonb_array_length(items))::float8 AS "meanListLength"
     FROM recommendations
     WHERE run_id = $1
     GROUP BY model`,
    [runId],
  );
  const byModel = new Map(result.rows.map((row) => [row.model, row]));
  return Object.fromEntries(
    MODEL_NAMES.map((model) => {
      const row = byModel.get(model);
      const advertisers = row?.advertisers ?? 0;
      return [
        model,
        {
          advertisers,
          share: activeAdvertisers === 0 ? 0 : advertisers / activeAdvertisers,
          meanListLength: row?.meanListLength ?? 0,
        },
      ];
    }),
  ) as Stats['coverage'];
}

/** Overlap of each advertiser's two lists in one run, most similar first. */
async function agreement(client: PoolClient, runId: string): Promise<AdvertiserAgreement[]> {
  const result = await client.query<AdvertiserAgreement>(
    `SELECT ctr.advertiser_id AS "advertiserId",
            overlap.shared,
            CASE WHEN overlap.union_size > 0 THEN overlap.shared::float8 / overlap.union_size END AS jaccard
     FROM recommendations AS ctr
     JOIN recommendations AS top
       ON top.run_id = ctr.run_id AND top.advertiser_id = ctr.advertiser_id AND top.model = 'top_product'
     CROSS JOIN ${productOverlap('ctr.items', 'top.items')}
     WHERE ctr.run_id = $1 AND ctr.model = 'top_ctr'
     ORDER BY jaccard DESC NULLS LAST, ctr.advertiser_id`,
    [runId],
  );
  return result.rows;
}

/**
 * Day-to-day change of each advertiser's lists over the latest published
 * dates: 1 - jaccard of a list and the same list on the previous published
 * date, for both models. An empty list that stays empty has not changed (0);
 * a pair where the advertiser was inactive on one date is not compared.
 */
async function mostChanging(client: PoolClient): Promise<ChangingAdvertiser[]> {
  const result = await client.query<ChangingAdvertiser>(
    `WITH recent AS (
       SELECT run_id, run_date, row_number() OVER (ORDER BY run_date DESC) AS age
       FROM publications
       ORDER BY run_date DESC
       LIMIT $1
     ),
     changes AS (
       SELECT newer.advertiser_id, newer.model, newer_run.run_date,
              CASE WHEN overlap.union_size = 0 THEN 0
                   ELSE 1 - overlap.shared::float8 / overlap.union_size END AS change
       FROM recent AS newer_run
       JOIN recent AS older_run ON older_run.age = newer_run.age + 1
       JOIN recommendations AS newer ON newer.run_id = newer_run.run_id
       JOIN recommendations AS older
         ON older.run_id = older_run.run_id AND older.advertiser_id = newer.advertiser_id AND older.model = newer.model
       CROSS JOIN ${productOverlap('newer.items', 'older.items')}
     )
     SELECT advertiser_id AS "advertiserId",
            avg(change) AS "meanChange",
            avg(change) FILTER (WHERE model = 'top_product') AS "topProduct",
            avg(change) FILTER (WHERE model = 'top_ctr') AS "topCtr",
            count(DISTINCT run_date)::int AS days
     FROM changes
     GROUP BY advertiser_id
     ORDER BY "meanChange" DESC, advertiser_id
     LIMIT $2`,
    [CHANGE_WINDOW_DATES, MOST_CHANGING_LIMIT],
  );
  return result.rows;
}
