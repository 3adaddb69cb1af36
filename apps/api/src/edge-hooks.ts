import type { FastifyInstance } from 'fastify';
import { AppConfig } from '@adrec/config';
import { ApiMetrics } from './api-metrics';
import { sendError } from './json-reply';
import { FixedWindowRateLimiter } from './rate-limiter';
import { securityHeaders } from './security-headers';

/**
 * CORS by static headers: with `*` (the default) the header is part of every
 * answer's precomputed set; with a list, an allowed Origin is echoed back.
 * (@fastify/cors does the same with a per-request hook that cost a fifth of
 * the hot route's throughput in `npm run bench:api`.)
 */
function corsPolicy(origins: string[] | '*'): { everyOrigin: boolean; allowed: Set<string> } {
  return origins === '*' ? { everyOrigin: true, allowed: new Set() } : { everyOrigin: false, allowed: new Set(origins) };
}

/** The 429's message, naming when the client may try again. */
export function rateLimitMessage(retryAfterSeconds: number): string {
  return `rate limit exceeded; retry in ${retryAfterSeconds}s`;
}

/** Pages (the OpenAPI UI, the console) get helmet's full set; JSON answers the set that matters for an API. */
const PAGE_PREFIXES = ['/docs', '/console'];

/**
 * What every request passes through before and after its handler, as plain
 * Fastify hooks so that the hot route pays for nothing else: security and
 * CORS headers (computed once), the per-client rate limit, and the
 * Prometheus request metrics.
 */
export function installEdgeHooks(fastify: FastifyInstance, config: AppConfig, metrics: ApiMetrics): void {
  const pageHeaders = securityHeaders({
    // The OpenAPI UI runs inline scripts and styles of its own.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  // A JSON response is never rendered or framed: forbid both, and leave out
  // the headers that only mean something for documents.
  const apiHeaders = securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    // The lists are public and meant to be fetched from other origins.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  const cors = corsPolicy(config.http.corsOrigins);
  if (cors.everyOrigin) {
    pageHeaders['access-control-allow-origin'] = '*';
    apiHeaders['access-control-allow-origin'] = '*';
  }
  const limiter = config.http.rateLimitPerMinute > 0 ? new FixedWindowRateLimiter(config.http.rateLimitPerMinute) : undefined;

  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(PAGE_PREFIXES.some((prefix) => request.url.startsWith(prefix)) ? pageHeaders : apiHeaders);
    const origin = request.headers.origin;
    if (!cors.everyOrigin && origin !== undefined && cors.allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
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

  fastify.addHook('onResponse', (request, reply, done) => {
    // Label by route pattern, never by raw URL, so the label set stays small.
    metrics.recordRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
