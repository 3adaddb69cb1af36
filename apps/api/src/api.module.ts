import { DynamicModule, Module } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig, ConfigModule } from '@adrec/config';
import { DatabaseModule } from '@adrec/database';
import { ApiMetrics } from './api-metrics';
import { CONSOLE_CONTROLLERS, CONSOLE_PROVIDERS } from './console/console.providers';
import { EvaluationController } from './evaluation.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { PublishedListsCache } from './published-lists.cache';
import { PublishedListsRepository } from './published-lists.repository';
import { HistoryController } from './history.controller';
import { RunsController } from './runs.controller';
import { RunVersionsReader } from './run-versions.reader';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

/**
 * The API reads with the read-only role when DATABASE_READONLY_URL is set
 * (DatabaseModule's `read` login). Only the operator console touches SQS:
 * queue depths, and re-run/redrive behind CONSOLE_TOKEN.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ applicationName: 'adrec-api', login: 'read' })],
      controllers: [
        HistoryController,
        RunsController,
        StatsController,
        EvaluationController,
        HealthController,
        MetricsController,
        ...CONSOLE_CONTROLLERS,
      ],
      providers: [
        { provide: PublishedListsRepository, inject: [Pool], useFactory: (pool: Pool) => new PublishedListsRepository(pool) },
        { provide: StatsRepository, inject: [Pool], useFactory: (pool: Pool) => new StatsRepository(pool) },
        { provide: RunVersionsReader, inject: [Pool], useFactory: (pool: Pool) => new RunVersionsReader(pool) },
        StatsService,
        PublishedListsCache,
        ApiMetrics,
        ...CONSOLE_PROVIDERS,
      ],
    };
  }
}
