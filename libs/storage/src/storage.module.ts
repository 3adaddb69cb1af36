import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { createS3Client, ObjectStore } from './object-store';
import { RunLayout } from './run-layout';

@Global()
@Module({
  providers: [
    {
      provide: ObjectStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ObjectStore(createS3Client(config), config.storage.bucket),
    },
    {
      provide: RunLayout,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new RunLayout(config.storage.runsPrefix),
    },
  ],
  exports: [ObjectStore, RunLayout],
})
export class StorageModule {}
