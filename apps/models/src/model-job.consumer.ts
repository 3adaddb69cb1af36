import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { ModelJobMessage } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { QueueConsumer, QueueDirectory } from '@adrec/messaging';
import { ModelJobHandler } from './model-job.handler';

@Injectable()
export class ModelJobConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: QueueConsumer<ModelJobMessage>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, queues: QueueDirectory, handler: ModelJobHandler) {
    this.consumer = new QueueConsumer(queues, {
      queue: 'jobs',
      messageType: ModelJobMessage,
      batchSize: config.pipeline.modelsBatchSize,
      concurrency: config.pipeline.modelsConcurrency,
      visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
      logger: new JsonLogger('models'),
      handle: (jobs) => handler.computeBatch(jobs),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
