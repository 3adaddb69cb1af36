import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Context } from '@opentelemetry/api';
import { AdrecError } from '@adrec/contracts';
import { traceAttributes } from '@adrec/observability';
import { QueueDirectory, QueueName } from './queues';

/** SQS accepts at most 10 entries per batch call. */
const SQS_BATCH_LIMIT = 10;
const MAX_SEND_ATTEMPTS = 5;

/**
 * Sends JSON messages, ten per SendMessageBatch call, retrying entries SQS
 * refused. Each message carries the trace context it is sent in (W3C
 * `traceparent` as message attributes, when tracing is on): by default the
 * active one; `traceContexts[i]`, when given, for `messages[i]`.
 */
export class QueuePublisher {
  constructor(private readonly queues: QueueDirectory) {}

  async publish(queue: QueueName, messages: readonly object[], traceContexts?: readonly (Context | undefined)[]): Promise<void> {
    if (messages.length === 0) return;
    const sharedAttributes = traceAttributes();
    const queueUrl = await this.queues.url(queue);
    for (let offset = 0; offset < messages.length; offset += SQS_BATCH_LIMIT) {
      let entries = messages.slice(offset, offset + SQS_BATCH_LIMIT).map((message, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(message),
        MessageAttributes: traceContexts?.[offset + index] ? traceAttributes(traceContexts[offset + index]) : sharedAttributes,
      }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const response = await this.queues.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failed = new Set((response.Failed ?? []).map((entry) => entry.Id));
        if (failed.size === 0) break;
        if (attempt === MAX_SEND_ATTEMPTS) {
          throw new AdrecError('QUEUE.SEND_FAILED', `${failed.size} message(s) to ${queue} were refused ${attempt} times`, {
            details: { failed: response.Failed },
          });
        }
        entries = entries.filter((entry) => failed.has(entry.Id));
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}
