import { EventEmitter } from 'node:events';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@adrec/config';
import { AdrecError, PublishMode } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { EvaluationRepository, PublicationsRepository, RetentionRepository, RunInputsRepository, RunsRepository } from '@adrec/database';
import { RunLayout } from '@adrec/storage';
import { QueuePublisher } from '@adrec/messaging';
import { createApi } from '../apps/api/src/create-api';
import { PublishedListsCache } from '../apps/api/src/published-lists.cache';
import { IngestService } from '../apps/ingest/src/ingest.service';
import { collectOldRuns } from '../apps/cli/src/run-retention';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { testRawInputReader } from './support/raw-input-reader';
import { advertiserResults, registerIngestedRun } from './support/runs-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { changesOf, emitted, waitFor } from './support/wait-for';
import { anyInstanceOf } from './support/matchers';

const TOKEN = 'versions-operator-token-0123456789';

/**
 * Versions through the API (?runId= reads, GET /runs/{id}, the console's
 * publish/rollback) and retention (rows and S3 outputs) while readers read.
 */
/** What these tests read of an answer: a list's run, or an error's message. */
interface ApiAnswer {
  runId?: string;
  message?: string;
}

describe('versions: API, console actions and retention', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let runs: RunsRepository;
  let writer: ResultsRepository;
  let layout: RunLayout;
  let clock = Date.parse('2022-06-01T00:00:00Z');

  async function completedRun(runId: string, runDate: string, publishMode: PublishMode = 'auto') {
    clock += 60_000;
    await registerIngestedRun(runs, { runId, runDate, advertisers: ['ADV1', 'ADV2'], triggeredAt: new Date(clock), publishMode });
    const results = ['ADV1', 'ADV2'].flatMap((advertiserId) =>
      advertiserResults(runId, runDate, advertiserId, {
        top_ctr: [{ productId: runId, clicks: 1, impressions: 2 }],
        top_product: [{ productId: runId, views: 5 }],
      }),
    );
    await writer.storeResults(results);
    // The outputs a real run leaves on S3.
    await env.store.put(layout.partitionsKey(runDate, runId), 'product_id,views,impressions,clicks\n');
    await env.store.put(layout.resultsKey(runDate, runId, ['ADV1/top_ctr']), '{}\n');
    await env.store.put(layout.ingestReportKey(runDate, runId), '{}');
  }

  const request = async (method: 'GET' | 'POST', url: string, body?: object, token?: string) => {
    const response = await app.inject({ method, url, payload: body, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.statusCode, json: <T = ApiAnswer>() => response.json<T>() };
  };
  const get = (url: string) => request('GET', url);
  /**
   * Waits for the in-process API to serve `runId` as 2022-05-01's ADV1 list.
   * Its cache reloads on the NOTIFY of a publication and reports each change it installs.
   */
  const untilServed = (runId: string, what: string) =>
    waitFor(async () => ((await get('/recommendations/ADV1/top_ctr?date=2022-05-01')).json().runId === runId ? true : undefined), what, {
      signals: [changesOf(app.get(PublishedListsCache))],
    });

  async function outputsOf(runDate: string, runId: string): Promise<number> {
    return (await env.store.listObjects(layout.runRoot(runDate, runId))).length;
  }

  function retention(dryRun: boolean, retainPerDate = 3) {
    return collectOldRuns({
      retention: new RetentionRepository(env.pool, retainPerDate),
      store: env.store,
      layout,
      batchRuns: 2,
      dryRun,
      logger: new JsonLogger('test'),
    });
  }

  beforeAll(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    writer = new ResultsRepository(env.pool);
    layout = new RunLayout(env.config.storage.runsPrefix);
    await completedRun('v-old', '2022-05-01');
    await completedRun('v-live', '2022-05-01');
    await completedRun('v-staged', '2022-05-01', 'stage');
    await runs.register({ runId: 'v-running', runDate: '2022-05-01', windowDays: 1, triggeredAt: new Date(clock + 1) });
    app = await createApi(loadConfig({ ...env.env, RATE_LIMIT_PER_MINUTE: '0', CONSOLE_TOKEN: TOKEN }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await env?.stop();
  });

  it('reads any complete run with ?runId=, published or not, and the published one without it', async () => {
    expect((await get('/recommendations/ADV1/top_ctr?date=2022-05-01')).json()).toMatchObject({
      runId: 'v-live',
      items: [{ productId: 'v-live' }],
    });
    expect((await get('/recommendations/ADV1/top_ctr?runId=v-staged')).json()).toEqual({
      advertiserId: 'ADV1',
      model: 'top_ctr',
      date: '2022-05-01',
      runId: 'v-staged',
      items: [{ rank: 1, productId: 'v-staged', clicks: 1, impressions: 2, ctr: 0.5 }],
    });
    expect((await get('/recommendations/ADV2/TopProduct?runId=v-old&date=2022-05-01')).json()).toMatchObject({
      runId: 'v-old',
      items: [{ productId: 'v-old', views: 5 }],
    });
    const history = (await get('/history/ADV1?runId=v-staged')).json();
    expect(history).toEqual({
      advertiserId: 'ADV1',
      days: 1,
      runId: 'v-staged',
      history: [
        {
          date: '2022-05-01',
          runId: 'v-staged',
          top_ctr: [{ rank: 1, productId: 'v-staged', clicks: 1, impressions: 2, ctr: 0.5 }],
          top_product: [{ rank: 1, productId: 'v-staged', views: 5 }],
        },
      ],
    });
  });

  it('answers ?runId= errors as the other routes do', async () => {
    const cases: [string, number, string][] = [
      ['/recommendations/ADV1/top_ctr?runId=nope', 404, 'no run nope'],
      ['/recommendations/ADV1/top_ctr?runId=v-running', 404, 'run v-running is ingesting: only a complete run can be read'],
      ['/recommendations/NEVER/top_ctr?runId=v-live', 404, 'advertiser NEVER has never been active'],
      ['/recommendations/ADV1/top_ctr?runId=bad%20id', 400, 'runId must be 1-100 characters of A-Z a-z 0-9 . _ : -'],
      [
        '/recommendations/ADV1/top_ctr?runId=v-live&date=2022-05-02',
        400,
        'run v-live is of 2022-05-01, not 2022-05-02: give runId or date, or both that agree',
      ],
      ['/recommendations/ADV1/nomodel?runId=v-live', 400, 'unknown model "nomodel": use top_ctr or top_product'],
      ['/history/ADV1?runId=v-live&days=3', 400, 'days cannot be combined with runId: a run is one date'],
      ['/history/ADV1?runId=nope', 404, 'no run nope'],
      ['/history/ADV1?runId=bad%20id', 400, 'runId must be 1-100 characters of A-Z a-z 0-9 . _ : -'],
    ];
    for (const [url, status, message] of cases) {
      const response = await get(url);
      expect({ url, status: response.status, body: response.json() }).toEqual({
        url,
        status,
        body: { statusCode: status, error: anyInstanceOf(String), message },
      });
    }
  });

  it('publishes and rolls back from the console with the operator token, and the API serves the change', async () => {
    expect((await request('POST', '/console/api/publish', { runId: 'v-staged' })).status).toBe(401);
    expect((await request('POST', '/console/api/publish', { runId: 'v-staged' }, 'wrong-token-wrong-token-wrong')).status).toBe(403);
    expect((await request('POST', '/console/api/publish', { runId: 'bad id' }, TOKEN)).status).toBe(400);
    const running = await request('POST', '/console/api/publish', { runId: 'v-running' }, TOKEN);
    expect(running.status).toBe(409);
    expect(running.json().message).toContain('run v-running is ingesting');
    expect((await request('POST', '/console/api/publish', { runId: 'nope' }, TOKEN)).status).toBe(404);

    const published = await request('POST', '/console/api/publish', { runId: 'v-staged', reason: 'checked with adrec diff' }, TOKEN);
    expect(published.status).toBe(200);
    expect(published.json()).toMatchObject({ runId: 'v-staged', previousRunId: 'v-live', pinned: true, changed: true });
    await untilServed('v-staged', 'the API to serve the staged run');

    const run = (await get('/runs/v-staged')).json<{ publications: unknown[] }>();
    expect(run).toMatchObject({ status: 'published', pinned: true, publishMode: 'stage' });
    expect(run.publications[0]).toMatchObject({
      how: 'publish',
      runId: 'v-staged',
      previousRunId: 'v-live',
      pinned: true,
      reason: 'checked with adrec diff',
    });
    expect((await get('/runs/v-live')).json<{ publications: { how: string }[] }>().publications.map((event) => event.how)).toEqual([
      'publish',
      'pipeline',
    ]);

    const rolledBack = await request(
      'POST',
      '/console/api/rollback',
      { date: '2022-05-01', reason: 'staged run looked wrong in production' },
      TOKEN,
    );
    expect(rolledBack.json()).toMatchObject({ runId: 'v-live', previousRunId: 'v-staged', pinned: true });
    await untilServed('v-live', 'the API to serve the rolled-back run');
    expect((await request('POST', '/console/api/rollback', { date: '2022-07-01' }, TOKEN)).status).toBe(409);
    expect((await request('POST', '/console/api/unpin', { date: '2022-05-01' }, TOKEN)).json()).toEqual({ runId: 'v-live', changed: true });
  });

  it('retention under readers: never deletes the published or pinned run, deletes old runs and their S3 outputs', async () => {
    const date = '2022-05-10';
    for (let i = 1; i <= 8; i++) await completedRun(`g-${i}`, date);
    clock += 60_000;
    await runs.register({ runId: 'g-failed-1', runDate: date, windowDays: 1, triggeredAt: new Date(clock) });
    await runs.fail('g-failed-1', { code: 'INGEST.TOO_MANY_BAD_LINES', message: 'x' });
    clock += 60_000;
    await runs.register({ runId: 'g-failed-2', runDate: date, windowDays: 1, triggeredAt: new Date(clock) });
    await runs.fail('g-failed-2', { code: 'INGEST.TOO_MANY_BAD_LINES', message: 'x' });
    await runs.register({ runId: 'g-running', runDate: date, windowDays: 1, triggeredAt: new Date(clock - 7 * 86_400_000) });
    await new PublicationsRepository(env.pool).publish('g-2', 'pin an old run');
    await env.store.put(layout.partitionsKey(date, 'g-running'), 'partial');

    // The dry run lists exactly what the real one deletes, and deletes nothing.
    const snapshot = async () => ({
      runs: (await env.pool.query('SELECT run_id, status FROM runs ORDER BY 1')).rows,
      lists: (await env.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM recommendations')).rows[0].n,
      objects: (await env.store.listObjects(env.config.storage.runsPrefix)).map((object) => object.key),
    });
    const before = await snapshot();
    const dry = await retention(true);
    expect(dry.runs.map((run) => run.runId).sort()).toEqual(['g-1', 'g-3', 'g-4', 'g-5', 'g-failed-1']);
    expect(await snapshot()).toEqual(before);

    // Readers read the pinned run, the date's latest and a kept run while retention runs.
    let reading = true;
    const answers: { status: number; runId?: string; url: string }[] = [];
    const answered = new EventEmitter();
    const reader = async (url: string) => {
      while (reading) {
        const response = await get(url);
        answers.push({ url, status: response.status, runId: response.json().runId });
        answered.emit('answer');
        // In-process requests to in-memory answers never reach the event loop's I/O phase; let the database's replies in.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const readers = Promise.all([
      reader('/recommendations/ADV1/top_ctr?runId=g-2'),
      reader(`/recommendations/ADV2/top_product?date=${date}`),
      reader('/recommendations/ADV1/top_product?runId=g-8'),
    ]);
    let report: Awaited<ReturnType<typeof retention>>;
    try {
      await waitFor(() => (answers.length >= 30 ? true : undefined), 'readers to start', { signals: [emitted(answered, 'answer')] });
      report = await retention(false);
      const readBefore = answers.length;
      await waitFor(() => (answers.length >= readBefore + 30 ? true : undefined), 'readers to read after retention', {
        signals: [emitted(answered, 'answer')],
      });
    } finally {
      reading = false;
      await readers;
    }
    expect(report.runs.map((run) => run.runId).sort()).toEqual(['g-1', 'g-3', 'g-4', 'g-5', 'g-failed-1']);
    for (const answer of answers) {
      expect(answer).toEqual({ url: answer.url, status: 200, runId: answer.url.includes('g-8') ? 'g-8' : 'g-2' });
    }
    // Deleted: lists gone, a tombstone left, S3 outputs gone.
    for (const runId of ['g-1', 'g-3', 'g-4', 'g-5']) {
      expect((await runs.find(runId))!.status).toBe('deleted');
      expect(await outputsOf(date, runId)).toBe(0);
      expect((await get(`/recommendations/ADV1/top_ctr?runId=${runId}`)).json().message).toBe(`run ${runId} was deleted by retention`);
    }
    expect(
      (await env.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM recommendations WHERE run_id IN ('g-1', 'g-3', 'g-4', 'g-5')`))
        .rows[0].n,
    ).toBe(0);
    expect(report.objectsDeleted).toBe(12);
    // A trigger of a deleted run delivered again is ignored, not recomputed.
    const ingest = new IngestService(
      env.config,
      env.store,
      layout,
      runs,
      new QueuePublisher(env.queues),
      new RunInputsRepository(env.pool),
      new EvaluationRepository(env.pool),
      testRawInputReader(env.config, env.store),
    );
    expect(await ingest.ingestRun({ runId: 'g-1', runDate: date, windowDays: 1 })).toBe('SKIPPED');
    expect((await runs.find('g-1'))!.status).toBe('deleted');
    // Kept: the pinned run, the three newest others, the newest failure, the run in progress (and its outputs).
    for (const runId of ['g-2', 'g-6', 'g-7', 'g-8']) expect(await outputsOf(date, runId)).toBe(3);
    expect((await runs.find('g-failed-2'))!.status).toBe('failed');
    expect((await runs.find('g-running'))!.status).toBe('ingesting');
    expect(await outputsOf(date, 'g-running')).toBe(1);
    // Nothing left to do: a second collection deletes nothing.
    expect((await retention(false)).runs).toEqual([]);
  });

  it('never deletes a run an operator publishes while retention collects it', async () => {
    for (let round = 0; round < 6; round++) {
      const date = `2022-05-${String(20 + round)}`;
      for (let i = 1; i <= 3; i++) await completedRun(`race-${round}-${i}`, date);
      const victim = `race-${round}-1`;
      const [collected, publication] = await Promise.all([
        retention(false, 0),
        new PublicationsRepository(env.pool).publish(victim).then(
          () => 'published',
          (error: AdrecError) => error.code,
        ),
      ]);
      const status = (await runs.find(victim))!.status;
      if (publication === 'published') {
        expect(status).toBe('published');
        expect(collected.runs.map((run) => run.runId)).not.toContain(victim);
        expect(await outputsOf(date, victim)).toBe(3);
        expect((await get(`/recommendations/ADV1/top_ctr?runId=${victim}`)).status).toBe(200);
      } else {
        expect(publication).toBe('PUBLICATION.RUN_NOT_COMPLETE');
        expect(status).toBe('deleted');
      }
    }
  });
});
