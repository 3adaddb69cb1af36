import { DynamicModule, FactoryProvider, Inject, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { JsonLogger } from '@adrec/logging';
import { DatabaseLogin, dedicatedConnection, poolFromConfig } from './database.pool';
import { EvaluationReadRepository } from './evaluation-read.repository';
import { EvaluationRepository } from './evaluation.repository';
import { PublicationsRepository } from './publication';
import { RetentionRepository } from './retention.repository';
import { RunInputsRepository } from './run-inputs.repository';
import { RunsRepository } from './runs.repository';
import { DatabaseRepositories, databaseRepositories } from './database.repositories';

/** All repositories, built once; each is also provided under its class. */
const REPOSITORIES = Symbol('DATABASE_REPOSITORIES');

/**
 * The pool of DATABASE_URL, for the few writes of a process whose `Pool`
 * reads with the read-only login (the console's publish, rollback and
 * unpin). It is `Pool` itself when there is one login only: an API whose
 * only login is read-only then gets PostgreSQL's refusal, not a crash.
 */
export const WRITE_POOL = Symbol('WRITE_POOL');

/** node-postgres `ClientConfig` of a dedicated connection (LISTEN) with the login and TLS of `Pool`. */
export const LISTENER_CONNECTION = Symbol('LISTENER_CONNECTION');

export interface DatabaseModuleOptions {
  /** `application_name` of the connections (default `adrec`); the write pool adds `-operator`, the listener `-listener`. */
  applicationName?: string;
  /** The login of `Pool` and of the listener (default `write`: DATABASE_URL); the API reads with `read`. */
  login?: DatabaseLogin;
}

/** Whether DATABASE_READONLY_URL and DATABASE_URL are two different logins. */
function separateWriteLogin(config: AppConfig): boolean {
  const { url, readOnlyUrl } = config.database;
  return readOnlyUrl !== undefined && url !== undefined && url !== readOnlyUrl;
}

/**
 * Every process's PostgreSQL connections and the repositories of
 * libs/database, built from the configuration here and nowhere else: the
 * API, ingest and the writer import it in their root module. It provides
 * `Pool`, WRITE_POOL, LISTENER_CONNECTION and the repositories, and ends
 * the pools at shutdown.
 */
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(Pool) private readonly pool: Pool,
    @Inject(WRITE_POOL) private readonly writePool: Pool,
  ) {}

  static forRoot(options: DatabaseModuleOptions = {}): DynamicModule {
    const applicationName = options.applicationName ?? 'adrec';
    const login = options.login ?? 'write';
    const logger = new JsonLogger('database');
    const byClass: [Type<unknown>, keyof DatabaseRepositories][] = [
      [RunsRepository, 'runs'],
      [RetentionRepository, 'retention'],
      [PublicationsRepository, 'publications'],
      [RunInputsRepository, 'runInputs'],
      [EvaluationRepository, 'evaluation'],
      [EvaluationReadRepository, 'evaluationRead'],
    ];
    const repositories: FactoryProvider[] = [
      {
        provide: REPOSITORIES,
        inject: [Pool, APP_CONFIG],
        useFactory: (pool: Pool, config: AppConfig) => databaseRepositories(pool, config),
      },
      ...byClass.map(([provide, name]) => ({
        provide,
        inject: [REPOSITORIES],
        useFactory: (all: DatabaseRepositories) => all[name],
      })),
    ];
    const providers: FactoryProvider[] = [
      {
        provide: Pool,
        inject: [APP_CONFIG],
        useFactory: (config: AppConfig) => poolFromConfig(config, { applicationName, login }, logger),
      },
      {
        provide: WRITE_POOL,
        inject: [APP_CONFIG, Pool],
        useFactory: (config: AppConfig, pool: Pool) =>
          login === 'read' && separateWriteLogin(config)
            ? poolFromConfig(config, { applicationName: `${applicationName}-operator`, login: 'write', size: 2 }, logger)
            : pool,
      },
      {
        provide: LISTENER_CONNECTION,
        inject: [APP_CONFIG],
        useFactory: (config: AppConfig) => dedicatedConnection(config, { applicationName: `${applicationName}-listener`, login }),
      },
      ...repositories,
    ];
    return {
      module: DatabaseModule,
      global: true,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.writePool !== this.pool) await this.writePool.end();
    await this.pool.end();
  }
}
