import { AppConfig } from '@adrec/config';
import { JSON_CONTENT_TYPE } from './json-reply';
import { securityHeaders } from './security-headers';

/** Pages (the OpenAPI UI, the console) get helmet's full set; JSON answers the set that matters for an API. */
const PAGE_PREFIXES = ['/docs', '/console'];

/**
 * The headers every answer of the API carries, computed once from the
 * configuration: helmet's security headers and CORS.
 *
 * Two ways to apply them, both from the same sets:
 * - `forRequest`, a header object Fastify merges into a reply (edge-hooks.ts,
 *   for every answer sent through `reply.send`);
 * - `jsonHeaderList`, the `[name, value, ...]` list the hot route hands to
 *   Node's `writeHead` for a 200 (recommendations.route.ts). Node writes such
 *   a list as it is; headers that reach it one by one (`setHeader`) each go
 *   through its per-header bookkeeping, which cost about 8 µs per request in
 *   a raw Node server sending these headers (README, Performance).
 *
 * CORS is static headers too: with `*` (the default) the header is part of
 * both sets; with a list, an allowed Origin is echoed back. (@fastify/cors
 * does the same with a per-request hook that cost a fifth of the hot route's
 * throughput in `npm run bench:api`.)
 */
export class ResponseHeaders {
  private readonly page: Record<string, string>;
  private readonly api: Record<string, string>;
  private readonly everyOrigin: boolean;
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly jsonList: readonly string[];

  constructor(config: AppConfig) {
    this.page = securityHeaders({
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
    this.api = securityHeaders({
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
    const origins = config.http.corsOrigins;
    this.everyOrigin = origins === '*';
    this.allowedOrigins = new Set(origins === '*' ? [] : origins);
    if (this.everyOrigin) {
      this.page['access-control-allow-origin'] = '*';
      this.api['access-control-allow-origin'] = '*';
    }
    this.jsonList = [...Object.entries(this.api).flat(), 'content-type', JSON_CONTENT_TYPE];
  }

  /** The security and CORS headers of an answer to `url` from `origin` (the request's Origin header). */
  forRequest(url: string, origin: string | undefined): Record<string, string> {
    const headers = PAGE_PREFIXES.some((prefix) => url.startsWith(prefix)) ? this.page : this.api;
    const echoed = this.echoedOrigin(origin);
    return echoed === undefined ? headers : { ...headers, 'access-control-allow-origin': echoed, vary: 'Origin' };
  }

  /**
   * A JSON answer's complete header list for `writeHead`: the API's security
   * and CORS headers, content-type and content-length.
   */
  jsonHeaderList(origin: string | undefined, contentLength: number): string[] {
    const echoed = this.echoedOrigin(origin);
    const list = [...this.jsonList, 'content-length', String(contentLength)];
    if (echoed !== undefined) list.push('access-control-allow-origin', echoed, 'vary', 'Origin');
    return list;
  }

  /** The Origin to echo back: only when CORS is a list of origins and this one is on it. */
  private echoedOrigin(origin: string | undefined): string | undefined {
    return !this.everyOrigin && origin !== undefined && this.allowedOrigins.has(origin) ? origin : undefined;
  }
}
