import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { ConfigModule } from '@adrec/config';
import { ModelResultMessage } from '@adrec/contracts';
import { dedicatedConnection, LISTENER_CONNECTION, RunsRepository } from '@adrec/database';
import { PublishedListsCache } from '../apps/api/src/published-lists.cache';
import { PublishedListsRepository } from '../apps/api/src/published-lists.repository';
import { StatsController } from '../apps/api/src/stats.controller';
import { Stats, StatsRepository } from '../apps/api/src/stats.repository';
import { StatsService } from '../apps/api/src/stats.service';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { parseJson } from './support/json-body';
import { changesOf, waitFor } from './support/wait-for';
import { advertiserResults, registerIngestedRun } from './support/runs-helpers';

/** Product ids of an advertiser's two lists on one date, best first. */
type Lists = Record<string, { top_product: string[]; top_ctr: string[] }>;

describe('GET /stats against PostgreSQL', () => {
  let env: TestEnvironment;
  let runs: RunsRepository;
  let writer: ResultsRepository;
  let repository: StatsRepository;

  // The stats summarise a whole database: each test has a fresh one and seeds the runs it reads.
  beforeEach(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    writer = new ResultsRepository(env.pool);
    repository = new StatsRepository(env.pool);
  });
  afterEach(() => env?.stop());

  function results(runId: string, runDate: string, lists: Lists): ModelResultMessage[] {
    return Object.entries(lists).flatMap(([advertiserId, { top_product, top_ctr }]) =>
      advertiserResults(runId, runDate, advertiserId, {
        top_ctr: top_ctr.map((productId, i) => ({ productId, clicks: 1, impressions: 2 + i })),
        top_product: top_product.map((productId, i) => ({ productId, views: 100 - i })),
      })
        // top_product first, so that a withheld last result is an advertiser's top_ctr list.
        .reverse(),
    );
  }

  /** Records and ingests a run the way ingest does, then stores all but `withhold` of its results the way the writer does. */
  async function seedRun(runId: string, runDate: string, lists: Lists, withhold = 0) {
    const triggeredAt = new Date(`${runDate}T00:00:00Z`);
    triggeredAt.setUTCDate(triggeredAt.getUTCDate() + 1);
    triggeredAt.setUTCHours(2);
    await registerIngestedRun(runs, {
      runId,
      runDate,
      advertisers: Object.keys(lists),
      triggeredAt,
      inputCounts: { advertiser_ids: 4, product_views: 1000, ads_views: 2000 },
      badLines: { wrong_field_count: 2 },
    });
    const all = results(runId, runDate, lists);
    await writer.storeResults(all.slice(0, all.length - withhold));
    return all.slice(all.length - withhold);
  }

  const unchanging = { top_product: ['p1', 'p2', 'p3', 'p4'], top_ctr: ['p1', 'p2', 'p3'] };

  /** A run of 04-15 still missing a result: not published, and it must not count. Returns the result held back. */
  function seedPending(): Promise<ModelResultMessage[]> {
    return seedRun('r-0415', '2022-04-15', { A: unchanging, B: unchanging }, 1);
  }

  /** Three published runs, 04-12 to 04-14, four advertisers on the latest, with the latest run's stage times. */
  async function seedPublishedApril(): Promise<void> {
    await seedRun('r-0412', '2022-04-12', {
      A: unchanging,
      B: { top_product: ['p1', 'p2'], top_ctr: ['p1'] },
      C: { top_product: ['p1', 'p2'], top_ctr: [] },
    });
    await seedRun('r-0413', '2022-04-13', {
      A: unchanging,
      B: { top_product: ['p1', 'p2'], top_ctr: ['p2'] },
      C: { top_product: ['p2'], top_ctr: [] },
    });
    await seedRun('r-0414', '2022-04-14', {
      A: unchanging,
      B: { top_product: ['p5', 'p6', 'p7', 'p8'], top_ctr: ['p5'] },
      C: { top_product: ['p2'], top_ctr: ['p9'] },
      D: { top_product: [], top_ctr: [] },
    });
    await env.pool.query(
      `UPDATE runs SET ingest_started_at = '2022-04-15T02:00:05Z', ingest_finished_at = '2022-04-15T02:00:35Z',
                     finished_at = '2022-04-15T02:01:20.5Z'
     WHERE run_id = 'r-0414'`,
    );
  }

  it('answers zeros, nulls and empty lists before any run is published', async () => {
    await seedPending();
    expect(await repository.summary()).toEqual({
      activeAdvertisers: 0,
      dates: { available: [], latest: null, count: 0 },
      coverage: {
        top_ctr: { advertisers: 0, share: 0, meanListLength: 0 },
        top_product: { advertisers: 0, share: 0, meanListLength: 0 },
      },
      agreement: { meanJaccard: null, advertisers: [] },
      mostChanging: [],
      latestRun: null,
    });
  });

  it('computes coverage, agreement, day-to-day change and timing from the published runs', async () => {
    await seedPending();
    await seedPublishedApril();
    const publishedAt = (await env.pool.query<{ published_at: Date }>(`SELECT published_at FROM publications WHERE run_id = 'r-0414'`))
      .rows[0].published_at;

    expect(await repository.summary()).toEqual({
      activeAdvertisers: 4,
      dates: { available: ['2022-04-14', '2022-04-13', '2022-04-12'], latest: '2022-04-14', count: 3 },
      coverage: {
        // Lengths 3,1,1,0 and 4,4,1,0 over the four active advertisers.
        top_ctr: { advertisers: 3, share: 0.75, meanListLength: 1.25 },
        top_product: { advertisers: 3, share: 0.75, meanListLength: 2.25 },
      },
      agreement: {
        meanJaccard: (0.75 + 0.25 + 0) / 3,
        advertisers: [
          { advertiserId: 'A', shared: 3, jaccard: 0.75 },
          { advertiserId: 'B', shared: 1, jaccard: 0.25 },
          { advertiserId: 'C', shared: 0, jaccard: 0 },
          { advertiserId: 'D', shared: 0, jaccard: null },
        ],
      },
      // B: top_product 0 then 1, top_ctr 1 then 1. C: top_product 0.5 then 0,
      // top_ctr 0 (empty stays empty) then 1. D has a single date: nothing to compare.
      mostChanging: [
        { advertiserId: 'B', meanChange: 0.75, topProduct: 0.5, topCtr: 1, days: 2 },
        { advertiserId: 'C', meanChange: 0.375, topProduct: 0.25, topCtr: 0.5, days: 2 },
        { advertiserId: 'A', meanChange: 0, topProduct: 0, topCtr: 0, days: 2 },
      ],
      latestRun: {
        runId: 'r-0414',
        runDate: '2022-04-14',
        windowDays: 1,
        triggeredAt: new Date('2022-04-15T02:00:00Z'),
        publishedAt,
        seconds: { ingest: 30, modelsAndWriter: 45.5, total: 80.5 },
        jobsTotal: 8,
        inputCounts: { advertiser_ids: 4, product_views: 1000, ads_views: 2000 },
        badLines: { wrong_field_count: 2 },
      },
    });
  });

  it('measures change over the last 7 published dates only', async () => {
    // E changes between 04-06, 04-07 and 04-08, then never: only 04-08 and
    // later are in the window, so its change is 0 over three pairs.
    await seedPending();
    await seedPublishedApril();
    const e = (product: string) => ({ E: { top_product: [product], top_ctr: [] } });
    await seedRun('r-0406', '2022-04-06', e('x1'));
    await seedRun('r-0407', '2022-04-07', e('x2'));
    for (const day of ['08', '09', '10', '11']) await seedRun(`r-04${day}`, `2022-04-${day}`, e('x3'));

    const stats = await repository.summary();
    expect(stats.dates.count).toBe(9);
    expect(stats.mostChanging).toEqual([
      { advertiserId: 'B', meanChange: 0.75, topProduct: 0.5, topCtr: 1, days: 2 },
      { advertiserId: 'C', meanChange: 0.375, topProduct: 0.25, topCtr: 0.5, days: 2 },
      { advertiserId: 'A', meanChange: 0, topProduct: 0, topCtr: 0, days: 2 },
      { advertiserId: 'E', meanChange: 0, topProduct: 0, topCtr: 0, days: 3 },
    ]);
  });

  describe('StatsService', () => {
    beforeEach(async () => {
      await seedPending();
      await seedPublishedApril();
    });

    function changeSignal() {
      const listeners: (() => void)[] = [];
      const cache = {
        onChange: (listener: () => void) => {
          listeners.push(listener);
          return () => undefined;
        },
      } as unknown as PublishedListsCache;
      return { cache, publish: () => listeners.forEach((listener) => listener()) };
    }

    it('computes the body once, and again only after a publication', async () => {
      const signal = changeSignal();
      const summary = jest.spyOn(repository, 'summary');
      const service = new StatsService(repository, signal.cache);

      const [first, concurrent] = await Promise.all([service.body(), service.body()]);
      expect(concurrent).toBe(first);
      expect(await service.body()).toBe(first);
      expect(summary).toHaveBeenCalledTimes(1);
      expect(parseJson<Stats>(first.toString()).dates.latest).toBe('2022-04-14');

      signal.publish();
      expect(await service.body()).toEqual(first);
      expect(summary).toHaveBeenCalledTimes(2);
      summary.mockRestore();
    });

    it('does not keep a body whose computation a publication overtook', async () => {
      const signal = changeSignal();
      const summary = jest.spyOn(repository, 'summary');
      const service = new StatsService(repository, signal.cache);

      const overtaken = service.body();
      signal.publish();
      await overtaken;
      await service.body();
      expect(summary).toHaveBeenCalledTimes(2);
      summary.mockRestore();
    });

    it('retries after a failed computation instead of serving the failure', async () => {
      const signal = changeSignal();
      const summary = jest.spyOn(repository, 'summary').mockRejectedValueOnce(new Error('connection lost'));
      const service = new StatsService(repository, signal.cache);

      await expect(service.body()).rejects.toThrow('connection lost');
      expect(parseJson<Stats>((await service.body()).toString()).activeAdvertisers).toBe(4);
      expect(summary).toHaveBeenCalledTimes(2);
      summary.mockRestore();
    });
  });

  it('serves the body as JSON and follows a publication announced by the writer', async () => {
    const withheldResult = await seedPending();
    await seedPublishedApril();
    @Module({})
    class StatsTestModule {}
    const app = await NestFactory.create<NestFastifyApplication>(
      {
        module: StatsTestModule,
        imports: [ConfigModule.forRoot(env.config)],
        controllers: [StatsController],
        providers: [
          { provide: Pool, useValue: env.pool },
          { provide: LISTENER_CONNECTION, useValue: dedicatedConnection(env.config, { applicationName: 'adrec-test' }) },
          { provide: PublishedListsRepository, inject: [Pool], useFactory: (pool: Pool) => new PublishedListsRepository(pool) },
          PublishedListsCache,
          { provide: StatsRepository, inject: [Pool], useFactory: (pool: Pool) => new StatsRepository(pool) },
          StatsService,
        ],
      },
      new FastifyAdapter(),
      { logger: false },
    );
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      const before = await app.inject({ method: 'GET', url: '/stats' });
      expect(before.statusCode).toBe(200);
      expect(before.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(before.json<Stats>().dates.latest).toBe('2022-04-14');

      // The pending 04-15 run completes: the writer publishes it and NOTIFYs.
      await writer.storeResults(withheldResult);
      const after = await waitFor(
        async () => {
          const body = (await app.inject({ method: 'GET', url: '/stats' })).json<Stats>();
          return body.dates.latest === '2022-04-15' ? body : undefined;
        },
        'the new publication in /stats',
        // The stats are recomputed when the cache installs the publication the writer NOTIFYs.
        { signals: [changesOf(app.get(PublishedListsCache))], timeoutMs: 10_000 },
      );
      expect(after.activeAdvertisers).toBe(2);
      expect(after.latestRun?.runId).toBe('r-0415');
      expect(after.agreement.advertisers).toEqual([
        { advertiserId: 'A', shared: 3, jaccard: 0.75 },
        { advertiserId: 'B', shared: 3, jaccard: 0.75 },
      ]);
    } finally {
      await app.close();
    }
  });
});
