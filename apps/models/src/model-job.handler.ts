import { Injectable } from '@nestjs/common';
import { ModelJobMessage, ModelResultMessage } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import { QueuePublisher, Received } from '@adrec/messaging';
import { ProductCounts, rankTopCtr, rankTopProduct } from '@adrec/ranking';
import { ObjectStore, parsePartition, RunLayout } from '@adrec/storage';

/**
 * Computes one (advertiser, model) list per job: read the advertiser's
 * partition (a byte range of the run's partitions object), rank it by the model's rule, write the result to S3 and emit it.
 * The result is a pure function of the partition, so a job processed twice
 * writes the same object and emits the same message, which the writer
 * stores once.
 */
/** Ranges of one object at most this far apart are read in one request (the bytes between are cheaper than a request). */
const MAX_GAP_BYTES = 64 * 1024;
/** Nor does one request read more than this. */
const MAX_SPAN_BYTES = 8 * 1024 * 1024;

/** Identifies a job's partition: both models of an advertiser share it. */
function rangeId(job: ModelJobMessage): string {
  return `${job.partitionKey}@${job.partitionOffset}+${job.partitionLength}`;
}

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
    const outcomes = await Promise.allSettled(
      jobs.map(async (job) => this.computeResult(job.body, await partitions.get(rangeId(job.body))!)),
    );
    const done: Received<ModelJobMessage>[] = [];
    const results: ModelResultMessage[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') {
        done.push(jobs[index]);
        results.push(outcome.value);
      } else {
        const { runId, advertiserId, model } = jobs[index].body;
        this.logger.warn('job left for redelivery', { runId, advertiserId, model, err: serializeError(outcome.reason) });
      }
    });
    await this.publisher.publish('results', results);
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
    for (let first = 0; first < ranges.length; ) {
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
          text.then((partition) => parsePartition(partition, `${job.partitionKey} (advertiser ${job.advertiserId}, bytes ${job.partitionOffset}+${job.partitionLength})`)),
        );
      }
      first = last + 1;
    }
    return partitions;
  }

  private async computeResult(job: ModelJobMessage, products: ProductCounts[]): Promise<ModelResultMessage> {
    const ranked =
      job.model === 'top_ctr' ? rankTopCtr(products) : { items: rankTopProduct(products), clicksWithoutImpressions: 0 };
    const resultKey = this.layout.resultKey(job.runDate, job.runId, job.model, job.advertiserId);
    const result: ModelResultMessage = {
      runId: job.runId,
      runDate: job.runDate,
      advertiserId: job.advertiserId,
      model: job.model,
      resultKey,
      items: ranked.items,
      clicksWithoutImpressions: ranked.clicksWithoutImpressions,
    };
    await this.store.put(resultKey, JSON.stringify(result), 'application/json');
    return result;
  }
}
