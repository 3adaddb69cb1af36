import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client, Pool } from 'pg';
import { loadConfig } from '@adrec/config';
import { ResultItemMessage } from '@adrec/contracts';
import { createPool, migrate, RunsRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { freePort, LocalPostgres, startEmbeddedPostgres, waitForHttpOk } from '@adrec/runtime';
import { createApi } from '../apps/api/src/create-api';
import { PublishedListsCache } from '../apps/api/src/published-lists.cache';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { AppProcess, startApp, stopApp } from './support/app-processes';
import { advertiserResults, registerIngestedRun } from './support/runs-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { jsonBody } from './support/json-body';
import { changesOf, outputOf, waitFor } from './support/wait-for';

/** SPEC's promise for the read path, as issue 11 states it: converged within 5 s of the database being reachable. */
const CONVERGENCE_MS = 5000;

/** Seeds and publishes runs through the writer's real publication path; every product id names its run. */
class Publisher {
  private readonly runs: RunsRepository;
  private readonly writer: ResultsRepository;

  constructor(pool: Pool) {
    this.runs = new RunsRepository(pool);
    this.writer = new ResultsRepository(pool);
  }

  async publish(runId: string, runDate: string, advertisers: string[], itemsPerList = 3): Promise<void> {
    await registerIngestedRun(this.runs, { runId, runDate, advertisers });
    const items = (make: (productId: string, i: number) => ResultItemMessage) =>
      Array.from({ length: itemsPerList }, (_, i) => make(`${runId}-${String(i).padStart(8, 'p')}`, i));
    const results = advertisers.flatMap((advertiserId) =>
      advertiserResults(runId, runDate, advertiserId, {
        top_ctr: items((productId, i) => ({ productId, clicks: 100 - i, impressions: 1000 })),
        top_product: items((productId, i) => ({ productId, views: 1000 - i })),
      }),
    );
    for (let i = 0; i < results.length; i += 500) await this.writer.storeResults(results.slice(i, i + 500));
  }
}

/** A list as GET /recommendations serves it, as far as these tests read it. */
interface ServedList {
  runId: string;
  items: { productId: string }[];
}

/**
 * Waits for an in-process API's cache to converge: it reloads on the writer's
 * NOTIFY or its periodic check, and reports each change it installs.
 */
function converged<T>(
  cache: PublishedListsCache,
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = CONVERGENCE_MS,
): Promise<T> {
  return waitFor(probe, what, { signals: [changesOf(cache)], timeoutMs });
}

describe('the API cache against PostgreSQL', () => {
  let env: TestEnvironment;
  let publisher: Publisher;
  let app: NestFastifyApplication;
  let cache: PublishedListsCache;

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, json: () => response.json<ServedList>() };
  };
  /** The run the API serves for ADV1's top_product list of 2022-04-01. */
  const servedRun = async () => (await get('/recommendations/ADV1/top_product?date=2022-04-01')).json().runId;

  beforeAll(async () => {
    env = await startTestEnvironment();
    publisher = new Publisher(env.pool);
    await publisher.publish('d1-a', '2022-04-01', ['ADV1', 'ADV2']);
    // A small bound (1 MiB, the least accepted) so a few runs of 600 lists overflow it.
    app = await createApi(loadConfig({ ...env.env, RATE_LIMIT_PER_MINUTE: '0', API_CACHE_MAX_BYTES: String(1024 * 1024) }));
    await app.init();
    cache = app.get(PublishedListsCache);
  });

  afterAll(async () => {
    await app?.close();
    await env?.stop();
  });

  it('serves a publication whose NOTIFY never arrives within 5 s (the periodic check)', async () => {
    expect(await servedRun()).toBe('d1-a');
    // A second run of the date, complete, then made the published one by a
    // statement that sends no NOTIFY, as a lost notice looks to the API.
    await publisher.publish('d1-b', '2022-04-01', ['ADV1']);
    await converged(cache, async () => ((await servedRun()) === 'd1-b' ? true : undefined), 'the API to serve d1-b');
    await env.pool.query(`UPDATE publications SET run_id = 'd1-a' WHERE run_date = '2022-04-01'`);
    const switched = Date.now();
    await converged(cache, async () => ((await servedRun()) === 'd1-a' ? true : undefined), 'the API to serve d1-a again without a NOTIFY');
    expect(Date.now() - switched).toBeLessThan(CONVERGENCE_MS);
  });

  it('retries a reload that failed, and serves the previous run consistently meanwhile', async () => {
    // A date of its own, so the run it starts from is its own.
    await publisher.publish('d2-a', '2022-04-02', ['ADV1', 'ADV2']);
    // The API reads as a login of the read-only role; taking SELECT on the
    // lists away makes its reload fail in PostgreSQL itself.
    const role = `adrec_api_${randomBytes(4).toString('hex')}`;
    await env.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD 'adrec-test'`);
    await env.pool.query(`GRANT adrec_reader TO ${role}`);
    const url = new URL(env.config.database.url!);
    url.username = role;
    url.password = 'adrec-test';
    const reader = await createApi(loadConfig({ ...env.env, DATABASE_READONLY_URL: url.toString(), RATE_LIMIT_PER_MINUTE: '0' }));
    await reader.init();
    try {
      const readerCache = reader.get(PublishedListsCache);
      const served = async () =>
        (await reader.inject({ method: 'GET', url: '/recommendations/ADV1/top_product?date=2022-04-02' })).json<ServedList>();
      expect((await served()).runId).toBe('d2-a');
      await env.pool.query('REVOKE SELECT ON recommendations FROM adrec_reader');
      const failuresBefore = readerCache.counters.failedReloads;
      await publisher.publish('d2-c', '2022-04-02', ['ADV1']);
      // A failed reload installs nothing, so the cache reports nothing: polled.
      await waitFor(() => (readerCache.counters.failedReloads > failuresBefore ? true : undefined), 'a reload to fail', {
        signals: [],
        pollMs: 50,
        timeoutMs: CONVERGENCE_MS,
      });
      const meanwhile = await served();
      expect(meanwhile.runId).toBe('d2-a');
      expect(meanwhile.items[0].productId).toMatch(/^d2-a-/);
      await env.pool.query('GRANT SELECT ON recommendations TO adrec_reader');
      const restored = Date.now();
      await converged(readerCache, async () => ((await served()).runId === 'd2-c' ? true : undefined), 'the retried reload to serve d2-c');
      expect(Date.now() - restored).toBeLessThan(CONVERGENCE_MS);
      expect((await served()).items[0].productId).toMatch(/^d2-c-/);
    } finally {
      await env.pool.query('GRANT SELECT ON recommendations TO adrec_reader');
      await reader.close();
      await env.pool.query(`DROP OWNED BY ${role}`);
      await env.pool.query(`DROP ROLE ${role}`);
    }
  });

  it('holds at most API_CACHE_MAX_BYTES of lists, and a client cycling ?date= cannot force a full-run load per request', async () => {
    const advertisers = Array.from({ length: 100 }, (_, i) => `ADV${i + 1}`);
    const dates = ['2022-05-01', '2022-05-02', '2022-05-03', '2022-05-04', '2022-05-05', '2022-05-06'];
    for (const date of dates) await publisher.publish(`big-${date}`, date, advertisers, 20);
    await converged(cache, () => (cache.latestPublishedDate === '2022-05-06' ? true : undefined), 'the latest date to be served', 60_000);
    const loadsBefore = cache.counters.runLoads;
    let requests = 0;
    for (let round = 0; round < 5; round++) {
      for (const date of dates) {
        const answer = (await get(`/recommendations/ADV${((round * 7) % 100) + 1}/top_ctr?date=${date}`)).json();
        requests++;
        expect(answer.runId).toBe(`big-${date}`);
        expect(answer.items).toHaveLength(20);
        expect(cache.heldListBytes).toBeLessThanOrEqual(1024 * 1024);
      }
    }
    // Each run is about 400 KB: one besides the latest fits. Cycling through
    // six dates thirty times loads a run whole only when it earns its place.
    expect(cache.heldListBytes).toBeGreaterThan(0);
    expect(cache.counters.runLoads - loadsBefore).toBeLessThan(requests / 3);
  });

  it('shares one load among concurrent requests for a date not in memory', async () => {
    // Runs of its own, of dates older than any other test's: never the latest date, which the cache holds.
    await publisher.publish('shared-2022-03-02', '2022-03-02', ['ADV1', 'ADV2']);
    await publisher.publish('shared-2022-03-03', '2022-03-03', ['ADV1', 'ADV2']);
    const loadsBefore = cache.counters.runLoads + cache.counters.advertiserLoads;
    const answers = await Promise.all(Array.from({ length: 20 }, () => get('/recommendations/ADV2/top_product?date=2022-03-02')));
    expect(answers.every((answer) => answer.json().runId === 'shared-2022-03-02')).toBe(true);
    expect(cache.counters.runLoads + cache.counters.advertiserLoads - loadsBefore).toBeLessThanOrEqual(1);
  });

  it("answers /history with every entry's run id and lists from the same run while dates are republished", async () => {
    const stop = Date.now() + 3000;
    const republish = (async () => {
      for (let i = 0; Date.now() < stop; i++) await publisher.publish(`hist-${i}`, '2022-05-0' + ((i % 6) + 1), ['ADV1', 'ADV2']);
    })();
    while (Date.now() < stop) {
      const { history } = (await app.inject({ method: 'GET', url: '/history/ADV1?days=7' })).json<{
        history: { runId: string; top_ctr: { productId: string }[]; top_product: { productId: string }[] }[];
      }>();
      for (const entry of history) {
        for (const item of [...entry.top_ctr, ...entry.top_product]) expect(item.productId.startsWith(`${entry.runId}-`)).toBe(true);
      }
    }
    await republish;
  });
});

describe('the API across a real PostgreSQL restart', () => {
  let server: LocalPostgres | undefined;
  let api: AppProcess | undefined;
  let pool: Pool | undefined;
  let env: TestEnvironment;

  afterAll(async () => {
    if (api) await stopApp(api);
    await pool?.end();
    await server?.stop();
    await env?.stop();
  });

  it('keeps serving through `pg_ctl restart -m fast` and serves a publication made after it within 5 s', async () => {
    // The machine's PostgreSQL is shared: this test restarts a server of its own.
    env = await startTestEnvironment();
    server = await startEmbeddedPostgres(`/tmp/adrec-api-restart-${process.pid}`, () => undefined);
    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE adrec_restart');
    await admin.end();
    const url = new URL(server.url);
    url.pathname = '/adrec_restart';
    const logger = new JsonLogger('test');
    pool = createPool({ url: url.toString(), size: 2, ssl: false, applicationName: 'adrec-test' }, logger);
    await migrate(pool, logger);
    const publisher = new Publisher(pool);
    await publisher.publish('before', '2022-06-01', ['ADV1']);

    const port = await freePort();
    // At debug level the API logs each cache reload, which the wait below reacts to.
    api = startApp('api', { ...env.env, DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug' });
    await waitForHttpOk(`http://127.0.0.1:${port}/health`, 30_000, api.child);
    const served = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/recommendations/ADV1/top_product`);
      return response.ok ? (await jsonBody<{ runId: string }>(response)).runId : undefined;
    };
    expect(await served()).toBe('before');

    await server.restart();
    // The API's pooled clients and its LISTEN connection were all terminated.
    await publisher.publish('after', '2022-06-02', ['ADV1']);
    const published = Date.now();
    // The API runs in its own process here: checked whenever it logs (a reload, a lost connection).
    await waitFor(async () => ((await served()) === 'after' ? true : undefined), 'the API to serve the run published after the restart', {
      signals: [outputOf(api.child)],
      timeoutMs: 30_000,
    });
    expect(Date.now() - published).toBeLessThan(CONVERGENCE_MS);
    expect(api.child.exitCode).toBeNull();
    expect(api.child.signalCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
  });
});
