import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the API process, served at GET /metrics. */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'adrec_http_requests_total',
    help: 'HTTP requests by route and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'adrec_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'adrec_cache_lookups_total',
    help: 'Recommendation lookups answered from memory (hit) or after loading a date (miss)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly latestPublishedDate = new Gauge({
    name: 'adrec_latest_published_date_seconds',
    help: 'The latest published run date, as a Unix time (midnight UTC)',
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
    help: 'The same hit rate for the model-free baseline list (20 smallest product ids seen), per model',
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
    collectDefaultMetrics({ register: this.registry });
  }

  /** Labelled children by method, route and status: resolving labels on every request costs more than the counting. */
  private readonly children = new Map<string, { count: () => void; observe: (seconds: number) => void }>();

  recordRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = this.children.get(key);
    if (!child) {
      const counter = this.requests.labels({ method, route, status: String(status) });
      const histogram = this.latency.labels({ method, route });
      child = { count: () => counter.inc(), observe: (value) => histogram.observe(value) };
      // Routes are patterns and statuses few, so this stays small; guard anyway.
      if (this.children.size < 1000) this.children.set(key, child);
    }
    child.count();
    child.observe(seconds);
  }

  recordCacheLookup(hit: boolean): void {
    this.cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  }
}
