import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@adrec/config';
import { DatabaseModule } from '@adrec/database';
import { MessagingModule } from '@adrec/messaging';
import { StorageModule } from '@adrec/storage';
import { IngestService } from './ingest.service';
import { TriggerConsumer } from './trigger.consumer';

@Module({})
export class IngestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), StorageModule, MessagingModule],
      providers: [IngestService, TriggerConsumer],
    };
  }
}
