import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { AppConfig, loadConfig } from '@adrec/config';
import { migrate, poolFromConfig } from '@adrec/database';
import { addLogSecrets, JsonLogger, serializeError, setLogLevel } from '@adrec/logging';
import { QueueDirectory, QUEUES } from '@adrec/messaging';
import { ProcessHealth, processHealth, startProcessObservability } from '@adrec/observability';

/** Applies pending migrations with a short-lived pool (idempotent, advisory-locked). */
export async function migrateDatabase(config: AppConfig, logger: JsonLogger): Promise<void> {
  const pool = poolFromConfig(config, { applicationName: 'adrec-migrate', size: 1 }, logger);
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
 * Its ops server (METRICS_PORT) answers /metrics, /health and /ready from
 * the start; /ready turns true once the consumers run and SQS and
 * PostgreSQL answer, and false again from the first signal on.
 */
export function runWorker(service: string, rootModule: (config: AppConfig) => DynamicModule, options: { migrate?: boolean } = {}): void {
  const logger = new JsonLogger(service);
  (async () => {
    const config = loadConfig();
    setLogLevel(config.logLevel);
    addLogSecrets([config.console.token]);
    const observability = await startProcessObservability(service, config.observability);
    if (options.migrate) await migrateDatabase(config, logger);
    const app = await NestFactory.createApplicationContext(rootModule(config), { logger });
    addDependencyProbes(app, processHealth);
    processHealth.markStarted();
    let draining = false;
    const drain = (signal: string) => {
      if (draining) return;
      draining = true;
      processHealth.markDraining();
      logger.info('draining', { signal });
      // close() runs the consumers' shutdown hooks: stop polling, finish the
      // in-flight batch (deleting only what committed), then end the pools.
      app.close().then(
        async () => {
          logger.info('stopped', { signal });
          await observability.stop().catch((error) => logger.warn('last spans not exported', { err: serializeError(error) }));
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
    logger.info('started', { pid: process.pid, opsPort: observability.opsPort, tracing: observability.tracing });
  })().catch((error) => {
    logger.error('failed to start', { err: serializeError(error) });
    process.exit(1);
  });
}

/** Readiness probes of what the worker's module provides: SQS always, PostgreSQL when the worker uses it (not models). */
function addDependencyProbes(app: INestApplicationContext, health: ProcessHealth): void {
  const queues = app.get(QueueDirectory, { strict: false });
  health.addReadinessProbe('sqs', () => sqsAnswers(queues));
  const pool = optionalProvider(app, Pool);
  if (pool) health.addReadinessProbe('postgres', async () => void (await pool.query('SELECT 1')));
}

/** One cheap call that needs the queue to exist and the credentials to work. */
export async function sqsAnswers(queues: QueueDirectory): Promise<void> {
  await queues.sqs.send(new GetQueueAttributesCommand({ QueueUrl: await queues.url(QUEUES[0]), AttributeNames: ['QueueArn'] }));
}

function optionalProvider<T>(app: INestApplicationContext, token: new (...args: never[]) => T): T | undefined {
  try {
    return app.get(token, { strict: false });
  } catch {
    return undefined;
  }
}
