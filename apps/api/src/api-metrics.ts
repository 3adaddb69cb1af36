import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Metric, Registry, collectDefaultMetrics } from 'prom-client';
import { MAX_LIST_ITEMS } from '@adrec/contracts';
import { registerBuildInfo } from '@adrec/observability';

/** Upper bounds of the request latency histogram, seconds. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** What one route answered to one method: counts by status, and the latency histogram. */
interface RouteSeries {
  readonly statuses: Map<number, number>;
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/**
 * Prometheus metrics of the API process, served at GET /metrics.
 *
 * Every request is counted in plain numbers and handed to prom-client only
 * when /metrics is scraped: prom-client's labelled `inc` and `observe`
 * validate and hash their label set on every call, which cost the hot route
 * more than the rest of its own work. The exported series are the same:
 * `adrec_http_requests_total{method,route,status}`,
 * `adrec_http_request_duration_seconds{method,route}` (a histogram) and
 * `adrec_cache_lookups_total{result}`.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();
  /** By method, then route pattern: strings Fastify and Node reuse, so each lookup hashes nothing new. */
  private readonly series = new Map<string, Map<string, RouteSeries>>();
  private readonly cacheResults = { hit: 0, miss: 0 };
  readonly latestPublishedDate = new Gauge({
    name: 'adrec_latest_published_date_timestamp_seconds',
    help: 'The latest published run date, as a Unix time (its midnight UTC)',
    registers: [this.registry],
  });
  readonly publishedDates = new Gauge({
    name: 'adrec_published_dates',
    help: 'Number of dates with a published run',
    registers: [this.registry],
  });

  readonly evaluationHitRate = new Gauge({
    name: 'adrec_evaluation_hit_rate',
    help: 'Hit rate on the next day of the latest evaluated published date, per model (SPEC section 6)',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly evaluationBaselineHitRate = new Gauge({
    name: 'adrec_evaluation_baseline_hit_rate',
    help: `The same hit rate for the model-free baseline list (${MAX_LIST_ITEMS} smallest product ids seen), per model`,
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly evaluatedDate = new Gauge({
    name: 'adrec_evaluation_date_seconds',
    help: 'The latest evaluated published date, as a Unix time (midnight UTC)',
    registers: [this.registry],
  });
  readonly latestRunWarnings = new Gauge({
    name: 'adrec_latest_run_input_warnings',
    help: 'Input drift warnings of the most recently triggered run',
    registers: [this.registry],
  });

  constructor() {
    registerBuildInfo(this.registry);
    const series = this.series;
    const cacheResults = this.cacheResults;
    new Counter({
      name: 'adrec_http_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [method, routes] of series) {
          for (const [route, s] of routes)
            for (const [status, count] of s.statuses) this.inc({ method, route, status: String(status) }, count);
        }
      },
    });
    // The registry reads a metric through get() alone; prom-client's types only name its own classes.
    this.registry.registerMetric(new LatencyHistogram(series) as unknown as Metric);
    new Counter({
      name: 'adrec_cache_lookups_total',
      help: 'Recommendation lookups answered from memory (hit) or after loading a date (miss)',
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const result of ['hit', 'miss'] as const) if (cacheResults[result] > 0) this.inc({ result }, cacheResults[result]);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one answered request; `route` is the route's pattern, never the raw URL, so the series stay few. */
  recordRequest(method: string, route: string, status: number, seconds: number): void {
    let routes = this.series.get(method);
    if (!routes) this.series.set(method, (routes = new Map<string, RouteSeries>()));
    let s = routes.get(route);
    if (!s)
      routes.set(route, (s = { statuses: new Map(), buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]) bucket++;
    s.buckets[bucket]++;
    s.sum += seconds;
    s.count++;
  }

  recordCacheLookup(hit: boolean): void {
    if (hit) this.cacheResults.hit++;
    else this.cacheResults.miss++;
  }
}

/** One line of a metric, as prom-client's registry reads it. */
interface MetricLine {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * `adrec_http_request_duration_seconds` as prom-client's registry reads a
 * metric (`get()`), built from the counted buckets at scrape time: the same
 * lines prom-client's own Histogram writes for the same observations.
 */
class LatencyHistogram {
  readonly name = 'adrec_http_request_duration_seconds';
  readonly help = 'HTTP request latency by route';
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(private readonly series: Map<string, Map<string, RouteSeries>>) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricLine[] } {
    const values: MetricLine[] = [];
    for (const [method, routes] of this.series) {
      for (const [route, s] of routes) {
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((le, i) => {
          cumulative += s.buckets[i];
          values.push({ metricName: `${this.name}_bucket`, labels: { le, method, route }, value: cumulative });
        });
        values.push(
          { metricName: `${this.name}_bucket`, labels: { le: '+Inf', method, route }, value: s.count },
          { metricName: `${this.name}_sum`, labels: { method, route }, value: s.sum },
          { metricName: `${this.name}_count`, labels: { method, route }, value: s.count },
        );
      }
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
