import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { TriggerMessage } from '@adrec/contracts';
import {
  createSqsClient,
  QueueDepth,
  queueDepths,
  QueueDirectory,
  QueueName,
  QueuePublisher,
  QUEUES,
  redriveDeadLetters,
} from '@adrec/messaging';

export type RedriveOutcome = { queue: QueueName } & Awaited<ReturnType<typeof redriveDeadLetters>>;

/**
 * How long one reading of the queue depths is served. Each reading is six
 * SQS calls and the route is public, so any number of console tabs (or a
 * client hammering it) cost at most six calls per this interval.
 */
export const QUEUE_DEPTHS_CACHE_MS = 5000;

/**
 * The console's only link to SQS: queue depths, and the two operator actions.
 * The rest of the API touches no queue, so the SQS client lives here.
 */
@Injectable()
export class ConsoleQueues implements OnApplicationShutdown {
  private readonly directory: QueueDirectory;
  private readonly publisher: QueuePublisher;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.directory = new QueueDirectory(createSqsClient(config), config);
    this.publisher = new QueuePublisher(this.directory);
  }

  private depthsReading?: { at: number; depths: Promise<QueueDepth[]> };

  /** The depths of every queue and DLQ, at most QUEUE_DEPTHS_CACHE_MS old; concurrent callers share one reading. */
  depths(): Promise<QueueDepth[]> {
    const now = Date.now();
    if (!this.depthsReading || now - this.depthsReading.at >= QUEUE_DEPTHS_CACHE_MS) {
      const reading = { at: now, depths: queueDepths(this.directory) };
      // A failed reading is not kept: the next request asks SQS again.
      reading.depths.catch(() => {
        if (this.depthsReading === reading) this.depthsReading = undefined;
      });
      this.depthsReading = reading;
    }
    return this.depthsReading.depths;
  }

  async trigger(trigger: TriggerMessage): Promise<void> {
    await this.publisher.publish('trigger', [trigger]);
  }

  /** Moves dead-lettered messages back to `queue`, or to every queue when omitted. */
  async redrive(queue?: QueueName): Promise<RedriveOutcome[]> {
    const outcomes: RedriveOutcome[] = [];
    for (const name of queue ? [queue] : QUEUES) outcomes.push({ queue: name, ...(await redriveDeadLetters(this.directory, name)) });
    return outcomes;
  }

  onApplicationShutdown(): void {
    this.directory.sqs.destroy();
  }
}
