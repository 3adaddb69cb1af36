import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { buildInfo } from './build-info';

/** How a received message ended: deleted, left for redelivery, left on its last allowed receive, or rejected as invalid. */
export type MessageOutcome = 'done' | 'retried' | 'dead_lettered' | 'invalid';

/** Seconds: from a millisecond handled by SQS to a run of several hours. */
const DURATION_BUCKETS = [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];

/**
 * The worker processes' Prometheus metrics (ingest, models, writer, the
 * scheduler), served by the ops server at GET /metrics. One registry per
 * process, like prom-client's own default one: the metrics describe the
 * process, whichever module records them. Names follow Prometheus'
 * conventions: `adrec_` prefix, base units, `_total` for counters.
 */
export class PipelineMetrics {
  readonly registry = new Registry();

  readonly messagesHandled = new Counter({
    name: 'adrec_messages_handled_total',
    help: 'Messages received, by queue and outcome (done, retried, dead_lettered: failed on its last allowed receive, invalid: moved to the DLQ at once)',
    labelNames: ['queue', 'outcome'],
    registers: [this.registry],
  });
  readonly handlingDuration = new Histogram({
    name: 'adrec_message_handling_duration_seconds',
    help: 'Time from a message handed to its handler to its outcome (messages of one batch share their batch time), by queue',
    labelNames: ['queue'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly queueTime = new Histogram({
    name: 'adrec_message_queue_time_seconds',
    help: 'Time a message waited in its queue, from SentTimestamp to this receive, by queue',
    labelNames: ['queue'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly lastPoll = new Gauge({
    name: 'adrec_consumer_last_poll_timestamp_seconds',
    help: 'When a consumer of the queue last completed a receive (Unix time)',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly linesRead = new Counter({
    name: 'adrec_ingest_lines_read_total',
    help: 'Log lines ingest read, by dataset (product_views, ads_views)',
    labelNames: ['dataset'],
    registers: [this.registry],
  });
  readonly badLines = new Counter({
    name: 'adrec_ingest_bad_lines_total',
    help: 'Log lines ingest skipped, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly runStageDuration = new Histogram({
    name: 'adrec_run_stage_duration_seconds',
    help: 'Duration of a published run per stage: ingest (trigger received to jobs recorded), models (jobs recorded to last result written), total (triggered to published)',
    labelNames: ['stage'],
    buckets: RUN_BUCKETS,
    registers: [this.registry],
  });
  readonly runsCompleted = new Counter({
    name: 'adrec_runs_completed_total',
    help: 'Runs this process finished, by outcome (published, staged, superseded, failed)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  /** Read at each scrape, so that every writer reports the latest publication, whichever writer made it, also after a restart. */
  private lastPublishedSource: (() => Promise<Date | null>) | undefined;
  readonly lastPublished = new Gauge({
    name: 'adrec_run_last_published_timestamp_seconds',
    help: 'When the latest publication of a run happened (Unix time); alert on time() minus this',
    registers: [this.registry],
    collect: async () => {
      const at = await this.lastPublishedSource?.().catch(() => undefined);
      if (at) this.lastPublished.set(at.getTime() / 1000);
    },
  });

  /** Where adrec_run_last_published_timestamp_seconds comes from at scrape time (the writer: the publications table). */
  readLastPublishedFrom(source: () => Promise<Date | null>): void {
    this.lastPublishedSource = source;
  }

  constructor() {
    registerBuildInfo(this.registry);
    collectDefaultMetrics({ register: this.registry });
  }
}

/** `adrec_build_info{version,node_version} 1`, the usual way to expose what code a process runs. */
export function registerBuildInfo(registry: Registry): void {
  const info = buildInfo();
  new Gauge({
    name: 'adrec_build_info',
    help: 'The running code: adrec version and Node.js version (always 1)',
    labelNames: ['version', 'node_version'],
    registers: [registry],
  }).set({ version: info.version, node_version: info.nodeVersion }, 1);
}

/** This process's pipeline metrics. */
export const pipelineMetrics = new PipelineMetrics();
