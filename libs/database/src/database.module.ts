import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, requireDatabaseUrl } from '@adrec/config';
import { JsonLogger } from '@adrec/logging';
import { createPool } from './database.pool';
import { RunsRepository } from './runs.repository';

@Global()
@Module({
  providers: [
    {
      provide: Pool,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createPool(
          {
            url: requireDatabaseUrl(config),
            size: config.database.poolSize,
            ssl: config.database.ssl,
            sslCaFile: config.database.sslCaFile,
            applicationName: 'adrec',
          },
          new JsonLogger('database'),
        ),
    },
    {
      provide: RunsRepository,
      inject: [Pool, APP_CONFIG],
      useFactory: (pool: Pool, config: AppConfig) => new RunsRepository(pool, config.runs.stuckAfterSeconds),
    },
  ],
  exports: [Pool, RunsRepository],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Pool) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
