import { Injectable } from '@nestjs/common';
import { ModelJobMessage, ModelResultMessage } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import { QueuePublisher, Received } from '@adrec/messaging';
import { ProductCounts, rankTopCtr, rankTopProduct } from '@adrec/ranking';
import { ObjectStore, parsePartition, RunLayout } from '@adrec/storage';

/**
 * Computes one (advertiser, model) list per job: read the advertiser's
 * partition, rank it by the model's rule, write the result to S3 and emit it.
 * The result is a pure function of the partition, so a job processed twice
 * writes the same object and emits the same message, which the writer
 * stores once.
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
    // Both models of an advertiser often arrive together; read its partition once.
    const partitions = new Map<string, Promise<ProductCounts[]>>();
    const outcomes = await Promise.allSettled(
      jobs.map(async (job) => {
        let partition = partitions.get(job.body.partitionKey);
        if (!partition) {
          partition = this.store.getText(job.body.partitionKey).then((text) => parsePartition(text, job.body.partitionKey));
          partitions.set(job.body.partitionKey, partition);
        }
        return this.computeResult(job.body, await partition);
      }),
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
