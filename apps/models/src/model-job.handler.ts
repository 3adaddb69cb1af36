import { Injectable } from '@nestjs/common';
import type { Context } from '@opentelemetry/api';
import { ModelJobMessage, ModelResultMessage } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import { QueuePublisher, Received } from '@adrec/messaging';
import { ProductCounts, rankTopCtr, rankTopProduct } from '@adrec/ranking';
import { ObjectStore, parsePartition, RunLayout } from '@adrec/storage';

/** Ranges of one object at most this far apart are read in one request (the bytes between are cheaper than a request). */
const MAX_GAP_BYTES = 64 * 1024;
/** Nor does one request read more than this. */
const MAX_SPAN_BYTES = 8 * 1024 * 1024;

/** Identifies a job's partition: both models of an advertiser share it. */
function rangeId(job: ModelJobMessage): string {
  return `${job.partitionKey}@${job.partitionOffset}+${job.partitionLength}`;
}

type Ranked = { job: Received<ModelJobMessage>; result: Omit<ModelResultMessage, 'resultKey'> };

/**
 * Computes one (advertiser, model) list per job: read the advertiser's
 * partition (a byte range of the run's partitions object), rank it by the
 * model's rule, write the result to S3 and emit it.
 *
 * A batch's results go to S3 as one object per run (a JSON line per result,
 * `RunLayout.resultsKey`), named after the jobs it holds: one PUT per batch
 * instead of one per job. The results are pure functions of the partitions,
 * so a batch processed twice writes the same object and emits the same
 * messages, which the writer stores once.
 */
@Injectable()
export class ModelJobHandler {
  private readonly logger = new JsonLogger('models');

  constructor(
    private readonly store: ObjectStore,
    private readonly layout: RunLayout,
    private readonly publisher: QueuePublisher,
  ) {}

  /** Returns the jobs whose results were written and emitted; the others stay for redelivery. */
  async computeBatch(jobs: Received<ModelJobMessage>[]): Promise<Received<ModelJobMessage>[]> {
    const partitions = this.readPartitions(jobs.map((job) => job.body));
    const ranked = await Promise.allSettled(
      jobs.map(async (job): Promise<Ranked> => ({ job, result: rank(job.body, await partitions.get(rangeId(job.body))!) })),
    );
    const byRun = new Map<string, Ranked[]>();
    ranked.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') {
        const group = byRun.get(outcome.value.result.runId) ?? [];
        group.push(outcome.value);
        byRun.set(outcome.value.result.runId, group);
      } else {
        this.leftForRedelivery(jobs[index].body, outcome.reason);
      }
    });
    const groups = [...byRun.values()];
    const written = await Promise.allSettled(groups.map((group) => this.writeResults(group)));
    const done: Received<ModelJobMessage>[] = [];
    const results: ModelResultMessage[] = [];
    // Each result continues its job's trace.
    const traceContexts: (Context | undefined)[] = [];
    written.forEach((outcome, index) => {
      const group = groups[index];
      if (outcome.status === 'fulfilled') {
        done.push(...group.map((entry) => entry.job));
        results.push(...outcome.value);
        traceContexts.push(...group.map((entry) => entry.job.traceContext));
      } else {
        for (const entry of group) this.leftForRedelivery(entry.job.body, outcome.reason);
      }
    });
    await this.publisher.publish('results', results, traceContexts);
    return done;
  }

  /**
   * Reads the partitions a batch needs, keyed by `rangeId`. Both models of an
   * advertiser share one read, and ranges of the same object that lie close
   * together (ingest emits jobs in partition order) are fetched in one
   * request: a batch of ten jobs typically costs one S3 GET.
   */
  private readPartitions(jobs: ModelJobMessage[]): Map<string, Promise<ProductCounts[]>> {
    const ranges = [...new Map(jobs.map((job) => [rangeId(job), job])).values()].sort((a, b) =>
      a.partitionKey === b.partitionKey ? a.partitionOffset - b.partitionOffset : a.partitionKey < b.partitionKey ? -1 : 1,
    );
    const partitions = new Map<string, Promise<ProductCounts[]>>();
    for (let first = 0; first < ranges.length;) {
      // Extend the span while the next range is in the same object and close enough.
      const spanStart = ranges[first].partitionOffset;
      let spanEnd = spanStart + ranges[first].partitionLength;
      let last = first;
      while (
        last + 1 < ranges.length &&
        ranges[last + 1].partitionKey === ranges[first].partitionKey &&
        ranges[last + 1].partitionOffset - spanEnd <= MAX_GAP_BYTES &&
        ranges[last + 1].partitionOffset + ranges[last + 1].partitionLength - spanStart <= MAX_SPAN_BYTES
      ) {
        last++;
        spanEnd = Math.max(spanEnd, ranges[last].partitionOffset + ranges[last].partitionLength);
      }
      const span = this.store.getRange(ranges[first].partitionKey, spanStart, spanEnd - spanStart);
      for (const job of ranges.slice(first, last + 1)) {
        const start = job.partitionOffset - spanStart;
        const text = span.then((bytes) => bytes.toString('utf8', start, start + job.partitionLength));
        partitions.set(
          rangeId(job),
          text.then((partition) =>
            parsePartition(
              partition,
              `${job.partitionKey} (advertiser ${job.advertiserId}, bytes ${job.partitionOffset}+${job.partitionLength})`,
            ),
          ),
        );
      }
      first = last + 1;
    }
    return partitions;
  }

  /** Writes one run's results of a batch as one S3 object; returns them with the object's key. */
  private async writeResults(group: Ranked[]): Promise<ModelResultMessage[]> {
    const { runId, runDate } = group[0].result;
    const resultKey = this.layout.resultsKey(
      runDate,
      runId,
      group.map(({ result }) => `${result.advertiserId}/${result.model}`),
    );
    const results = group.map(({ result }): ModelResultMessage => ({ ...result, resultKey }));
    await this.store.put(resultKey, results.map((result) => JSON.stringify(result)).join('\n') + '\n', 'application/x-ndjson');
    return results;
  }

  private leftForRedelivery(job: ModelJobMessage, reason: unknown): void {
    const { runId, advertiserId, model } = job;
    this.logger.warn('job left for redelivery', { runId, advertiserId, model, err: serializeError(reason) });
  }
}

/** The job's list by its model's rule (SPEC section 2). */
function rank(job: ModelJobMessage, products: ProductCounts[]): Omit<ModelResultMessage, 'resultKey'> {
  const ranked = job.model === 'top_ctr' ? rankTopCtr(products) : { items: rankTopProduct(products), clicksWithoutImpressions: 0 };
  return {
    runId: job.runId,
    runDate: job.runDate,
    advertiserId: job.advertiserId,
    model: job.model,
    items: ranked.items,
    clicksWithoutImpressions: ranked.clicksWithoutImpressions,
  };
}
