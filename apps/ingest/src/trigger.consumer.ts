import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { TriggerMessage } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { QueueConsumer, QueueDirectory } from '@adrec/messaging';
import { IngestService } from './ingest.service';

/** Consumes the trigger queue, one run at a time: ingest is I/O- and CPU-heavy. */
@Injectable()
export class TriggerConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: QueueConsumer<TriggerMessage>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, queues: QueueDirectory, ingest: IngestService) {
    this.consumer = new QueueConsumer(queues, {
      queue: 'trigger',
      messageType: TriggerMessage,
      batchSize: 1,
      visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
      logger: new JsonLogger('ingest'),
      handle: async (messages) => {
        for (const { body } of messages) await ingest.ingestRun(body);
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
