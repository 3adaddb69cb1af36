import rateLimit from '@fastify/rate-limit';
import fastify from 'fastify';
import { retainNextTickShape } from '@adrec/runtime';
import { FixedWindowRateLimiter } from '../apps/api/src/rate-limiter';

/**
 * One server of `bench/rate-limiter.bench.ts`, in a process of its own: a
 * bare Fastify route answering a fixed JSON body, with the per-client rate
 * limit done one of three ways.
 *
 *   node dist-bench/bench/rate-limited-server.js none|adrec|fastify-rate-limit PORT
 *
 * - `none`: no limit, the baseline;
 * - `adrec`: the API's `FixedWindowRateLimiter` in an onRequest hook, as
 *   apps/api/src/edge-hooks.ts runs it;
 * - `fastify-rate-limit`: the @fastify/rate-limit plugin, its default
 *   in-memory store, keyed on the client address too.
 *
 * The limit is set high enough never to refuse: the load comes from one
 * address, and the bench measures the counting, not the refusals. Every mode
 * keeps one of Node's nextTick entries alive, as the API does
 * (`retainNextTickShape`), so that none of them randomly runs 20–30 % slower.
 */
const LIMIT_PER_MINUTE = 1_000_000_000;
const [mode, port] = process.argv.slice(2);
if (!['none', 'adrec', 'fastify-rate-limit'].includes(mode) || !port) {
  throw new Error('usage: rate-limited-server.js none|adrec|fastify-rate-limit PORT');
}

retainNextTickShape();

const body = Buffer.from(
  JSON.stringify({
    advertiserId: 'VQ4YGSJW5RI50LHSYVAQ',
    model: 'top_ctr',
    date: '2026-11-22',
    items: Array.from({ length: 20 }, (_, rank) => ({ productId: `P${1000 + rank}`, ctr: 0.25, impressions: 400, clicks: 100 })),
  }),
);

async function start(): Promise<void> {
  const server = fastify();
  if (mode === 'adrec') {
    const limiter = new FixedWindowRateLimiter(LIMIT_PER_MINUTE);
    server.addHook('onRequest', (request, reply, done) => {
      const retryAfter = limiter.hit(request.ip);
      if (retryAfter > 0) {
        void reply.status(429).header('retry-after', String(retryAfter)).send();
        return;
      }
      done();
    });
  } else if (mode === 'fastify-rate-limit') {
    await server.register(rateLimit, { max: LIMIT_PER_MINUTE, timeWindow: 60_000 });
  }
  server.get('/recommendations/:advertiserId/:model', (_request, reply) => {
    reply.header('content-type', 'application/json; charset=utf-8');
    return body;
  });
  await server.listen({ port: Number(port), host: '127.0.0.1' });
  process.stdout.write(`${mode} listening on ${port}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

start().catch((error: Error) => {
  process.stderr.write(`rate-limited server (${mode}) failed to start: ${error.stack}\n`);
  process.exit(1);
});
