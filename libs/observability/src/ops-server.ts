import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { ProcessHealth } from './process-health';

export interface OpsServer {
  /** The port it listens on (useful when started on port 0 in tests… or when asked which). */
  port: number;
  close(): Promise<void>;
}

/**
 * A worker's small HTTP server for the platform around it, on its own port
 * so that it never competes with the work: `GET /metrics` (Prometheus text),
 * `GET /health` (liveness, 200 or 503) and `GET /ready` (readiness, 200 or
 * 503), each answering JSON with the reasons. Nothing else is served.
 */
export async function startOpsServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  health: ProcessHealth;
}): Promise<OpsServer> {
  const { registry, health } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    const send = (status: number, contentType: string, body: string) => {
      response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, body: unknown) => send(status, 'application/json; charset=utf-8', JSON.stringify(body));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      json(405, { statusCode: 405, error: 'Method Not Allowed', message: 'the ops endpoints are read-only' });
      return;
    }
    const answer = async () => {
      switch (path) {
        case '/metrics':
          return send(200, registry.contentType, await registry.metrics());
        case '/health': {
          const report = health.liveness();
          return json(report.status === 'ok' ? 200 : 503, report);
        }
        case '/ready': {
          const report = await health.readiness();
          return json(report.status === 'ready' ? 200 : 503, report);
        }
        default:
          return json(404, {
            statusCode: 404,
            error: 'Not Found',
            message: `${path} is not an ops endpoint; try /metrics, /health or /ready`,
          });
      }
    };
    answer().catch((error: unknown) =>
      json(500, { statusCode: 500, error: 'Internal Server Error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  // Scrapes and probes are short; a slow client must not keep a draining worker alive.
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
