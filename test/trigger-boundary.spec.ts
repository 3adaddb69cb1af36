import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { TriggerMessage } from '@adrec/contracts';
import { peekDeadLetters, QueueConsumer, queueDepths } from '@adrec/messaging';
import { startRecordingConsumer } from './support/queue-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { handledBy, waitFor } from './support/wait-for';
import { stringContaining } from './support/matchers';

/**
 * Triggers at the edges of time, checked where they enter: a triggeredAt
 * that is not a timestamp or a run date PostgreSQL cannot store used to be
 * retried five times by ingest and then dead-lettered with no reason; now
 * the trigger consumer dead-letters them at once, naming the field.
 */
describe('trigger validation at the boundary', () => {
  let env: TestEnvironment;
  let consumer: QueueConsumer<TriggerMessage> | undefined;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(async () => {
    await consumer?.stop();
    await env?.stop();
  });

  it('dead-letters a trigger with a non-timestamp triggeredAt or year 0 at once, with the reason, and handles a future one', async () => {
    const recording = await startRecordingConsumer(env.queues, 'trigger', TriggerMessage);
    consumer = recording.consumer;
    const handled = recording.handled;
    const send = async (body: object) =>
      env.queues.sqs.send(new SendMessageCommand({ QueueUrl: await env.queues.url('trigger'), MessageBody: JSON.stringify(body) }));
    await send({ runId: 'bad-time', runDate: '2022-04-14', windowDays: 1, triggeredAt: 'yesterday' });
    await send({ runId: 'year-zero', runDate: '0000-01-01', windowDays: 1, triggeredAt: '2022-04-15T02:00:00.000Z' });
    await send({ runId: 'future', runDate: '2022-04-14', windowDays: 1, triggeredAt: '2999-01-01T00:00:00.000Z' });

    await waitFor(
      async () => {
        const depth = (await queueDepths(env.queues)).find((q) => q.queue === 'trigger')!;
        return depth.deadLettered === 2 && depth.visible === 0 && depth.inFlight === 0 && handled.length === 1 ? true : undefined;
      },
      'two triggers dead-lettered and one handled',
      { signals: [handledBy(recording.consumer)] },
    );
    expect(handled.map((h) => h.body.runId)).toEqual(['future']);
    const reasons = (await peekDeadLetters(env.queues, 'trigger')).map((m) => m.error ?? '').sort();
    expect(reasons).toEqual([
      stringContaining('runDate must be a calendar date'),
      stringContaining('triggeredAt must be an ISO 8601 timestamp'),
    ]);
  });
});
