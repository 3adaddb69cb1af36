import { Cron } from 'croner';
import { addDays, todayUtc } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import { QueuePublisher } from '@adrec/messaging';
import { sendTriggers } from './triggers';

/**
 * The local stand-in for the EventBridge schedule: on each tick of the cron
 * expression (UTC) it triggers a run of yesterday's date.
 */
export function armNightlySchedule(cron: string, windowDays: number, publisher: QueuePublisher, logger: JsonLogger): Cron {
  const job = new Cron(cron, { timezone: 'UTC', protect: true }, async () => {
    const runDate = addDays(todayUtc(), -1);
    try {
      const [trigger] = await sendTriggers(publisher, [runDate], windowDays);
      logger.info('nightly run triggered', { runId: trigger.runId, runDate });
    } catch (error) {
      logger.error('nightly trigger failed', { runDate, err: serializeError(error) });
    }
  });
  logger.info('nightly schedule armed', { cron, next: job.nextRun()?.toISOString() });
  return job;
}
