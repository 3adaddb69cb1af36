import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { AdrecError, MODEL_NAMES, ModelJobMessage, TriggerMessage } from '@adrec/contracts';
import { formatCsvField } from '@adrec/csv';
import { AdvertiserInput, EvaluationRepository, FINISHED_STATUSES, RunInputsRepository, RunRecord, RunsRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { QueuePublisher } from '@adrec/messaging';
import { pipelineMetrics } from '@adrec/observability';
import { ObjectStore, packPartitions, RunLayout } from '@adrec/storage';
import { notingAdvertiserInputs } from './evaluation-inputs';
import { assessInputDrift, DRIFT_HISTORY_RUNS } from './input-drift';
import { LogAggregator } from './read/log-aggregator';
import { RawInputReader } from './read/raw-input.reader';

/** Expected outcomes of a trigger; anything else is thrown and retried. */
export type IngestStatus = 'SUCCESS' | 'SKIPPED' | 'FAILED';

@Injectable()
export class IngestService {
  private readonly logger = new JsonLogger('ingest');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly layout: RunLayout,
    private readonly runs: RunsRepository,
    private readonly publisher: QueuePublisher,
    private readonly runInputs: RunInputsRepository,
    private readonly evaluation: EvaluationRepository,
    private readonly rawInput: RawInputReader,
  ) {}

  /**
   * Turns a trigger into a run: filters the window's logs, writes one
   * partition per active advertiser, records the jobs and emits them.
   * Safe to run twice: a finished run is skipped, a run whose ingest already
   * completed only re-emits the jobs that have no result yet, and an ingest
   * cut short is redone from the start (its S3 keys are deterministic).
   * Two ingests of one run at once (a duplicate trigger delivered while the
   * first is still reading) are fenced: each claims an attempt number, and
   * only the latest attempt stores the run's jobs, counts or failure; an
   * earlier one finds itself superseded and stops.
   */
  async ingestRun(trigger: TriggerMessage): Promise<IngestStatus> {
    const log = this.logger.child({ runId: trigger.runId, runDate: trigger.runDate });
    const run = await this.runs.register({
      runId: trigger.runId,
      runDate: trigger.runDate,
      windowDays: trigger.windowDays,
      triggeredAt: trigger.triggeredAt ? new Date(trigger.triggeredAt) : new Date(),
      publishMode: trigger.publish,
    });
    if (FINISHED_STATUSES.includes(run.status)) {
      log.info('trigger for a finished run ignored', { status: run.status });
      return 'SKIPPED';
    }
    if (run.status === 'running') {
      const sent = await this.emitPendingJobs(run);
      log.info('ingest already done; pending jobs re-emitted', { jobs: sent });
      return 'SKIPPED';
    }
    const attempt = await this.runs.claimIngestAttempt(run.runId);
    if (attempt === undefined) {
      // Another ingest of this run finished between register and claim: let the trigger be seen again.
      return this.ingestRun(trigger);
    }
    let stored: boolean;
    try {
      stored = await this.filterAndPartition(run, attempt, log);
    } catch (error) {
      if (error instanceof AdrecError && error.code.startsWith('INGEST.')) {
        // A run rejected for its bad lines keeps the counts that condemned it, for `adrec runs` and GET /runs.
        const counts = error.details as { inputCounts?: Record<string, number>; badLines?: Record<string, number> };
        const failed = await this.runs.fail(
          run.runId,
          { code: error.code, message: error.message },
          { inputCounts: counts.inputCounts, badLines: counts.badLines },
          attempt,
        );
        if (!failed) {
          log.warn('ingest attempt superseded; its failure is not recorded', { attempt, code: error.code, reason: error.message });
          return 'SKIPPED';
        }
        log.error('run failed', { code: error.code, reason: error.message });
        pipelineMetrics.runsCompleted.inc({ outcome: 'failed' });
        return 'FAILED';
      }
      throw error;
    }
    if (!stored) {
      log.warn('ingest attempt superseded by a newer one; nothing stored', { attempt });
      return 'SKIPPED';
    }
    const sent = await this.emitPendingJobs((await this.runs.find(run.runId))!);
    log.info('jobs emitted', { jobs: sent, attempt });
    return 'SUCCESS';
  }

  /** Reads and partitions the run's input; resolves false when a newer attempt of the run took over before it could store anything. */
  private async filterAndPartition(run: RunRecord, attempt: number, log: JsonLogger): Promise<boolean> {
    const started = Date.now();
    const {
      logs: aggregator,
      activeAdvertisers,
      advertiserIdLines,
      objectsRead,
      slices,
    } = await this.rawInput.read(run.runDate, run.windowDays);
    const read = Date.now();

    const inputCounts = {
      ...aggregator.inputCounts,
      activeAdvertisers,
      advertiserIdLines,
      objectsRead,
      // SPEC section 2: left out of top_ctr, and counted in the report.
      productsClickedWithoutImpressions: aggregator.productsClickedWithoutImpressions(),
    };
    const badLines = { ...aggregator.badLines, total: aggregator.totalBadLines };
    recordLineCounts(aggregator);
    await this.writeReport(run, inputCounts, badLines, aggregator);

    const linesRead = aggregator.totalLines + advertiserIdLines;
    const ratio = linesRead === 0 ? 0 : aggregator.totalBadLines / linesRead;
    if (ratio > this.config.pipeline.badLineThreshold) {
      throw new AdrecError(
        'INGEST.TOO_MANY_BAD_LINES',
        `${aggregator.totalBadLines} of ${linesRead} lines are bad (${(ratio * 100).toFixed(2)}%, ` +
          `threshold ${(this.config.pipeline.badLineThreshold * 100).toFixed(2)}%); sample at ` +
          `s3://${this.store.bucket}/${this.layout.badLinesSampleKey(run.runDate, run.runId)}`,
        { details: { inputCounts, badLines } },
      );
    }

    const partitioned = Date.now();
    const advertiserInputs: AdvertiserInput[] = [];
    const packed = packPartitions(notingAdvertiserInputs(aggregator.productsByAdvertiser(), advertiserInputs));
    await this.checkInputDrift(run, { inputCounts, badLines, advertiserInputs }, log);
    await Promise.all([
      this.store.upload(this.layout.partitionsKey(run.runDate, run.runId, attempt), packed.body, 'text/csv'),
      // The day's events for the next-day evaluation, before the run is marked
      // ingested: a retried trigger of an ingested run only re-emits its jobs.
      this.evaluation.recordDayEvents(run.runDate, run, aggregator.dayEvents.byAdvertiser()),
    ]);
    const written = Date.now();
    const stored = await this.runs.completeIngest(
      run.runId,
      { partitions: packed.ranges, models: MODEL_NAMES, inputCounts, badLines },
      attempt,
    );
    if (!stored) return false;
    log.info('ingest done', {
      ...inputCounts,
      badLines: badLines.total,
      seconds: (Date.now() - started) / 1000,
      slices,
      threads: this.config.pipeline.ingestThreads,
      // Where the time went: reading and folding the logs, the report, the partitions object.
      partitionBytes: packed.body.length,
      readSeconds: (read - started) / 1000,
      reportSeconds: (partitioned - read) / 1000,
      partitionUploadSeconds: (written - partitioned) / 1000,
    });
    return true;
  }

  /**
   * Compares the run's input with the previous published runs and stores the
   * warnings (SPEC section 6) with the per-advertiser inputs. With
   * DRIFT_FAILS_RUN, a run with warnings fails instead of publishing.
   */
  private async checkInputDrift(
    run: RunRecord,
    input: { inputCounts: Record<string, number>; badLines: Record<string, number>; advertiserInputs: AdvertiserInput[] },
    log: JsonLogger,
  ): Promise<void> {
    const history = await this.runInputs.previousPublished(run.runDate, DRIFT_HISTORY_RUNS);
    const advertiserLines = new Map(input.advertiserInputs.map((a) => [a.advertiserId, a.linesKept]));
    const warnings = assessInputDrift({ ...input, advertiserLines }, history, this.config.drift);
    await this.runInputs.record(run.runId, input.advertiserInputs, warnings);
    if (warnings.length === 0) return;
    // The CloudWatch alarm on input drift counts this log line (infra/lib/pipeline-alarms.construct.ts).
    log.warn('input drift', { warnings: warnings.length, codes: warnings.map((w) => w.code) });
    if (this.config.drift.failsRun) {
      throw new AdrecError('INGEST.INPUT_DRIFT', `input drift (DRIFT_FAILS_RUN is set): ${warnings.map((w) => w.message).join('; ')}`, {
        details: { inputCounts: input.inputCounts, badLines: input.badLines },
      });
    }
  }

  private async writeReport(
    run: RunRecord,
    inputCounts: Record<string, number>,
    badLines: Record<string, number>,
    aggregator: LogAggregator,
  ): Promise<void> {
    const sample = ['object_key,line_number,reason,text']
      .concat(aggregator.samples.map((s) => [s.key, s.lineNumber, s.reason, s.text].map(formatCsvField).join(',')))
      .join('\n');
    await this.store.put(this.layout.badLinesSampleKey(run.runDate, run.runId), sample + '\n', 'text/csv');
    await this.store.put(
      this.layout.ingestReportKey(run.runDate, run.runId),
      JSON.stringify({ runId: run.runId, runDate: run.runDate, windowDays: run.windowDays, inputCounts, badLines }, null, 2),
      'application/json',
    );
  }

  private async emitPendingJobs(run: RunRecord): Promise<number> {
    const pending = await this.runs.pendingJobs(run.runId);
    // The attempt that completed the ingest is the run's last: no attempt is claimed once it runs.
    const partitionKey = this.layout.partitionsKey(run.runDate, run.runId, await this.runs.ingestAttempt(run.runId));
    const jobs: ModelJobMessage[] = pending.map(({ advertiserId, model, offset, length }) => ({
      runId: run.runId,
      runDate: run.runDate,
      advertiserId,
      model: model as ModelJobMessage['model'],
      partitionKey,
      partitionOffset: offset,
      partitionLength: length,
    }));
    await this.publisher.publish('jobs', jobs);
    return jobs.length;
  }
}

/** Lines read per dataset and bad lines per reason, for adrec_ingest_lines_read_total and adrec_ingest_bad_lines_total. */
function recordLineCounts(aggregator: LogAggregator): void {
  pipelineMetrics.linesRead.inc({ dataset: 'product_views' }, aggregator.inputCounts.productViewLines);
  pipelineMetrics.linesRead.inc({ dataset: 'ads_views' }, aggregator.inputCounts.adEventLines);
  for (const [reason, count] of Object.entries(aggregator.badLines)) pipelineMetrics.badLines.inc({ reason }, count);
}
