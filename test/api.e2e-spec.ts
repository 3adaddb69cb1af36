import fc from 'fast-check';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { loadConfig } from '@adrec/config';
import { RunsRepository } from '@adrec/database';
import { createApi } from '../apps/api/src/create-api';
import { PublishedListsCache } from '../apps/api/src/published-lists.cache';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { changesOf, waitFor } from './support/wait-for';
import { advertiserResults, registerIngestedRun } from './support/runs-helpers';
import { anyInstanceOf, arrayContaining, objectContaining, stringContaining } from './support/matchers';

/**
 * Every route of SPEC section 4 against a database seeded through the
 * writer's real publication path, with the API served in-process by Fastify
 * (app.inject: no socket, same routing, validation and serialization).
 */
describe('the HTTP API', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let runs: RunsRepository;
  let writer: ResultsRepository;
  const dates = ['2022-04-12', '2022-04-13', '2022-04-14'];

  async function publish(runId: string, runDate: string, advertisers: string[], productOf: (adv: string) => string[]) {
    await registerIngestedRun(runs, { runId, runDate, advertisers, inputCounts: { productViewLines: 10 }, badLines: { total: 0 } });
    const results = advertisers.flatMap((advertiserId) =>
      advertiserResults(runId, runDate, advertiserId, {
        top_ctr: productOf(advertiserId).map((productId, i) => ({ productId, clicks: 3 - i, impressions: 4 })),
        top_product: productOf(advertiserId).map((productId, i) => ({ productId, views: 10 - i })),
      }),
    );
    await writer.storeResults(results);
  }

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, headers: response.headers, text: response.body, json: <T = unknown>() => response.json<T>() };
  };

  beforeAll(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    writer = new ResultsRepository(env.pool);
    await publish('r12', dates[0], ['ADV1', 'ADV2'], () => ['a', 'b']);
    await publish('r13', dates[1], ['ADV1', 'ADV2'], (adv) => (adv === 'ADV1' ? ['b', 'c'] : []));
    // ADV2 is no longer active on the latest date.
    await publish('r14', dates[2], ['ADV1'], () => ['c', 'd', 'e']);
    await runs.register({ runId: 'r-running', runDate: '2022-04-15', windowDays: 1, triggeredAt: new Date() });
    app = await createApi(loadConfig({ ...env.env, RATE_LIMIT_PER_MINUTE: '0' }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await env?.stop();
  });

  it('serves the latest list with ranks and ctr, and another date with ?date=', async () => {
    const latest = await get('/recommendations/ADV1/top_ctr');
    expect(latest.status).toBe(200);
    expect(latest.json()).toEqual({
      advertiserId: 'ADV1',
      model: 'top_ctr',
      date: '2022-04-14',
      runId: 'r14',
      items: [
        { rank: 1, productId: 'c', clicks: 3, impressions: 4, ctr: 0.75 },
        { rank: 2, productId: 'd', clicks: 2, impressions: 4, ctr: 0.5 },
        { rank: 3, productId: 'e', clicks: 1, impressions: 4, ctr: 0.25 },
      ],
    });
    const older = (await get('/recommendations/ADV1/TopProduct?date=2022-04-12')).json();
    expect(older).toMatchObject({
      date: '2022-04-12',
      runId: 'r12',
      model: 'top_product',
      items: [
        { rank: 1, productId: 'a', views: 10 },
        { rank: 2, productId: 'b', views: 9 },
      ],
    });
  });

  it('answers 200 with no items for a known advertiser with nothing to recommend', async () => {
    expect((await get('/recommendations/ADV2/top_ctr?date=2022-04-13')).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await get('/recommendations/ADV2/top_ctr')).json()).toMatchObject({ date: '2022-04-14', items: [] });
  });

  it.each([
    ['/recommendations/NEVER/top_ctr', 404],
    ['/recommendations/ADV1/top_ctr?date=2021-01-01', 404],
    ['/recommendations/ADV1/constructor', 400],
    ['/recommendations/ADV1/top_ctr?date=2022-4-14', 400],
    ['/recommendations/bad%20id/top_ctr', 400],
    ['/history/NEVER', 404],
    ['/history/ADV1?days=0', 400],
    ['/history/ADV1?days=32', 400],
    ['/history/ADV1?days=abc', 400],
    ['/runs/nope', 404],
    ['/runs/bad%20id', 400],
    ['/runs?limit=0', 400],
    ['/runs?date=yesterday', 400],
    // Year 0 is not in PostgreSQL's calendar: refused at the edge, never a 500.
    ['/runs?date=0000-01-01', 400],
    ['/recommendations/ADV1/top_ctr?date=0000-01-01', 400],
    // The advertiser id rule of libs/contracts: at most 128 characters of A-Z a-z 0-9 . _ : @ -.
    [`/recommendations/${'A'.repeat(300)}/top_ctr`, 400],
    [`/recommendations/${'A'.repeat(129)}/top_ctr`, 400],
    [`/history/${'A'.repeat(300)}`, 400],
    ['/recommendations/acme%2Fshoes/top_ctr', 400],
    ['/history/caf%C3%A9', 400],
    ['/nowhere', 404],
  ])('%s answers %i with {statusCode, error, message}', async (url, status) => {
    const response = await get(url);
    expect(response.status).toBe(status);
    expect(response.json()).toEqual({ statusCode: status, error: anyInstanceOf(String), message: anyInstanceOf(String) });
  });

  it('serves both lists for the last published dates, newest first', async () => {
    const history = (await get('/history/ADV1?days=2')).json<{ days: number; history: { date: string; top_product: unknown[] }[] }>();
    expect(history.days).toBe(2);
    expect(history.history.map((h) => h.date)).toEqual(['2022-04-14', '2022-04-13']);
    expect(history.history[1].top_product).toEqual([
      { rank: 1, productId: 'b', views: 10 },
      { rank: 2, productId: 'c', views: 9 },
    ]);
    expect((await get('/history/ADV2')).json<{ history: { top_ctr: unknown[] }[] }>().history.map((h) => h.top_ctr.length)).toEqual([
      0, 0, 2,
    ]);
  });

  it('lists runs with status, progress and counts, and shows one run', async () => {
    const list = (await get('/runs')).json<{ runs: { runId: string }[] }>();
    expect(list.runs.map((r) => r.runId)).toEqual(arrayContaining(['r12', 'r13', 'r14', 'r-running']));
    const run = (await get('/runs/r14')).json<{ timings: { totalSeconds: unknown } }>();
    expect(run).toMatchObject({
      runId: 'r14',
      runDate: '2022-04-14',
      status: 'published',
      progress: { jobsDone: 2, jobsTotal: 2 },
      inputCounts: { productViewLines: 10 },
    });
    expect(run.timings.totalSeconds).toEqual(anyInstanceOf(Number));
    expect((await get('/runs?date=2022-04-15')).json<{ runs: unknown[] }>().runs).toEqual([
      objectContaining({ runId: 'r-running', status: 'ingesting' }),
    ]);
  });

  it('answers health, readiness, metrics and the OpenAPI document', async () => {
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/ready')).json()).toEqual({ status: 'ready' });
    expect((await get('/stats')).json()).toMatchObject({ activeAdvertisers: 1, dates: { latest: '2022-04-14', count: 3 } });
    const metrics = await get('/metrics');
    expect(metrics.text).toContain('adrec_http_requests_total{method="GET",route="/recommendations/:advertiserId/:model",status="200"}');
    expect(metrics.text).toContain('adrec_latest_published_date_timestamp_seconds 1649894400');
    expect(metrics.text).toContain('adrec_cache_lookups_total{result="hit"}');
    const openapi = (await get('/docs/json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(openapi.paths)).toEqual(
      arrayContaining([
        '/recommendations/{advertiserId}/{model}',
        '/history/{advertiserId}',
        '/stats',
        '/runs',
        '/runs/{runId}',
        '/health',
        '/ready',
        '/metrics',
      ]),
    );
    expect((await get('/docs')).status).toBe(200);
  });

  it('sends security headers and CORS on every answer, the hot route included', async () => {
    for (const url of ['/health', '/recommendations/ADV1/top_ctr', '/recommendations/NEVER/top_ctr', '/no-such-route']) {
      const response = await app.inject({ method: 'GET', url, headers: { origin: 'https://ads.example' } });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers['access-control-allow-origin']).toBe('*');
    }
    // The hot route writes its 200s itself: the same headers as an answer sent through Fastify.
    const securityAndCors = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !['content-length', 'date', 'connection'].includes(name)));
    const list = await get('/recommendations/ADV1/top_ctr');
    const error = await get('/recommendations/NEVER/top_ctr');
    expect([list.status, error.status]).toEqual([200, 404]);
    expect(securityAndCors(list.headers)).toEqual(securityAndCors(error.headers));
    expect(list.headers['content-length']).toBe(String(Buffer.byteLength(list.text)));
    expect((await get('/docs')).headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/recommendations/ADV1/top_ctr',
      headers: { origin: 'https://ads.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-request-id' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(preflight.headers['access-control-allow-headers']).toBe('x-request-id');
  });

  it('answers HEAD on the hot route with the headers of its GET and no body', async () => {
    const full = await get('/recommendations/ADV1/top_ctr');
    const head = await app.inject({ method: 'HEAD', url: '/recommendations/ADV1/top_ctr' });
    expect([full.status, head.statusCode]).toEqual([200, 200]);
    expect(head.body).toBe('');
    expect({ ...head.headers, date: undefined }).toEqual({ ...full.headers, date: undefined });
    const metrics = await get('/metrics');
    expect(metrics.text).toContain('adrec_http_requests_total{method="HEAD",route="/recommendations/:advertiserId/:model",status="200"} 1');
  });

  it('echoes only listed origins when CORS_ORIGINS is a list', async () => {
    const strict = await createApi(loadConfig({ ...env.env, CORS_ORIGINS: 'https://a.example, https://b.example' }));
    await strict.init();
    try {
      const allowed = await strict.inject({ method: 'GET', url: '/health', headers: { origin: 'https://b.example' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://b.example');
      const other = await strict.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const list = await strict.inject({ method: 'GET', url: '/recommendations/ADV1/top_ctr', headers: { origin: 'https://a.example' } });
      expect(list.statusCode).toBe(200);
      expect(list.headers).toMatchObject({
        'access-control-allow-origin': 'https://a.example',
        vary: 'Origin',
        'x-frame-options': 'SAMEORIGIN',
      });
      const unlisted = await strict.inject({
        method: 'GET',
        url: '/recommendations/ADV1/top_ctr',
        headers: { origin: 'https://evil.example' },
      });
      expect(unlisted.statusCode).toBe(200);
      expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
      expect(unlisted.headers.vary).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('answers 429 with Retry-After once a client exceeds the rate limit', async () => {
    const limited = await createApi(loadConfig({ ...env.env, RATE_LIMIT_PER_MINUTE: '3' }));
    await limited.init();
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await limited.inject({ method: 'GET', url: '/recommendations/ADV1/top_ctr' });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      if (!last) throw new Error('no request was sent');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      expect(last.json<unknown>()).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: stringContaining('rate limit'),
      });
    } finally {
      await limited.close();
    }
  });

  it('answers warm requests without a single database query', async () => {
    const pool = app.get(Pool);
    await get('/recommendations/ADV1/top_ctr');
    await get('/history/ADV1');
    let queries = 0;
    const query = pool.query.bind(pool);
    // Counting, not replacing: every call still goes to PostgreSQL.
    pool.query = ((...args: Parameters<typeof query>) => {
      queries++;
      return query(...args);
    }) as typeof pool.query;
    try {
      for (let i = 0; i < 50; i++) {
        expect((await get(`/recommendations/ADV${(i % 2) + 1}/${i % 3 ? 'top_ctr' : 'TopProduct'}`)).status).toBe(200);
        expect((await get('/history/ADV1?days=3')).status).toBe(200);
      }
    } finally {
      pool.query = query;
    }
    expect(queries).toBe(0);
  });

  it('serves a newly published run within a second, without a restart', async () => {
    await publish('r15', '2022-04-15', ['ADV1'], () => ['z']);
    const committed = Date.now();
    // The cache reloads on the writer's NOTIFY and reports each change it installs.
    const body = await waitFor(
      async () => {
        const response = (await get('/recommendations/ADV1/top_product')).json<{ date: string; items: unknown[] }>();
        return response.date === '2022-04-15' ? response : undefined;
      },
      'the API to serve the new publication',
      { signals: [changesOf(app.get(PublishedListsCache))], timeoutMs: 1000 },
    );
    expect(Date.now() - committed).toBeLessThan(1000);
    expect(body.items).toEqual([{ rank: 1, productId: 'z', views: 10 }]);
  });

  it('never answers 5xx, whatever the path and query', async () => {
    const segment = fc.oneof(fc.string(), fc.constantFrom('ADV1', 'top_ctr', 'TopProduct', '..', '%', '%00', '😀', ''));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('recommendations', 'history', 'runs', 'stats', 'health', 'x'),
        fc.array(segment, { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('date', 'days', 'limit', 'x'), fc.string()),
        async (root, segments, query) => {
          const path = [root, ...segments.map((s) => encodeURIComponent(s))].join('/');
          const search = new URLSearchParams(query).toString();
          const response = await app.inject({ method: 'GET', url: `/${path}${search ? `?${search}` : ''}` });
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
