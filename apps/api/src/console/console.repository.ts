import { Pool } from 'pg';

export interface LatestRunAdvertisers {
  runDate: string;
  runId: string;
  advertiserIds: string[];
}

/** The console's own read-only query; everything else it shows comes from the public API's sources. */
export class ConsoleRepository {
  constructor(private readonly pool: Pool) {}

  /** The advertisers of the latest published run (every active advertiser has a job in it), sorted. */
  async latestRunAdvertisers(): Promise<LatestRunAdvertisers | undefined> {
    const result = await this.pool.query<LatestRunAdvertisers>(
      `SELECT p.run_date::text AS "runDate", p.run_id AS "runId",
              ARRAY(SELECT DISTINCT j.advertiser_id FROM run_jobs j WHERE j.run_id = p.run_id ORDER BY 1) AS "advertiserIds"
       FROM publications p ORDER BY p.run_date DESC LIMIT 1`,
    );
    return result.rows[0];
  }
}
