import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@adrec/config';
import { newTrigger } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';
import { createApi } from '../apps/api/src/create-api';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

/**
 * What the API needs to be safe where it is deployed: behind a proxy the rate
 * limit keys on the real client (TRUST_PROXY), the public queue-depth route
 * cannot be turned into a stream of SQS calls, and the console's page loads
 * without a failing request.
 */
describe('the API behind a proxy, and the console', () => {
  let env: TestEnvironment;
  const apps: NestFastifyApplication[] = [];

  async function api(extra: Record<string, string>): Promise<NestFastifyApplication> {
    const app = await createApi(loadConfig({ ...env.env, ...extra }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    apps.push(app);
    return app;
  }

  /** Statuses of GET /health for each client address, as a proxy at 127.0.0.1 would forward them. */
  async function statusesOf(app: NestFastifyApplication, clients: string[]): Promise<number[]> {
    const statuses: number[] = [];
    for (const client of clients) {
      const response = await app.inject({
        method: 'GET',
        url: '/health',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
      statuses.push(response.statusCode);
    }
    return statuses;
  }

  beforeAll(async () => {
    env = await startTestEnvironment();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await env?.stop();
  });

  it('keys the rate limit on the forwarded client address when the proxy is trusted', async () => {
    const app = await api({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
    expect(await statusesOf(app, ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([
      200, 200, 429, 200, 200,
    ]);
  });

  it('trusts a number of proxy hops, as behind App Runner', async () => {
    const app = await api({ RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '1' });
    expect(await statusesOf(app, ['198.51.100.7, 203.0.113.1', '198.51.100.7, 203.0.113.2'])).toEqual([200, 200]);
  });

  it('ignores X-Forwarded-For from an untrusted peer: one bucket for everything that comes through it', async () => {
    const app = await api({ RATE_LIMIT_PER_MINUTE: '2' });
    expect(await statusesOf(app, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([200, 200, 429]);
  });

  it('answers /console/api/queues from one SQS reading for a few seconds, then reads again', async () => {
    const app = await api({ RATE_LIMIT_PER_MINUTE: '0' });
    const depths = async () => {
      const response = await app.inject({ method: 'GET', url: '/console/api/queues' });
      expect(response.statusCode).toBe(200);
      return response.json<{ queues: { queue: string; visible: number }[] }>().queues;
    };
    const visibleTriggers = (queues: { queue: string; visible: number }[]) => queues.find((q) => q.queue === 'trigger')!.visible;
    const before = await depths();
    await new QueuePublisher(env.queues).publish('trigger', [newTrigger('2022-04-20', 1)]);
    // Nothing consumes the trigger queue here, so only a cached answer can still say `before`.
    expect(await Promise.all([depths(), depths(), depths()])).toEqual([before, before, before]);
    await waitFor(
      async () => (visibleTriggers(await depths()) === visibleTriggers(before) + 1 ? true : undefined),
      'a fresh reading of the queue depths',
      // The cached reading expires with time, which nothing announces: polled.
      { signals: [], pollMs: 250, timeoutMs: 15_000 },
    );
  });

  it('serves the favicon the console page links to', async () => {
    const app = await api({ RATE_LIMIT_PER_MINUTE: '0' });
    const page = await app.inject({ method: 'GET', url: '/console' });
    const icon = /<link rel="icon" href="([^"]+)"/.exec(page.body)?.[1];
    expect(icon).toBe('/console/assets/favicon.svg');
    const response = await app.inject({ method: 'GET', url: icon! });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.body).toContain('<svg');
  });
});
