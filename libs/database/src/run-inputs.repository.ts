import { Pool } from 'pg';

/** What ingest records about one active advertiser of a run besides its partition. */
export interface AdvertiserInput {
  advertiserId: string;
  /** Log lines of the window kept for it (views, impressions and clicks). */
  linesKept: number;
  /** The model-free list evaluation compares the models with (`baselineProductIds`). */
  baseline: string[];
}

/** A warning a run carries (input drift): a stable code and a sentence an operator can act on. */
export interface RunWarning {
  code: string;
  message: string;
}

/** A published run's input, as the drift check compares it. */
export interface PublishedRunInput {
  runId: string;
  runDate: string;
  inputCounts: Record<string, number>;
  badLines: Record<string, number>;
  /** Kept lines per advertiser; empty for runs ingested before these were recorded. */
  advertiserLines: Map<string, number>;
}

/** Per-advertiser inputs of runs, and the warnings the input drift check gives them. */
export class RunInputsRepository {
  constructor(private readonly pool: Pool) {}

  /** The published runs of the `limit` latest dates before `runDate`, newest first. */
  async previousPublished(runDate: string, limit: number): Promise<PublishedRunInput[]> {
    const runs = await this.pool.query<Omit<PublishedRunInput, 'advertiserLines'>>(
      `SELECT r.run_id AS "runId", r.run_date AS "runDate", r.input_counts AS "inputCounts", r.bad_lines AS "badLines"
       FROM publications p JOIN runs r ON r.run_id = p.run_id
       WHERE p.run_date < $1::date
       ORDER BY p.run_date DESC LIMIT $2`,
      [runDate, limit],
    );
    const lines = await this.pool.query<{ run_id: string; advertiser_id: string; lines_kept: number }>(
      `SELECT run_id, advertiser_id, lines_kept FROM run_advertiser_inputs WHERE run_id = ANY($1::text[])`,
      [runs.rows.map((run) => run.runId)],
    );
    const byRun = new Map(runs.rows.map((run) => [run.runId, { ...run, advertiserLines: new Map<string, number>() }]));
    for (const row of lines.rows) byRun.get(row.run_id)!.advertiserLines.set(row.advertiser_id, row.lines_kept);
    return [...byRun.values()];
  }

  /** Stores a run's per-advertiser inputs and its warnings; doing it again replaces them. */
  async record(runId: string, advertisers: readonly AdvertiserInput[], warnings: readonly RunWarning[]): Promise<void> {
    await this.pool.query(
      `WITH stored AS (
         INSERT INTO run_advertiser_inputs (run_id, advertiser_id, lines_kept, baseline)
         SELECT $1, a.advertiser_id, a.lines_kept, ARRAY(SELECT jsonb_array_elements_text(a.baseline))
         FROM unnest($2::text[], $3::int[], $4::jsonb[]) AS a (advertiser_id, lines_kept, baseline)
         ON CONFLICT (run_id, advertiser_id) DO UPDATE SET lines_kept = excluded.lines_kept, baseline = excluded.baseline
       )
       UPDATE runs SET warnings = $5 WHERE run_id = $1`,
      [
        runId,
        advertisers.map((a) => a.advertiserId),
        advertisers.map((a) => a.linesKept),
        advertisers.map((a) => JSON.stringify(a.baseline)),
        JSON.stringify(warnings),
      ],
    );
  }
}
