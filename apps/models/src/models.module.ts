import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@adrec/config';
import { MessagingModule } from '@adrec/messaging';
import { StorageModule } from '@adrec/storage';
import { ModelJobConsumer } from './model-job.consumer';
import { ModelJobHandler } from './model-job.handler';

/** Model workers touch only SQS and S3: no database connection. */
@Module({})
export class ModelsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ModelsModule,
      imports: [ConfigModule.forRoot(config), StorageModule, MessagingModule],
      providers: [ModelJobHandler, ModelJobConsumer],
    };
  }
}
