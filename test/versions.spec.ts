import { ModelResultMessage, PublishMode, TriggerMessage } from '@adrec/contracts';
import { EvaluationRepository, PublicationsRepository, RunInputsRepository, RunsRepository } from '@adrec/database';
import { QueuePublisher } from '@adrec/messaging';
import { RunLayout } from '@adrec/storage';
import { IngestService } from '../apps/ingest/src/ingest.service';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { testRawInputReader } from './support/raw-input-reader';
import { advertiserResults, registerIngestedRun } from './support/runs-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { stringContaining } from './support/matchers';

const ADVERTISERS = ['A', 'B', 'C'];

describe('versioned publication against PostgreSQL', () => {
  let env: TestEnvironment;
  let runs: RunsRepository;
  let writer: ResultsRepository;
  let publications: PublicationsRepository;
  let ingest: IngestService;
  let clock = Date.parse('2022-05-01T00:00:00Z');

  beforeAll(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    writer = new ResultsRepository(env.pool);
    publications = new PublicationsRepository(env.pool);
    ingest = new IngestService(
      env.config,
      env.store,
      new RunLayout(env.config.storage.runsPrefix),
      runs,
      new QueuePublisher(env.queues),
      new RunInputsRepository(env.pool),
      new EvaluationRepository(env.pool),
      testRawInputReader(env.config, env.store),
    );
  });
  afterAll(() => env?.stop());

  /** A run whose ingest is done; each one is triggered later than the previous. */
  async function ingestedRun(runId: string, runDate: string, publishMode: PublishMode = 'auto') {
    clock += 60_000;
    await registerIngestedRun(runs, { runId, runDate, advertisers: ADVERTISERS, triggeredAt: new Date(clock), publishMode });
  }

  /** Every result of a run, each list naming the run in its products so a mix would show. */
  function results(runId: string, runDate: string): ModelResultMessage[] {
    return ADVERTISERS.flatMap((advertiserId) =>
      advertiserResults(runId, runDate, advertiserId, {
        top_ctr: [{ productId: `${runId}-c`, clicks: 1, impressions: 2 }],
        top_product: [{ productId: `${runId}-v`, views: 3 }],
      }),
    );
  }

  async function completedRun(runId: string, runDate: string, publishMode: PublishMode = 'auto') {
    await ingestedRun(runId, runDate, publishMode);
    await writer.storeResults(results(runId, runDate));
    return (await runs.find(runId))!;
  }

  async function published(runDate: string): Promise<{ run_id: string; pinned: boolean } | undefined> {
    return (
      await env.pool.query<{ run_id: string; pinned: boolean }>('SELECT run_id, pinned FROM publications WHERE run_date = $1', [runDate])
    ).rows[0];
  }

  /** What a reader of the date's published run gets: the products of every list, which must all come from one run. */
  async function servedRunIds(runDate: string): Promise<Set<string>> {
    const rows = await env.pool.query<{ product: string }>(
      `SELECT e->>'productId' AS product FROM publications p JOIN recommendations r ON r.run_id = p.run_id,
              jsonb_array_elements(r.items) e WHERE p.run_date = $1`,
      [runDate],
    );
    return new Set(rows.rows.map((row) => row.product.replace(/-[cv]$/, '')));
  }

  it('publishes an older complete run with publish --run, pins the date and records who did it and why', async () => {
    const date = '2022-04-01';
    await completedRun('p-1', date);
    await completedRun('p-2', date);
    expect(await published(date)).toEqual({ run_id: 'p-2', pinned: false });

    const outcome = await publications.publish('p-1', 'p-2 used a bad advertiser list');
    expect(outcome).toMatchObject({ runId: 'p-1', previousRunId: 'p-2', status: 'published', changed: true, pinned: true });
    expect(await published(date)).toEqual({ run_id: 'p-1', pinned: true });
    expect((await runs.find('p-1'))!).toMatchObject({ status: 'published', pinned: true });
    expect((await runs.find('p-2'))!.status).toBe('superseded');
    expect(await servedRunIds(date)).toEqual(new Set(['p-1']));

    const history = await publications.historyOfDate(date);
    expect(history.map(({ runId, previousRunId, how, pinned, reason }) => ({ runId, previousRunId, how, pinned, reason }))).toEqual([
      { runId: 'p-1', previousRunId: 'p-2', how: 'publish', pinned: true, reason: 'p-2 used a bad advertiser list' },
      { runId: 'p-2', previousRunId: 'p-1', how: 'pipeline', pinned: false, reason: null },
      { runId: 'p-1', previousRunId: null, how: 'pipeline', pinned: false, reason: null },
    ]);
    // Twice is the same as once.
    expect(await publications.publish('p-1')).toMatchObject({ changed: false });
    expect(await publications.historyOfDate(date)).toHaveLength(3);
  });

  it('refuses to publish a run that is not complete, naming its state', async () => {
    await ingestedRun('p-partial', '2022-04-02');
    await writer.storeResults(results('p-partial', '2022-04-02').slice(0, 2));
    await expect(publications.publish('p-partial')).rejects.toMatchObject({
      code: 'PUBLICATION.RUN_NOT_COMPLETE',
      message: stringContaining('running (2/6 jobs)'),
    });
    await expect(publications.publish('no-such-run')).rejects.toMatchObject({ code: 'PUBLICATION.RUN_NOT_FOUND' });
    expect(await published('2022-04-02')).toBeUndefined();
  });

  it('rolls a date back to the run published before the current one, and rolling back again undoes it', async () => {
    const date = '2022-04-03';
    await completedRun('r-1', date);
    await completedRun('r-2', date);
    const back = await publications.rollback(date, 'bad input on the 3rd');
    expect(back).toMatchObject({ runId: 'r-1', previousRunId: 'r-2', pinned: true });
    expect(await published(date)).toEqual({ run_id: 'r-1', pinned: true });
    expect((await publications.historyOfDate(date))[0]).toMatchObject({
      how: 'rollback',
      runId: 'r-1',
      previousRunId: 'r-2',
      reason: 'bad input on the 3rd',
    });
    expect(await publications.rollback(date)).toMatchObject({ runId: 'r-2', previousRunId: 'r-1' });
    await expect(publications.rollback('2022-04-30')).rejects.toMatchObject({ code: 'PUBLICATION.NOTHING_PUBLISHED' });
    await completedRun('r-only', '2022-04-29');
    await expect(publications.rollback('2022-04-29')).rejects.toMatchObject({ code: 'PUBLICATION.NO_PREVIOUS_RUN' });
  });

  it('lets an explicit publish win over a run completing at the same moment, whichever commits first', async () => {
    for (let i = 0; i < 8; i++) {
      const date = `2022-03-${String(i + 1).padStart(2, '0')}`;
      await completedRun(`race-old-${i}`, date);
      await completedRun(`race-cur-${i}`, date);
      await ingestedRun(`race-new-${i}`, date);
      const all = results(`race-new-${i}`, date);
      await writer.storeResults(all.slice(0, -1));
      // The operator publishes the old run while the new run's last result is being written.
      const [explicit] = await Promise.all([publications.publish(`race-old-${i}`, 'race'), writer.storeResults(all.slice(-1))]);
      expect(explicit.runId).toBe(`race-old-${i}`);
      expect(await published(date)).toEqual({ run_id: `race-old-${i}`, pinned: true });
      expect((await runs.find(`race-new-${i}`))!.status).toBe('superseded');
      expect(await servedRunIds(date)).toEqual(new Set([`race-old-${i}`]));
    }
  });

  it('lets a rollback win over a run completing at the same moment: the new run never stays published', async () => {
    for (let i = 0; i < 8; i++) {
      const date = `2022-02-${String(i + 1).padStart(2, '0')}`;
      await completedRun(`rb-old-${i}`, date);
      await completedRun(`rb-cur-${i}`, date);
      await ingestedRun(`rb-new-${i}`, date);
      const all = results(`rb-new-${i}`, date);
      await writer.storeResults(all.slice(0, -1));
      const [rollback] = await Promise.all([publications.rollback(date), writer.storeResults(all.slice(-1))]);
      const newFirst = rollback.previousRunId === `rb-new-${i}`;
      // Rollback first: back to the old run, and the new one is held back by the pin.
      // New run first: it was published a moment, and the rollback takes the date back to the run before it.
      expect(rollback.runId).toBe(newFirst ? `rb-cur-${i}` : `rb-old-${i}`);
      expect(await published(date)).toEqual({ run_id: rollback.runId, pinned: true });
      expect((await runs.find(`rb-new-${i}`))!.status).toBe('superseded');
      expect(await servedRunIds(date)).toEqual(new Set([rollback.runId]));
    }
  });

  it('keeps a pin through a late result of an older run and a redelivered trigger', async () => {
    const date = '2022-04-05';
    await ingestedRun('pin-late', date);
    await writer.storeResults(results('pin-late', date).slice(0, 3));
    await completedRun('pin-a', date);
    await completedRun('pin-b', date);
    await publications.publish('pin-a');

    // The older run's last results arrive late: it completes, and is held back.
    const late = await writer.storeResults(results('pin-late', date).slice(3));
    expect(late.completed).toEqual([{ runId: 'pin-late', runDate: date, published: false, status: 'superseded' }]);
    // A run triggered after the pin, completing afterwards, is held back too.
    const after = await completedRun('pin-after', date);
    expect(after.status).toBe('superseded');
    // Triggers of finished runs delivered again change nothing.
    const trigger = (runId: string): TriggerMessage => ({
      runId,
      runDate: date,
      windowDays: 1,
      triggeredAt: new Date(clock).toISOString(),
    });
    expect(await ingest.ingestRun(trigger('pin-b'))).toBe('SKIPPED');
    expect(await ingest.ingestRun(trigger('pin-a'))).toBe('SKIPPED');
    expect(await ingest.ingestRun(trigger('pin-after'))).toBe('SKIPPED');
    // Results delivered again change nothing either.
    await writer.storeResults(results('pin-after', date));
    expect(await published(date)).toEqual({ run_id: 'pin-a', pinned: true });
    expect(await servedRunIds(date)).toEqual(new Set(['pin-a']));
  });

  it('ends a pin with a --force run, or with unpin after which the pipeline publishes again', async () => {
    const date = '2022-04-06';
    await completedRun('f-1', date);
    await completedRun('f-2', date);
    await publications.rollback(date);
    expect((await completedRun('f-forced', date, 'force')).status).toBe('published');
    expect(await published(date)).toEqual({ run_id: 'f-forced', pinned: false });

    await publications.publish('f-1');
    expect(await publications.unpin(date, 'input fixed')).toEqual({ runId: 'f-1', changed: true });
    expect(await publications.unpin(date)).toEqual({ runId: 'f-1', changed: false });
    expect(await published(date)).toEqual({ run_id: 'f-1', pinned: false });
    expect((await completedRun('f-next', date)).status).toBe('published');
    expect((await publications.historyOfDate(date)).map((event) => event.how)).toEqual([
      'pipeline',
      'unpin',
      'publish',
      'pipeline',
      'rollback',
      'pipeline',
      'pipeline',
    ]);
  });

  it('stages a run without publishing it, compares it with the published one, and publishes it later', async () => {
    const date = '2022-04-07';
    await completedRun('s-live', date);
    await ingestedRun('s-staged', date, 'stage');
    const staged = await writer.storeResults(
      results('s-staged', date).map((result) =>
        result.advertiserId === 'A' && result.model === 'top_product'
          ? {
              ...result,
              items: [
                { productId: 's-live-v', views: 4 },
                { productId: 'extra', views: 1 },
              ],
            }
          : result.advertiserId === 'B'
            ? {
                ...result,
                items: [{ productId: result.model === 'top_ctr' ? 's-live-c' : 's-live-v', views: 3, clicks: 1, impressions: 2 }],
              }
            : result,
      ),
    );
    expect(staged.completed).toEqual([{ runId: 's-staged', runDate: date, published: false, status: 'staged' }]);
    expect(await published(date)).toEqual({ run_id: 's-live', pinned: false });

    const diff = await publications.compare('s-staged', 's-live');
    expect(diff).toEqual([
      { advertiserId: 'A', model: 'top_ctr', inRun: true, inAgainst: true, onlyInRun: 1, onlyInAgainst: 1, common: 0 },
      { advertiserId: 'A', model: 'top_product', inRun: true, inAgainst: true, onlyInRun: 1, onlyInAgainst: 0, common: 1 },
      { advertiserId: 'B', model: 'top_ctr', inRun: true, inAgainst: true, onlyInRun: 0, onlyInAgainst: 0, common: 1 },
      { advertiserId: 'B', model: 'top_product', inRun: true, inAgainst: true, onlyInRun: 0, onlyInAgainst: 0, common: 1 },
      { advertiserId: 'C', model: 'top_ctr', inRun: true, inAgainst: true, onlyInRun: 1, onlyInAgainst: 1, common: 0 },
      { advertiserId: 'C', model: 'top_product', inRun: true, inAgainst: true, onlyInRun: 1, onlyInAgainst: 1, common: 0 },
    ]);

    expect(await publications.publish('s-staged', 'checked the diff')).toMatchObject({ previousRunId: 's-live', pinned: true });
    expect((await runs.find('s-staged'))!.status).toBe('published');
    expect((await runs.find('s-live'))!.status).toBe('superseded');
  });

  it('lets the read-only role read versions but not publish', async () => {
    const { Pool } = await import('pg');
    const readerPool = new Pool({ connectionString: env.config.database.url, max: 1 });
    readerPool.on('connect', (client) => void client.query('SET ROLE adrec_reader'));
    try {
      const reader = new PublicationsRepository(readerPool);
      expect((await reader.historyOfDate('2022-04-01')).map((event) => event.runId)).toEqual(['p-1', 'p-2', 'p-1']);
      expect(await reader.publishedRunOf('2022-04-01')).toEqual({ runId: 'p-1', pinned: true });
      await expect(reader.publish('p-2')).rejects.toMatchObject({ code: '42501' });
      await expect(reader.rollback('2022-04-01')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await readerPool.end();
    }
    expect(await published('2022-04-01')).toEqual({ run_id: 'p-1', pinned: true });
  });
});
