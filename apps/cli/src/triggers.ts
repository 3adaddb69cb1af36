import { newTrigger, TriggerMessage } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';

/** Sends one trigger per date, oldest first, like Airflow's catchup. */
export async function sendTriggers(publisher: QueuePublisher, dates: readonly string[], windowDays: number): Promise<TriggerMessage[]> {
  const triggers = dates.map((date) => newTrigger(date, windowDays));
  await publisher.publish('trigger', triggers);
  return triggers;
}
