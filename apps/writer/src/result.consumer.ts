import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { ModelResultMessage } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { QueueConsumer, QueueDirectory } from '@adrec/messaging';
import { PublicationTelemetry } from './publication-telemetry';
import { ResultsRepository } from './results.repository';

/** Stores each received batch (up to 10 results) in one transaction, then acknowledges it. */

@Injectable()
export class ResultConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: QueueConsumer<ModelResultMessage>;
  private readonly logger = new JsonLogger('writer');

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    queues: QueueDirectory,
    results: ResultsRepository,
    publications: PublicationTelemetry,
  ) {
    this.consumer = new QueueConsumer(queues, {
      queue: 'results',
      messageType: ModelResultMessage,
      batchSize: 10,
      concurrency: config.pipeline.writerConcurrency,
      visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
      logger: this.logger,
      handle: async (messages) => {
        const storingSince = Date.now();
        const outcome = await results.storeResults(messages.map((m) => m.body));
        await publications.runsCompleted(outcome.completed, messages, storingSince);
        return messages;
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
