import { Counter, Histogram, Registry } from 'prom-client';
import { ApiMetrics } from './api-metrics';

/** The lines of one metric family in a Prometheus text exposition. */
function family(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(`${name}{`) ||
        line.startsWith(`${name}_`) ||
        line.startsWith(`# HELP ${name} `) ||
        line.startsWith(`# TYPE ${name} `),
    );
}

describe('ApiMetrics', () => {
  const observations: [method: string, route: string, status: number, seconds: number][] = [
    ['GET', '/recommendations/:advertiserId/:model', 200, 0.0004],
    ['GET', '/recommendations/:advertiserId/:model', 200, 0.0005],
    ['GET', '/recommendations/:advertiserId/:model', 404, 0.003],
    ['GET', '/recommendations/:advertiserId/:model', 200, 2.5],
    ['GET', '/stats', 200, 0.02],
    ['HEAD', '/stats', 200, 0.0001],
    ['GET', 'unmatched', 404, 0.0009],
  ];

  it("exports the same request counters and latency histogram as prom-client's own Counter and Histogram", async () => {
    const metrics = new ApiMetrics();
    const reference = new Registry();
    const requests = new Counter({
      name: 'adrec_http_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [reference],
    });
    const latency = new Histogram({
      name: 'adrec_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [reference],
    });
    for (const [method, route, status, seconds] of observations) {
      metrics.recordRequest(method, route, status, seconds);
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    }
    const [ours, theirs] = await Promise.all([metrics.registry.metrics(), reference.metrics()]);
    for (const name of ['adrec_http_requests_total', 'adrec_http_request_duration_seconds']) {
      expect(family(ours, name).sort()).toEqual(family(theirs, name).sort());
    }
    expect(ours).toContain(
      'adrec_http_request_duration_seconds_bucket{le="0.0005",method="GET",route="/recommendations/:advertiserId/:model"} 2',
    );
    expect(ours).toContain('adrec_http_request_duration_seconds_count{method="GET",route="/recommendations/:advertiserId/:model"} 4');
  });

  it('counts cache hits and misses, and keeps counting across scrapes', async () => {
    const metrics = new ApiMetrics();
    metrics.recordCacheLookup(true);
    metrics.recordCacheLookup(true);
    metrics.recordCacheLookup(false);
    metrics.recordRequest('GET', '/stats', 200, 0.001);
    await metrics.registry.metrics();
    metrics.recordCacheLookup(true);
    metrics.recordRequest('GET', '/stats', 200, 0.001);
    const text = await metrics.registry.metrics();
    expect(text).toContain('adrec_cache_lookups_total{result="hit"} 3');
    expect(text).toContain('adrec_cache_lookups_total{result="miss"} 1');
    expect(text).toContain('adrec_http_requests_total{method="GET",route="/stats",status="200"} 2');
    expect(text).toContain('adrec_http_request_duration_seconds_count{method="GET",route="/stats"} 2');
    // The process's default metrics are still there.
    expect(text).toContain('process_cpu_seconds_total');
  });
});
