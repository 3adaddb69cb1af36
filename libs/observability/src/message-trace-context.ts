import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { Context, context, propagation, ROOT_CONTEXT, TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/**
 * The W3C Trace Context fields as SQS message attributes. SQS keeps message
 * attributes when it moves a message to its DLQ and when a move task
 * (`adrec dlq redrive` on AWS) moves it back; the emulator's copy-back
 * redrive copies them too, so a redriven job stays in its run's trace.
 */
export const TRACE_ATTRIBUTE_NAMES = ['traceparent', 'tracestate'] as const;

type Attributes = Record<string, MessageAttributeValue>;

const setter: TextMapSetter<Attributes> = {
  set: (carrier, key, value) => {
    carrier[key] = { DataType: 'String', StringValue: value };
  },
};

const getter: TextMapGetter<Attributes | undefined> = {
  keys: (carrier) => Object.keys(carrier ?? {}),
  get: (carrier, key) => carrier?.[key]?.StringValue,
};

/**
 * The message attributes that carry `traceContext` (default: the active
 * context) to the message's consumer; undefined when tracing is off or no
 * span is active (SQS wants no attribute map rather than an empty one).
 */
export function traceAttributes(traceContext: Context = context.active()): Attributes | undefined {
  const attributes: Attributes = {};
  propagation.inject(traceContext, attributes, setter);
  return nonEmpty(attributes);
}

/** The context a received message was sent in (ROOT_CONTEXT when it carries none: a new trace starts). */
export function extractTraceContext(message: Pick<Message, 'MessageAttributes'>): Context {
  return propagation.extract(ROOT_CONTEXT, message.MessageAttributes, getter);
}

/** The trace attributes of a received message, to forward unchanged (to a DLQ, back from one). */
export function forwardedTraceAttributes(message: Pick<Message, 'MessageAttributes'>): Attributes | undefined {
  const forwarded: Attributes = {};
  for (const name of TRACE_ATTRIBUTE_NAMES) {
    const value = message.MessageAttributes?.[name];
    if (value?.StringValue) forwarded[name] = { DataType: 'String', StringValue: value.StringValue };
  }
  return nonEmpty(forwarded);
}

function nonEmpty(attributes: Attributes): Attributes | undefined {
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}
