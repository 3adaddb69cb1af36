import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, ConfigModule, requireDatabaseUrl } from '@adrec/config';
import { createPool, EvaluationReadRepository, PublicationsRepository, RunsRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
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
 * The API reads with the read-only role when DATABASE_READONLY_URL is set. Only the
 * operator console touches SQS: queue depths, and re-run/redrive behind CONSOLE_TOKEN.
 */
@Module({})
export class ApiModule implements OnApplicationShutdown {
  constructor(@Inject(Pool) private readonly pool: Pool) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config)],
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
        {
          provide: Pool,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) =>
            createPool(
              {
                url: c.database.readOnlyUrl ?? requireDatabaseUrl(c),
                size: c.database.poolSize,
                ssl: c.database.ssl,
                sslCaFile: c.database.sslCaFile,
                applicationName: 'adrec-api',
              },
              new JsonLogger('api'),
            ),
        },
        { provide: PublishedListsRepository, inject: [Pool], useFactory: (pool: Pool) => new PublishedListsRepository(pool) },
        {
          provide: RunsRepository,
          inject: [Pool, APP_CONFIG],
          useFactory: (pool: Pool, c: AppConfig) => new RunsRepository(pool, c.runs.stuckAfterSeconds),
        },
        { provide: StatsRepository, inject: [Pool], useFactory: (pool: Pool) => new StatsRepository(pool) },
        { provide: RunVersionsReader, inject: [Pool], useFactory: (pool: Pool) => new RunVersionsReader(pool) },
        { provide: PublicationsRepository, inject: [Pool], useFactory: (pool: Pool) => new PublicationsRepository(pool) },
        { provide: EvaluationReadRepository, inject: [Pool], useFactory: (pool: Pool) => new EvaluationReadRepository(pool) },
        StatsService,
        PublishedListsCache,
        ApiMetrics,
        ...CONSOLE_PROVIDERS,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
