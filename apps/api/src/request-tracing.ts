import type { FastifyInstance, FastifyRequest } from 'fastify';
import { propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, TextMapGetter } from '@opentelemetry/api';
import { tracer } from '@adrec/observability';

const headerGetter: TextMapGetter<FastifyRequest['headers']> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    return Array.isArray(value) ? value[0] : value;
  },
};

/**
 * One server span per API request, a child of the caller's `traceparent`
 * when it sends one, named by route pattern (`GET /recommendations/:advertiserId/:model`).
 * Installed only when tracing is on (create-api.ts), so with tracing off the
 * hot route pays for no hook at all.
 */
export function installRequestTracing(fastify: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
    spans.set(
      request,
      tracer().startSpan(
        `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'url.path': request.url.split('?', 1)[0],
            'http.route': request.routeOptions.url ?? 'unmatched',
            'adrec.request_id': String(request.id),
          },
        },
        parent,
      ),
    );
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
