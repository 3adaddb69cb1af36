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
import { HandledMessage, QueueConsumer, QueueDirectory, queueDepths, Received, redriveDeadLetters } from '@adrec/messaging';
import { queueIsEmpty } from './support/queue-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { handledBy, waitFor } from './support/wait-for';

/** Each test has queues of its own (`env.newQueues`): what one leaves in a DLQ is not counted by the next. */
describe('dead-letter queues against the SQS emulator', () => {
  let env: TestEnvironment;
  /** Stops the test's consumer, if it started one. */
  let stopConsumer: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterEach(async () => {
    await stopConsumer?.();
    stopConsumer = undefined;
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function send(queues: QueueDirectory, body: string, deadLetter = false) {
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: await queues.url('trigger', deadLetter), MessageBody: body }));
  }

  /** Starts `started` as the test's consumer and records every outcome it reports. */
  async function startRecorded<T extends object>(started: QueueConsumer<T>): Promise<HandledMessage[]> {
    const outcomes: HandledMessage[] = [];
    started.onHandled((handled) => outcomes.push(handled));
    stopConsumer = () => started.stop();
    await started.start();
    return outcomes;
  }

  const triggerDepth = async (queues: QueueDirectory) => (await queueDepths(queues)).find((q) => q.queue === 'trigger')!;

  it('moves an invalid message to the DLQ at once, without a retry, and still handles the valid ones', async () => {
    const queues = await env.newQueues();
    const handled: Received<TriggerMessage>[] = [];
    let calls = 0;
    const triggers = new QueueConsumer(queues, {
      queue: 'trigger',
      messageType: TriggerMessage,
      logger: new JsonLogger('test'),
      handle: (messages) => {
        calls++;
        handled.push(...messages);
        return Promise.resolve(messages);
      },
    });
    const outcomes = await startRecorded(triggers);
    await send(queues, '{"runId":"r1","runDate":"2022-02-30","windowDays":1}');
    await send(queues, 'not json');
    await send(queues, '{"runId":"r2","runDate":"2022-02-28","windowDays":1}');

    const depths = await waitFor(
      async () => {
        if (outcomes.length < 3) return undefined;
        const d = await triggerDepth(queues);
        return d.deadLettered === 2 && d.visible === 0 && d.inFlight === 0 ? d : undefined;
      },
      'one message handled and two in the trigger DLQ',
      { signals: [handledBy(triggers)] },
    );
    expect(depths.deadLettered).toBe(2);
    expect(handled.map((h) => h.body.runId)).toEqual(['r2']);
    expect(calls).toBe(1);
  });

  it('dead-letters an invalid message once, even when the rest of its batch throws and is redelivered', async () => {
    const queues = await env.newQueues();
    const logged: string[] = [];
    const logger = new JsonLogger('test');
    const warn = logger.warn.bind(logger);
    logger.warn = (message: unknown, ...rest: unknown[]) => {
      logged.push(String(message));
      warn(message, ...rest);
    };
    let failures = 2;
    const handled: string[] = [];
    await queues.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: await queues.url('trigger'),
        Entries: [
          { Id: 'bad', MessageBody: '{"runId":"r3"}' },
          { Id: 'good', MessageBody: '{"runId":"r4","runDate":"2022-03-01","windowDays":1}' },
        ],
      }),
    );
    const triggers = new QueueConsumer(queues, {
      queue: 'trigger',
      messageType: TriggerMessage,
      visibilityTimeoutSeconds: 2,
      logger,
      handle: (messages) => {
        if (failures-- > 0) return Promise.reject(new Error('the database is down'));
        handled.push(...messages.map((m) => m.body.runId));
        return Promise.resolve(messages);
      },
    });
    const outcomes = await startRecorded(triggers);
    const depth = await waitFor(
      async () => {
        if (!outcomes.some((o) => o.outcome === 'processed')) return undefined;
        const d = await triggerDepth(queues);
        return d.visible === 0 && d.inFlight === 0 ? d : undefined;
      },
      'the valid message to be handled after two failures, and the trigger queue to be empty',
      { signals: [handledBy(triggers)], timeoutMs: 30_000 },
    );
    expect(handled).toEqual(['r4']);
    expect(depth.deadLettered).toBe(1); // this test's invalid message, once
    expect(logged.filter((msg) => msg === 'invalid message moved to DLQ')).toHaveLength(1);
  });

  it('gives a message the handler leaves unacknowledged the same growing delay as a thrown batch', async () => {
    const queues = await env.newQueues();
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: await queues.url('jobs'), MessageBody: JSON.stringify(job) }));
    const receives: { at: number; count: number }[] = [];
    const jobs = new QueueConsumer(queues, {
      queue: 'jobs',
      messageType: ModelJobMessage,
      visibilityTimeoutSeconds: 2,
      logger: new JsonLogger('test'),
      // Not done the first three times (as when S3 fails), done the fourth.
      handle: (messages) => {
        receives.push({ at: Date.now(), count: Number(messages[0].message.Attributes?.ApproximateReceiveCount) });
        return Promise.resolve(receives.length < 4 ? [] : messages);
      },
    });
    const outcomes = await startRecorded(jobs);
    await waitFor(
      () => Promise.resolve(outcomes.some((o) => o.outcome === 'processed') ? true : undefined),
      'the fourth receive, processed',
      { signals: [handledBy(jobs)], timeoutMs: 30_000 },
    );
    expect(receives.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    // 2 s, 4 s, 8 s: the base doubled per receive (without backoff every gap would be the 2 s visibility timeout).
    const gaps = receives.slice(1).map((r, i) => (r.at - receives[i].at) / 1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(3.6);
    expect(gaps[2]).toBeGreaterThanOrEqual(7.2);
    expect((await queueDepths(queues)).find((q) => q.queue === 'jobs')).toMatchObject({ visible: 0, inFlight: 0, deadLettered: 0 });
  });

  it('redrives dead-lettered messages back to their queue', async () => {
    const queues = await env.newQueues();
    for (const runId of ['r5', 'r6', 'r7']) await send(queues, JSON.stringify({ runId, runDate: '2022-03-02', windowDays: 1 }), true);
    const result = await redriveDeadLetters(queues, 'trigger');
    expect(result).toEqual({ method: 'copy', moved: 3 });
    expect(await queueIsEmpty(queues, 'trigger', true)).toBe(true);
    const depth = (await queueDepths(queues)).find((q) => q.queue === 'trigger')!;
    expect(depth).toMatchObject({ visible: 3, deadLettered: 0 });
  });
});
