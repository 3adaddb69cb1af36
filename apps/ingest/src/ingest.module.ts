import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ConfigModule } from '@adrec/config';
import { DatabaseModule } from '@adrec/database';
import { MessagingModule } from '@adrec/messaging';
import { ObjectStore, StorageModule } from '@adrec/storage';
import { IngestService } from './ingest.service';
import { RawInputReader } from './read/raw-input.reader';
import { TriggerConsumer } from './trigger.consumer';

@Module({})
export class IngestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), StorageModule, MessagingModule],
      providers: [
        IngestService,
        TriggerConsumer,
        {
          provide: RawInputReader,
          inject: [APP_CONFIG, ObjectStore],
          useFactory: (appConfig: AppConfig, store: ObjectStore) => new RawInputReader(appConfig, store),
        },
      ],
    };
  }
}
