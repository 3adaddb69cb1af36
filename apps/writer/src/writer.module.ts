import { DynamicModule, Module } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig, ConfigModule } from '@adrec/config';
import { DatabaseModule } from '@adrec/database';
import { MessagingModule } from '@adrec/messaging';
import { PublicationTelemetry } from './publication-telemetry';
import { ResultConsumer } from './result.consumer';
import { ResultsRepository } from './results.repository';

@Module({})
export class WriterModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WriterModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), MessagingModule],
      providers: [
        { provide: ResultsRepository, inject: [Pool], useFactory: (pool: Pool) => new ResultsRepository(pool) },
        PublicationTelemetry,
        ResultConsumer,
      ],
    };
  }
}
