import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig, requireDatabaseUrl } from '@adrec/config';
import { createPool, migrate } from '@adrec/database';
import { JsonLogger, serializeError, setLogLevel } from '@adrec/logging';

/** Applies pending migrations with a short-lived pool (idempotent, advisory-locked). */
export async function migrateDatabase(config: AppConfig, logger: JsonLogger): Promise<void> {
  const pool = createPool(
    { url: requireDatabaseUrl(config), size: 1, ssl: config.database.ssl, sslCaFile: config.database.sslCaFile, applicationName: 'adrec-migrate' },
    logger,
  );
  try {
    await migrate(pool, logger);
  } finally {
    await pool.end();
  }
}

/**
 * Entry point shared by the queue workers (ingest, models, writer): load and
 * validate the environment, apply migrations when asked, start the Nest
 * context (which starts the consumers), and drain on SIGTERM/SIGINT:
 * consumers stop polling and finish their in-flight batch before exit.
 */
export function runWorker(
  service: string,
  rootModule: (config: AppConfig) => DynamicModule,
  options: { migrate?: boolean } = {},
): void {
  const logger = new JsonLogger(service);
  (async () => {
    const config = loadConfig();
    setLogLevel(config.logLevel);
    if (options.migrate) await migrateDatabase(config, logger);
    const app = await NestFactory.createApplicationContext(rootModule(config), { logger });
    let draining = false;
    const drain = (signal: string) => {
      if (draining) return;
      draining = true;
      logger.info('draining', { signal });
      // close() runs the consumers' shutdown hooks: stop polling, finish the
      // in-flight batch (deleting only what committed), then end the pools.
      app.close().then(
        () => {
          logger.info('stopped', { signal });
          process.exit(0);
        },
        (error) => {
          logger.error('shutdown failed', { err: serializeError(error) });
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => drain('SIGTERM'));
    process.on('SIGINT', () => drain('SIGINT'));
    logger.info('started', { pid: process.pid });
  })().catch((error) => {
    logger.error('failed to start', { err: serializeError(error) });
    process.exit(1);
  });
}
