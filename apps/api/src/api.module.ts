import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, ConfigModule, requireDatabaseUrl } from '@adrec/config';
import { createPool } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { PublishedListsCache } from './published-lists.cache';
import { PublishedListsRepository } from './published-lists.repository';
import { HealthController } from './health.controller';
import { RecommendationsController } from './recommendations.controller';

/** The API reads with the read-only role when DATABASE_READONLY_URL is set, and touches no queue. */
@Module({})
export class ApiModule implements OnApplicationShutdown {
  constructor(@Inject(Pool) private readonly pool: Pool) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config)],
      controllers: [RecommendationsController, HealthController],
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
                applicationName: 'adrec-api',
              },
              new JsonLogger('api'),
            ),
        },
        { provide: PublishedListsRepository, inject: [Pool], useFactory: (pool: Pool) => new PublishedListsRepository(pool) },
        PublishedListsCache,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
