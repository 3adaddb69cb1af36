import { randomUUID } from 'node:crypto';
import { TriggerMessage } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';

/** A trigger with a fresh run id: `<date>-<8 hex>` reads well in `adrec runs` and S3 keys. */
export function newTrigger(runDate: string, windowDays: number): TriggerMessage {
  return {
    runId: `${runDate}-${randomUUID().slice(0, 8)}`,
    runDate,
    windowDays,
    triggeredAt: new Date().toISOString(),
  };
}

/** Sends one trigger per date, oldest first, like Airflow's catchup. */
export async function sendTriggers(publisher: QueuePublisher, dates: readonly string[], windowDays: number): Promise<TriggerMessage[]> {
  const triggers = dates.map((date) => newTrigger(date, windowDays));
  await publisher.publish('trigger', triggers);
  return triggers;
}
