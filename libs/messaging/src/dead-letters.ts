import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { forwardedTraceAttributes, TRACE_ATTRIBUTE_NAMES } from '@adrec/observability';
import { QueueDirectory, QueueName, QUEUES } from './queues';

export interface QueueDepth {
  queue: QueueName;
  /** Messages waiting, and in flight (received, not yet deleted). */
  visible: number;
  inFlight: number;
  deadLettered: number;
}

/** Depth of every queue and of its DLQ (approximate, as SQS reports it). */
export async function queueDepths(queues: QueueDirectory): Promise<QueueDepth[]> {
  const depths: QueueDepth[] = [];
  for (const queue of QUEUES) {
    const [main, dlq] = await Promise.all([attributes(queues, queue, false), attributes(queues, queue, true)]);
    depths.push({
      queue,
      visible: Number(main.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(main.ApproximateNumberOfMessagesNotVisible ?? 0),
      deadLettered: Number(dlq.ApproximateNumberOfMessages ?? 0) + Number(dlq.ApproximateNumberOfMessagesNotVisible ?? 0),
    });
  }
  return depths;
}

async function attributes(queues: QueueDirectory, queue: QueueName, deadLetter: boolean) {
  const response = await queues.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: await queues.url(queue, deadLetter),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'QueueArn'],
    }),
  );
  return response.Attributes ?? {};
}

/**
 * Moves a queue's dead-lettered messages back to it. On AWS this is one
 * StartMessageMoveTask; emulators without that action (fauxqs) get the same
 * effect by receiving from the DLQ, sending to the queue and deleting, ten
 * at a time. Returns how the move was done and how many messages moved when
 * known (a move task runs asynchronously on AWS).
 */
export async function redriveDeadLetters(
  queues: QueueDirectory,
  queue: QueueName,
): Promise<{ method: 'move-task'; taskHandle: string } | { method: 'copy'; moved: number }> {
  const [source, destination] = await Promise.all([attributes(queues, queue, true), attributes(queues, queue, false)]);
  try {
    const task = await queues.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: source.QueueArn, DestinationArn: destination.QueueArn }),
    );
    return { method: 'move-task', taskHandle: task.TaskHandle ?? '' };
  } catch (error) {
    if (!isUnsupportedAction(error)) throw error;
  }
  const dlqUrl = await queues.url(queue, true);
  const mainUrl = await queues.url(queue);
  let moved = 0;
  for (;;) {
    const batch = await queues.sqs.send(
      // With their attributes: the trace context goes back with the message.
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: [...TRACE_ATTRIBUTE_NAMES],
      }),
    );
    const messages = batch.Messages ?? [];
    if (messages.length === 0) return { method: 'copy', moved };
    // Send first, delete second: a crash in between duplicates a message,
    // which the pipeline tolerates, rather than losing it.
    const sent = await queues.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: mainUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '', MessageAttributes: forwardedTraceAttributes(m) })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const done = messages.filter((_, i) => ok.has(String(i)));
    if (done.length > 0) {
      await queues.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    moved += done.length;
    if (done.length < messages.length) throw new Error(`${messages.length - done.length} message(s) could not be sent back to ${queue}`);
  }
}

/** The emulator answers an action it does not implement with SQS's own `InvalidAction` error. */
function isUnsupportedAction(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'InvalidAction' || name === 'UnsupportedOperation';
}

/** Peeks at up to `max` dead-lettered bodies of a queue without consuming them (they become visible again at once). */
export async function peekDeadLetters(queues: QueueDirectory, queue: QueueName, max = 10): Promise<{ body: string; error?: string }[]> {
  const response = await queues.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: await queues.url(queue, true),
      MaxNumberOfMessages: Math.min(10, max),
      WaitTimeSeconds: 0,
      VisibilityTimeout: 0,
      MessageAttributeNames: ['All'],
    }),
  );
  return (response.Messages ?? []).map((m) => ({ body: m.Body ?? '', error: m.MessageAttributes?.['adrec-error']?.StringValue }));
}
