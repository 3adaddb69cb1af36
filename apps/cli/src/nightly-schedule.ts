import { Cron } from 'croner';
import { AppConfig } from '@adrec/config';
import { addDays, todayUtc } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import { poolFromConfig } from '@adrec/database';
import { createSqsClient, QueueDirectory, QueuePublisher } from '@adrec/messaging';
import { processHealth, startProcessObservability } from '@adrec/observability';
import { sqsAnswers } from '@adrec/runtime';
import { configuredRetention, RetentionReport } from './run-retention';
import { sendTriggers } from './triggers';

/**
 * The local stand-in for the EventBridge schedules: on each tick of the cron
 * expression (UTC) it triggers a run of yesterday's date, then, when given,
 * runs `collectOldRuns` (retention; `adrec gc` does the same by hand).
 */
export function armNightlySchedule(
  cron: string,
  windowDays: number,
  publisher: QueuePublisher,
  logger: JsonLogger,
  collectOldRuns?: () => Promise<RetentionReport>,
): Cron {
  const job = new Cron(cron, { timezone: 'UTC', protect: true }, async () => {
    const runDate = addDays(todayUtc(), -1);
    try {
      const [trigger] = await sendTriggers(publisher, [runDate], windowDays);
      logger.info('nightly run triggered', { runId: trigger.runId, runDate });
    } catch (error) {
      logger.error('nightly trigger failed', { runDate, err: serializeError(error) });
    }
    if (!collectOldRuns) return;
    try {
      const report = await collectOldRuns();
      logger.info('nightly retention done', { runsDeleted: report.runs.length, objectsDeleted: report.objectsDeleted });
    } catch (error) {
      logger.error('nightly retention failed', { err: serializeError(error) });
    }
  });
  logger.info('nightly schedule armed', { cron, next: job.nextRun()?.toISOString() });
  return job;
}

/**
 * `adrec schedule`: the schedule as a long-running process, seen like the
 * workers — its ops server (METRICS_PORT) is live while the cron is armed
 * and ready while SQS answers; SIGTERM stops it cleanly.
 */
export async function runScheduler(config: AppConfig): Promise<void> {
  const logger = new JsonLogger('scheduler');
  const observability = await startProcessObservability('scheduler', config.observability);
  const queues = new QueueDirectory(createSqsClient(config), config);
  // Retention runs after the nightly trigger when the scheduler can reach the database.
  const retention = config.database.url
    ? configuredRetention(config, poolFromConfig(config, { applicationName: 'adrec-scheduler', size: 2 }, logger), logger)
    : undefined;
  const job = armNightlySchedule(config.pipeline.nightlyCron, config.pipeline.windowDays, new QueuePublisher(queues), logger, retention);
  processHealth.addLivenessCheck('schedule', () =>
    job.isStopped() || job.nextRun() === null ? { ok: false, detail: 'the cron has no next run' } : { ok: true },
  );
  processHealth.addReadinessProbe('sqs', () => sqsAnswers(queues));
  processHealth.markStarted();
  const stop = (signal: string) => {
    processHealth.markDraining();
    job.stop();
    logger.info('stopped', { signal });
    void observability.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  logger.info('started', { pid: process.pid, opsPort: observability.opsPort, tracing: observability.tracing });
}
