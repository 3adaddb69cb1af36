import { context, SpanKind, trace } from '@opentelemetry/api';
import { newTrigger, PublishMode, TriggerMessage } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';
import { tracer } from '@adrec/observability';

/**
 * Sends one trigger per date, oldest first, like Airflow's catchup; `publish`
 * is --stage/--force (default auto). Each trigger starts its run's trace
 * (when tracing is on): a `trigger run` span whose context the trigger
 * message carries to ingest.
 */
export async function sendTriggers(
  publisher: QueuePublisher,
  dates: readonly string[],
  windowDays: number,
  publish: PublishMode = 'auto',
): Promise<TriggerMessage[]> {
  const triggers = dates.map((date) => newTrigger(date, windowDays, new Date(), publish));
  const spans = triggers.map((t) =>
    tracer().startSpan('trigger run', {
      kind: SpanKind.PRODUCER,
      root: true,
      attributes: { 'adrec.run_id': t.runId, 'adrec.run_date': t.runDate, 'adrec.window_days': t.windowDays },
    }),
  );
  try {
    await publisher.publish(
      'trigger',
      triggers,
      spans.map((span) => trace.setSpan(context.active(), span)),
    );
  } finally {
    for (const span of spans) span.end();
  }
  return triggers;
}
