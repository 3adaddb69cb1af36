import { EventEmitter } from 'node:events';
import { createServer, Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { freePort } from '@adrec/runtime';
import { parseJson } from './json-body';
import type { Signal } from './wait-for';

/** One span as received, with the service (process) that exported it. */
export interface CollectedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

/**
 * A minimal OpenTelemetry collector for tests: an OTLP/HTTP endpoint (JSON
 * encoding, what @opentelemetry/exporter-trace-otlp-http sends) that keeps
 * every span it receives in memory. The apps export to it with their real
 * exporter over real HTTP, as they would to a collector or Jaeger.
 */
export class OtlpCollector {
  readonly spans: CollectedSpan[] = [];
  private readonly received = new EventEmitter<{ spans: [] }>();

  /** Each export request received: for a test waiting for a span. */
  readonly signal: Signal = (listener) => {
    this.received.on('spans', listener);
    return () => this.received.off('spans', listener);
  };

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<OtlpCollector> {
    const port = await freePort();
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          if (request.method !== 'POST' || request.url !== '/v1/traces') throw new Error(`unexpected ${request.method} ${request.url}`);
          let body = Buffer.concat(chunks);
          if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          collector.receive(parseJson<OtlpRequest>(body.toString('utf8')));
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch (error) {
          response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    // The request handler above runs only after this line: `collector` is set by then.
    const collector = new OtlpCollector(server, `http://127.0.0.1:${port}`);
    return collector;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private receive(request: OtlpRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            service: String(resource['service.name']),
            name: span.name,
            traceId: hexId(span.traceId),
            spanId: hexId(span.spanId),
            parentSpanId: span.parentSpanId ? hexId(span.parentSpanId) : undefined,
            attributes: attributesOf(span.attributes),
          });
        }
      }
    }
    this.received.emit('spans');
  }
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
}

interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes?: OtlpAttribute[] }[] }[];
  }[];
}

function attributesOf(attributes: OtlpAttribute[] | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    result[key] =
      value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.boolValue ?? value.doubleValue;
  }
  return result;
}

/** OTLP/JSON writes ids as hex; protobuf-JSON mappings write them as base64. Accept both. */
function hexId(id: string): string {
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}
