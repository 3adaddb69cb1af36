import type { FastifyInstance } from 'fastify';
import { AppConfig } from '@adrec/config';
import { ApiMetrics } from './api-metrics';
import { sendError } from './json-reply';
import { FixedWindowRateLimiter } from './rate-limiter';
import { ResponseHeaders } from './response-headers';

/** The 429's message, naming when the client may try again. */
export function rateLimitMessage(retryAfterSeconds: number): string {
  return `rate limit exceeded; retry in ${retryAfterSeconds}s`;
}

/**
 * What every request passes through before and after its handler, as plain
 * Fastify hooks so that the hot route pays for nothing else: the CORS
 * preflight, the per-client rate limit, security and CORS headers (the sets
 * `ResponseHeaders` computed once), and the Prometheus request metrics.
 */
export function installEdgeHooks(fastify: FastifyInstance, config: AppConfig, metrics: ApiMetrics, headers: ResponseHeaders): void {
  const limiter = config.http.rateLimitPerMinute > 0 ? new FixedWindowRateLimiter(config.http.rateLimitPerMinute) : undefined;

  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      // A CORS preflight: the API only ever allows reads.
      void reply
        .status(204)
        .header('access-control-allow-methods', 'GET, HEAD')
        .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? '')
        .header('access-control-max-age', '86400')
        .send();
      return;
    }
    const retryAfter = limiter?.hit(request.ip) ?? 0;
    if (retryAfter > 0) {
      sendError(reply.header('retry-after', String(retryAfter)), 429, rateLimitMessage(retryAfter));
      return;
    }
    done();
  });

  // Every answer sent through `reply.send` (Nest's routes, errors, 404s, the
  // 429 and the preflight above) gets the headers here, just before it is
  // written. The hot route writes its 200s itself, with the same headers.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.headers(headers.forRequest(request.url, request.headers.origin));
    done(null, payload);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    // Label by route pattern, never by raw URL, so the label set stays small.
    metrics.recordRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
