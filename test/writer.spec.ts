import { Client, Notification } from 'pg';
import { ModelResultMessage } from '@adrec/contracts';
import { RunsRepository } from '@adrec/database';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { parseJson } from './support/json-body';
import { advertiserResults, registerIngestedRun } from './support/runs-helpers';

describe('writer against PostgreSQL', () => {
  let env: TestEnvironment;
  let runs: RunsRepository;
  let writer: ResultsRepository;

  // Publications are per date across the whole database: each test has a fresh one and seeds the runs it needs.
  beforeEach(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    writer = new ResultsRepository(env.pool);
  });
  afterEach(() => env?.stop());

  async function ingestedRun(runId: string, runDate: string, triggeredAt: Date) {
    await registerIngestedRun(runs, { runId, runDate, advertisers: ['A', 'B'], triggeredAt });
  }

  function results(runId: string, runDate: string, productId: string): ModelResultMessage[] {
    return ['A', 'B'].flatMap((advertiserId) =>
      advertiserResults(runId, runDate, advertiserId, {
        top_ctr: [{ productId, clicks: 1, impressions: 2 }],
        top_product: [{ productId, views: 3 }],
      }),
    );
  }

  /** r1, the run of 2022-04-14 triggered on 04-15, ingested and with every result stored: published. */
  async function publishedR1() {
    await ingestedRun('r1', '2022-04-14', new Date('2022-04-15T02:00:00Z'));
    await writer.storeResults(results('r1', '2022-04-14', 'p1'));
  }

  async function tableSnapshot() {
    const recs = await env.pool.query('SELECT run_id, advertiser_id, model, items FROM recommendations ORDER BY 1, 2, 3');
    const pubs = await env.pool.query('SELECT run_date, run_id FROM publications ORDER BY 1');
    const progress = await env.pool.query('SELECT run_id, status, jobs_done, jobs_total FROM runs ORDER BY 1');
    return { recs: recs.rows, pubs: pubs.rows, progress: progress.rows };
  }

  it('publishes a run in the transaction that stores its last result, and only then', async () => {
    await ingestedRun('r1', '2022-04-14', new Date('2022-04-15T02:00:00Z'));
    const all = results('r1', '2022-04-14', 'p1');
    await writer.storeResults(all.slice(0, 3));
    expect((await env.pool.query('SELECT * FROM publications')).rowCount).toBe(0);
    const outcome = await writer.storeResults(all.slice(3));
    expect(outcome.completed).toEqual([{ runId: 'r1', runDate: '2022-04-14', published: true, status: 'published' }]);
    const run = (await runs.find('r1'))!;
    expect(run.status).toBe('published');
    expect(run.jobsDone).toBe(4);
    const known = await env.pool.query<{ advertiser_id: string }>('SELECT advertiser_id FROM known_advertisers ORDER BY 1');
    expect(known.rows.map((r) => r.advertiser_id)).toEqual(['A', 'B']);
  });

  it('leaves the database unchanged when every result is delivered again, also concurrently', async () => {
    await publishedR1();
    const before = await tableSnapshot();
    const again = results('r1', '2022-04-14', 'p1');
    await Promise.all([writer.storeResults(again), writer.storeResults(again), writer.storeResults([...again, ...again])]);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('lets the most recently triggered run of a date win, whichever completes first', async () => {
    await ingestedRun('r-old', '2022-04-20', new Date('2022-04-21T02:00:00Z'));
    await ingestedRun('r-new', '2022-04-20', new Date('2022-04-21T05:00:00Z'));
    await writer.storeResults(results('r-new', '2022-04-20', 'new'));
    const late = await writer.storeResults(results('r-old', '2022-04-20', 'old'));
    expect(late.completed).toEqual([{ runId: 'r-old', runDate: '2022-04-20', published: false, status: 'superseded' }]);
    const pub = await env.pool.query<{ run_id: string }>(`SELECT run_id FROM publications WHERE run_date = '2022-04-20'`);
    expect(pub.rows[0].run_id).toBe('r-new');
    expect((await runs.find('r-old'))!.status).toBe('superseded');
  });

  it('replaces the published run of a date when a newer run completes, marking the old one superseded', async () => {
    await publishedR1();
    await ingestedRun('r1-rerun', '2022-04-14', new Date('2022-04-16T09:00:00Z'));
    await writer.storeResults(results('r1-rerun', '2022-04-14', 'p9'));
    const pub = await env.pool.query<{ run_id: string }>(`SELECT run_id FROM publications WHERE run_date = '2022-04-14'`);
    expect(pub.rows[0].run_id).toBe('r1-rerun');
    expect((await runs.find('r1'))!.status).toBe('superseded');
  });

  it('orders runs of a date by when ingest registered them, so a trigger stamped in the future cannot supersede later reruns', async () => {
    // A sender with a clock years ahead, then an ordinary rerun of the same date.
    await ingestedRun('r-future', '2022-04-22', new Date('2999-01-01T00:00:00Z'));
    await ingestedRun('r-later', '2022-04-22', new Date());
    expect((await runs.find('r-future'))!.triggeredAt.getTime()).toBeLessThanOrEqual(Date.now());
    await writer.storeResults(results('r-future', '2022-04-22', 'future'));
    const later = await writer.storeResults(results('r-later', '2022-04-22', 'later'));
    expect(later.completed).toEqual([{ runId: 'r-later', runDate: '2022-04-22', published: true, status: 'published' }]);
    expect((await runs.find('r-future'))!.status).toBe('superseded');
    // And the other way round: the run registered first, completing last, changes nothing.
    await ingestedRun('r-first', '2022-04-23', new Date('2022-04-24T09:00:00Z'));
    await ingestedRun('r-second', '2022-04-23', new Date('2022-04-24T02:00:00Z'));
    await writer.storeResults(results('r-second', '2022-04-23', 'second'));
    expect((await writer.storeResults(results('r-first', '2022-04-23', 'first'))).completed[0].published).toBe(false);
    const pub = await env.pool.query<{ run_id: string }>(`SELECT run_id FROM publications WHERE run_date = '2022-04-23'`);
    expect(pub.rows[0].run_id).toBe('r-second');
  });

  it('gives every change of a publication row a higher version', async () => {
    await publishedR1();
    const before = await env.pool.query<{ version: string }>(`SELECT version FROM publications WHERE run_date = '2022-04-14'`);
    await ingestedRun('r1-again', '2022-04-14', new Date());
    await writer.storeResults(results('r1-again', '2022-04-14', 'p8'));
    const after = await env.pool.query<{ version: string; max: string }>(
      `SELECT version, (SELECT max(version) FROM publications) AS max FROM publications WHERE run_date = '2022-04-14'`,
    );
    expect(BigInt(after.rows[0].version)).toBeGreaterThan(BigInt(before.rows[0].version));
    expect(after.rows[0].version).toBe(after.rows[0].max);
  });

  it('notifies listeners on commit of a publication', async () => {
    const listener = new Client({ connectionString: env.config.database.url });
    await listener.connect();
    await listener.query('LISTEN adrec_publications');
    const notice = new Promise<string>((resolve) => listener.once('notification', (n: Notification) => resolve(n.payload ?? '')));
    await ingestedRun('r-notify', '2022-04-25', new Date('2022-04-26T02:00:00Z'));
    await writer.storeResults(results('r-notify', '2022-04-25', 'p1'));
    expect(parseJson<unknown>(await notice)).toEqual({ runDate: '2022-04-25', runId: 'r-notify' });
    await listener.end();
  });
});
