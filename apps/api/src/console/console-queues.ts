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

  depths(): Promise<QueueDepth[]> {
    return queueDepths(this.directory);
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
