import { Injectable, OnModuleInit } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ModelResultMessage } from '@adrec/contracts';
import { RunsRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { Received } from '@adrec/messaging';
import { embeddedMetricFields, pipelineMetrics, tracer } from '@adrec/observability';
import { ResultsRepository, StoreOutcome } from './results.repository';

/**
 * What the writer tells the outside when a run completes: a `publish run`
 * span in the run's trace (a child of the result that completed it), the
 * run's stage durations and publication time as Prometheus metrics, and the
 * `run published` log line, which carries the same figures as CloudWatch
 * embedded metrics (namespace Adrec: RunsPublished,
 * RunLastPublishedTimestampSeconds, Run{Ingest,Models,Total}Seconds) for the
 * AWS dashboard and freshness alarm.
 */
/** What the log says when a batch completes a run without publishing it, by the run's status afterwards. */
const COMPLETION_MESSAGES = {
  published: 'run published',
  staged: 'run staged (not published)',
  superseded: 'run held back by a newer or pinned run of its date',
} as const;

@Injectable()
export class PublicationTelemetry implements OnModuleInit {
  private readonly logger = new JsonLogger('writer');

  constructor(
    private readonly runs: RunsRepository,
    private readonly results: ResultsRepository,
  ) {}

  onModuleInit(): void {
    pipelineMetrics.readLastPublishedFrom(() => this.results.lastPublishedAt());
  }

  /** Records the runs a stored batch completed; `storingSince` is when the batch's transaction began. */
  async runsCompleted(completed: StoreOutcome['completed'], messages: Received<ModelResultMessage>[], storingSince: number): Promise<void> {
    for (const run of completed) {
      const cause = messages.find((m) => m.body.runId === run.runId);
      const span = tracer().startSpan(
        run.published ? 'publish run' : `${run.status} run`,
        {
          kind: SpanKind.INTERNAL,
          startTime: storingSince,
          attributes: { 'adrec.run_id': run.runId, 'adrec.run_date': run.runDate, 'adrec.published': run.published },
        },
        cause?.traceContext,
      );
      pipelineMetrics.runsCompleted.inc({ outcome: run.status });
      if (!run.published) {
        span.end();
        this.logger.info(COMPLETION_MESSAGES[run.status], run);
        continue;
      }
      const now = Date.now();
      pipelineMetrics.lastPublished.set(now / 1000);
      const stages = await this.stageSeconds(run.runId, now).catch((error: unknown) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `stage durations unavailable: ${String(error)}` });
        return undefined;
      });
      for (const [stage, seconds] of Object.entries(stages ?? {})) pipelineMetrics.runStageDuration.observe({ stage }, seconds);
      span.end();
      this.logger.info('run published', {
        ...run,
        ...embeddedMetricFields(
          [
            { name: 'RunsPublished', value: 1, unit: 'Count' },
            { name: 'RunLastPublishedTimestampSeconds', value: Math.floor(now / 1000), unit: 'Seconds' },
            ...(stages
              ? [
                  { name: 'RunIngestSeconds', value: stages.ingest, unit: 'Seconds' as const },
                  { name: 'RunModelsSeconds', value: stages.models, unit: 'Seconds' as const },
                  { name: 'RunTotalSeconds', value: stages.total, unit: 'Seconds' as const },
                ]
              : []),
          ],
          {},
          now,
        ),
      });
    }
  }

  private async stageSeconds(runId: string, publishedAt: number): Promise<{ ingest: number; models: number; total: number } | undefined> {
    const run = await this.runs.find(runId);
    if (!run?.ingestStartedAt || !run.ingestFinishedAt) return undefined;
    const seconds = (from: Date, to: number) => Math.max(0, (to - from.getTime()) / 1000);
    return {
      ingest: seconds(run.ingestStartedAt, run.ingestFinishedAt.getTime()),
      models: seconds(run.ingestFinishedAt, publishedAt),
      total: seconds(run.triggeredAt, publishedAt),
    };
  }
}
