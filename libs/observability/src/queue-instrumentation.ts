import { inspect } from 'node:util';
import type { Message } from '@aws-sdk/client-sqs';
import { Attributes, context, Context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { extractTraceContext } from './message-trace-context';
import { pipelineMetrics } from './pipeline-metrics';
import { processHealth } from './process-health';
import { tracer, tracingEnabled } from './tracing';

/** What the instrumentation needs of a received message: the SQS message, and where it puts the message's trace context. */
export interface InstrumentedMessage {
  body: object;
  message: Message;
  /** The context of this message's `process` span: pass it on to whatever the message causes (results, a publication). */
  traceContext?: Context;
}

/** Body fields worth a span attribute, when a message has them. */
const BODY_ATTRIBUTES: Record<string, string> = {
  runId: 'adrec.run_id',
  runDate: 'adrec.run_date',
  advertiserId: 'adrec.advertiser_id',
  model: 'adrec.model',
};

/**
 * Wraps a queue consumer's batch handler with what an operator needs to see
 * it: per message, a `process <queue>` span (a child of the context the
 * message was sent in), its queue time (from SQS's SentTimestamp), its
 * outcome and handling time; for the process, a batch in flight and a
 * completed poll for /health. The handler runs in the message's context when
 * the batch holds one message (ingest); with several, each message's
 * context is on `traceContext`, for the handler to pass on.
 * The handler's contract is unchanged: it returns the messages to delete,
 * and a throw leaves the whole batch for redelivery.
 */
export function instrumentHandler<M extends InstrumentedMessage>(
  queue: string,
  maxReceiveCount: number,
  handle: (messages: M[]) => Promise<M[]>,
): (messages: M[]) => Promise<M[]> {
  return async (messages) => {
    const startedAt = Date.now();
    let longestWait: number | undefined;
    const spans = messages.map((item) => {
      const sent = Number(item.message.Attributes?.SentTimestamp);
      if (Number.isFinite(sent) && sent > 0) {
        const waited = Math.max(0, startedAt - sent) / 1000;
        pipelineMetrics.queueTime.observe({ queue }, waited);
        longestWait = Math.max(longestWait ?? 0, waited);
      }
      const parent = extractTraceContext(item.message);
      const span = tracer().startSpan(
        `process ${queue}`,
        { kind: SpanKind.CONSUMER, attributes: tracingEnabled() ? messageAttributes(queue, item) : undefined, startTime: startedAt },
        parent,
      );
      item.traceContext = trace.setSpan(parent, span);
      return span;
    });
    processHealth.batchStarted(queue, startedAt, longestWait);
    let done: M[] | undefined;
    let failure: unknown;
    try {
      const run = () => handle(messages);
      done = await (messages.length === 1 ? context.with(messages[0].traceContext!, run) : run());
      return done;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      processHealth.batchFinished(queue, startedAt);
      const seconds = (Date.now() - startedAt) / 1000;
      const deleted = new Set(done?.map((item) => item.message));
      messages.forEach((item, index) => {
        const outcome = deleted.has(item.message) ? 'done' : lastReceive(item.message, maxReceiveCount) ? 'dead_lettered' : 'retried';
        pipelineMetrics.messagesHandled.inc({ queue, outcome });
        pipelineMetrics.handlingDuration.observe({ queue }, seconds);
        const span = spans[index];
        span.setAttribute('adrec.outcome', outcome);
        if (outcome !== 'done') {
          if (failure !== undefined) span.recordException(failure instanceof Error ? failure : inspect(failure));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: outcome === 'dead_lettered' ? 'failed on its last receive: goes to the DLQ' : 'left for redelivery',
          });
        }
        span.end();
      });
    }
  };
}

/** Counts a message whose body failed validation and was moved to the DLQ at once. */
export function recordInvalidMessage(queue: string): void {
  pipelineMetrics.messagesHandled.inc({ queue, outcome: 'invalid' });
}

/** Records a completed receive (with or without messages) for /health and adrec_consumer_last_poll_timestamp_seconds. */
export function recordPoll(queue: string): void {
  const now = Date.now();
  processHealth.polled(queue, now);
  pipelineMetrics.lastPoll.set({ queue }, now / 1000);
}

/** SQS moves a message to the DLQ instead of delivering it again once it has been received maxReceiveCount times. */
function lastReceive(message: Message, maxReceiveCount: number): boolean {
  return Number(message.Attributes?.ApproximateReceiveCount ?? 1) >= maxReceiveCount;
}

function messageAttributes(queue: string, item: InstrumentedMessage): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'aws_sqs',
    'messaging.operation.type': 'process',
    'messaging.destination.name': queue,
    'messaging.message.id': item.message.MessageId ?? '',
    'adrec.receive_count': Number(item.message.Attributes?.ApproximateReceiveCount ?? 1),
  };
  const body = item.body as Record<string, unknown>;
  for (const [field, name] of Object.entries(BODY_ATTRIBUTES)) {
    if (typeof body[field] === 'string') attributes[name] = body[field];
  }
  return attributes;
}
