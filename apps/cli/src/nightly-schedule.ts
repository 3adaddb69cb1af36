import { Cron } from 'croner';
import { addDays, todayUtc } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import { QueuePublisher } from '@adrec/messaging';
import { RetentionReport } from './run-retention';
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
