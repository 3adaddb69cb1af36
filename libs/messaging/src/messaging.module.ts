import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { QueuePublisher } from './queue-publisher';
import { createSqsClient, QueueDirectory } from './queues';

@Global()
@Module({
  providers: [
    {
      provide: QueueDirectory,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new QueueDirectory(createSqsClient(config), config),
    },
    { provide: QueuePublisher, inject: [QueueDirectory], useFactory: (queues: QueueDirectory) => new QueuePublisher(queues) },
  ],
  exports: [QueueDirectory, QueuePublisher],
})
export class MessagingModule {}
