import { newTrigger, PublishMode, TriggerMessage } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';

/** Sends one trigger per date, oldest first, like Airflow's catchup; `publish` is --stage/--force (default auto). */
export async function sendTriggers(
  publisher: QueuePublisher,
  dates: readonly string[],
  windowDays: number,
  publish: PublishMode = 'auto',
): Promise<TriggerMessage[]> {
  const triggers = dates.map((date) => newTrigger(date, windowDays, new Date(), publish));
  await publisher.publish('trigger', triggers);
  return triggers;
}
