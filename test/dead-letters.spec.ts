import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ModelJobMessage, TriggerMessage } from '@adrec/contracts';

const job: ModelJobMessage = {
  runId: 'r-job',
  runDate: '2022-03-01',
  advertiserId: 'ADV1',
  model: 'top_ctr',
  partitionKey: 'runs/2022-03-01/r-job/partitions-1.csv',
  partitionOffset: 0,
  partitionLength: 10,
};
import { JsonLogger } from '@adrec/logging';
import { QueueConsumer, queueDepths, Received, redriveDeadLetters } from '@adrec/messaging';
import { queueIsEmpty } from './support/queue-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

describe('dead-letter queues against the SQS emulator', () => {
  let env: TestEnvironment;
  let consumer: QueueConsumer<TriggerMessage> | undefined;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(async () => {
    await consumer?.stop();
    await env?.stop();
  });

  async function send(body: string) {
    await env.queues.sqs.send(new SendMessageCommand({ QueueUrl: await env.queues.url('trigger'), MessageBody: body }));
  }

  it('moves an invalid message to the DLQ at once, without a retry, and still handles the valid ones', async () => {
    const handled: Received<TriggerMessage>[] = [];
    let calls = 0;
    consumer = new QueueConsumer(env.queues, {
      queue: 'trigger',
      messageType: TriggerMessage,
      logger: new JsonLogger('test'),
      handle: async (messages) => {
        calls++;
        handled.push(...messages);
        return messages;
      },
    });
    await consumer.start();
    await send('{"runId":"r1","runDate":"2022-02-30","windowDays":1}');
    await send('not json');
    await send('{"runId":"r2","runDate":"2022-02-28","windowDays":1}');

    await waitFor(async () => (handled.length === 1 ? true : undefined), 'the valid message to be handled');
    const depths = await waitFor(async () => {
      const d = (await queueDepths(env.queues)).find((q) => q.queue === 'trigger')!;
      return d.deadLettered === 2 && d.visible === 0 && d.inFlight === 0 ? d : undefined;
    }, 'two messages in the trigger DLQ');
    expect(depths.deadLettered).toBe(2);
    expect(handled.map((h) => h.body.runId)).toEqual(['r2']);
    expect(calls).toBe(1);
    await consumer.stop();
    consumer = undefined;
  });

  it('dead-letters an invalid message once, even when the rest of its batch throws and is redelivered', async () => {
    const logged: string[] = [];
    const logger = new JsonLogger('test');
    const warn = logger.warn.bind(logger);
    logger.warn = (message: unknown, ...rest: unknown[]) => {
      logged.push(String(message));
      warn(message, ...rest);
    };
    let failures = 2;
    const handled: string[] = [];
    await env.queues.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: await env.queues.url('trigger'),
        Entries: [
          { Id: 'bad', MessageBody: '{"runId":"r3"}' },
          { Id: 'good', MessageBody: '{"runId":"r4","runDate":"2022-03-01","windowDays":1}' },
        ],
      }),
    );
    consumer = new QueueConsumer(env.queues, {
      queue: 'trigger',
      messageType: TriggerMessage,
      visibilityTimeoutSeconds: 2,
      logger,
      handle: async (messages) => {
        if (failures-- > 0) throw new Error('the database is down');
        handled.push(...messages.map((m) => m.body.runId));
        return messages;
      },
    });
    await consumer.start();
    await waitFor(async () => (handled.length === 1 ? true : undefined), 'the valid message to be handled after two failures', 30_000);
    const depth = await waitFor(async () => {
      const d = (await queueDepths(env.queues)).find((q) => q.queue === 'trigger')!;
      return d.visible === 0 && d.inFlight === 0 ? d : undefined;
    }, 'the trigger queue to be empty');
    expect(handled).toEqual(['r4']);
    expect(depth.deadLettered).toBe(3); // the two of the first case, and this one once
    expect(logged.filter((msg) => msg === 'invalid message moved to DLQ')).toHaveLength(1);
    await consumer.stop();
    consumer = undefined;
  });

  it('gives a message the handler leaves unacknowledged the same growing delay as a thrown batch', async () => {
    await env.queues.sqs.send(new SendMessageCommand({ QueueUrl: await env.queues.url('jobs'), MessageBody: JSON.stringify(job) }));
    const receives: { at: number; count: number }[] = [];
    const jobs = new QueueConsumer(env.queues, {
      queue: 'jobs',
      messageType: ModelJobMessage,
      visibilityTimeoutSeconds: 2,
      logger: new JsonLogger('test'),
      // Not done the first three times (as when S3 fails), done the fourth.
      handle: async (messages) => {
        receives.push({ at: Date.now(), count: Number(messages[0].message.Attributes?.ApproximateReceiveCount) });
        return receives.length < 4 ? [] : messages;
      },
    });
    await jobs.start();
    try {
      await waitFor(async () => (receives.length === 4 ? true : undefined), 'the fourth receive', 30_000);
    } finally {
      await jobs.stop();
    }
    expect(receives.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    // 2 s, 4 s, 8 s: the base doubled per receive (without backoff every gap would be the 2 s visibility timeout).
    const gaps = receives.slice(1).map((r, i) => (r.at - receives[i].at) / 1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(3.6);
    expect(gaps[2]).toBeGreaterThanOrEqual(7.2);
    expect((await queueDepths(env.queues)).find((q) => q.queue === 'jobs')).toMatchObject({ visible: 0, inFlight: 0, deadLettered: 0 });
  });

  it('redrives dead-lettered messages back to their queue', async () => {
    const result = await redriveDeadLetters(env.queues, 'trigger');
    expect(result).toEqual({ method: 'copy', moved: 3 });
    expect(await queueIsEmpty(env.queues, 'trigger', true)).toBe(true);
    const depth = (await queueDepths(env.queues)).find((q) => q.queue === 'trigger')!;
    expect(depth).toMatchObject({ visible: 3, deadLettered: 0 });
  });
});
