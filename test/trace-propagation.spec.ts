import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { newTrigger, TriggerMessage } from '@adrec/contracts';
import { MAX_RECEIVE_COUNT, QueueConsumer, QueuePublisher, redriveDeadLetters } from '@adrec/messaging';
import { pipelineMetrics, startTracing, stopTracing, tracer } from '@adrec/observability';
import { OtlpCollector } from './support/otlp-collector';
import { startRecordingConsumer } from './support/queue-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { handledBy, waitFor } from './support/wait-for';

/**
 * A run's trace context travels in SQS message attributes; these tests follow
 * one message through what SQS and adrec do to it: the DLQ after its last
 * receive, `adrec dlq redrive`, and the consumer that finally handles it.
 */
describe('trace context across SQS, the DLQ and redrive', () => {
  let env: TestEnvironment;
  let collector: OtlpCollector;
  let consumer: QueueConsumer<TriggerMessage> | undefined;

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    env = await startTestEnvironment();
    startTracing('test', { tracesEndpoint: `${collector.endpoint}/v1/traces` });
  });
  afterAll(async () => {
    await consumer?.stop();
    await stopTracing();
    await env?.stop();
    await collector?.close();
  });

  const receive = async (deadLetter: boolean) =>
    (
      await env.queues.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: await env.queues.url('trigger', deadLetter),
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          VisibilityTimeout: 0,
          WaitTimeSeconds: 1,
        }),
      )
    ).Messages?.[0];

  /** Long-polls until a message arrives (each receive waits up to 1 s on the emulator for one). */
  async function receiveNext(deadLetter: boolean, what: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const message = await receive(deadLetter);
      if (message) return message;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  }

  it('keeps a message in its trace through the DLQ, a redrive and the consumer that handles it', async () => {
    const trigger = newTrigger('2022-04-14', 1);
    const span = tracer().startSpan('trigger run', { kind: SpanKind.PRODUCER, root: true });
    const { traceId, spanId } = span.spanContext();
    await context.with(trace.setSpan(context.active(), span), () => new QueuePublisher(env.queues).publish('trigger', [trigger]));
    span.end();

    // Fail it as a crashing worker would: received and never deleted, until SQS dead-letters it.
    for (let receives = 1; receives <= MAX_RECEIVE_COUNT; receives++) {
      const message = await receiveNext(false, `receive ${receives}`);
      expect(message.MessageAttributes?.traceparent?.StringValue).toBe(`00-${traceId}-${spanId}-01`);
    }
    // The receive after the last allowed one finds the message gone: SQS moved it to the DLQ.
    expect(await receive(false)).toBeUndefined();
    const dead = await receiveNext(true, 'the message in the DLQ');
    expect(dead.MessageAttributes?.traceparent?.StringValue).toBe(`00-${traceId}-${spanId}-01`);

    expect(await redriveDeadLetters(env.queues, 'trigger')).toEqual({ method: 'copy', moved: 1 });

    const recording = await startRecordingConsumer(env.queues, 'trigger', TriggerMessage);
    consumer = recording.consumer;
    const handled = recording.handled;
    await waitFor(() => Promise.resolve(handled.length > 0 ? true : undefined), 'the redriven trigger to be handled', {
      signals: [handledBy(recording.consumer)],
    });
    expect(handled[0].body.runId).toBe(trigger.runId);
    expect(trace.getSpanContext(handled[0].traceContext!)?.traceId).toBe(traceId);

    const processed = await waitFor(
      () => Promise.resolve(collector.spans.find((s) => s.name === 'process trigger' && s.attributes['adrec.run_id'] === trigger.runId)),
      'the process span to be exported',
      { signals: [collector.signal] },
    );
    expect(processed).toMatchObject({ service: 'adrec-test', traceId, parentSpanId: spanId, attributes: { 'adrec.outcome': 'done' } });
    const done = await pipelineMetrics.messagesHandled.get();
    expect(done.values.find((v) => v.labels.queue === 'trigger' && v.labels.outcome === 'done')?.value).toBe(1);
  });
});
