import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { ModelResultMessage } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { QueueConsumer, QueueDirectory } from '@adrec/messaging';
import { ResultsRepository } from './results.repository';

/** Stores each received batch (up to 10 results) in one transaction, then acknowledges it. */
/** What the log says when a batch completes a run, by the run's status afterwards. */
const COMPLETION_MESSAGES = {
  published: 'run published',
  staged: 'run staged (not published)',
  superseded: 'run held back by a newer or pinned run of its date',
} as const;

@Injectable()
export class ResultConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: QueueConsumer<ModelResultMessage>;
  private readonly logger = new JsonLogger('writer');

  constructor(@Inject(APP_CONFIG) config: AppConfig, queues: QueueDirectory, results: ResultsRepository) {
    this.consumer = new QueueConsumer(queues, {
      queue: 'results',
      messageType: ModelResultMessage,
      batchSize: 10,
      concurrency: config.pipeline.writerConcurrency,
      visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds,
      logger: this.logger,
      handle: async (messages) => {
        const outcome = await results.storeResults(messages.map((m) => m.body));
        if (config.faultInjection === 'writer-exit-after-commit') {
          // The crash this failpoint exists for: committed, messages not yet deleted.
          this.logger.warn('fault injection: exiting after commit, before deleting the batch');
          process.kill(process.pid, 'SIGKILL');
        }
        for (const run of outcome.completed) {
          this.logger.info(COMPLETION_MESSAGES[run.status], run);
        }
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
