import { LoggerService } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import { redactSecrets } from './redaction';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields attached to one log line; values must be JSON-serialisable. */
export type LogFields = Record<string, unknown>;

let minimumLevel: LogLevel = 'info';

/** Sets the lowest level that is written (default `info`); called once by each entry point. */
export function setLogLevel(level: LogLevel): void {
  minimumLevel = level;
}

/**
 * The process's one pino instance, writing synchronously to stdout (a line is
 * out before `process.exit`, as with the hand-written logger it replaces).
 * Levels are filtered by JsonLogger itself, so setLogLevel reaches loggers
 * created before it was called.
 */
function createRoot(destination: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: 'debug',
      base: undefined,
      messageKey: 'msg',
      // Errors arrive already serialised (serializeError): keep them as they are.
      serializers: { err: (err: unknown) => err },
      // `"time":"2026-12-02T20:30:42.123Z"` and `"level":"info"`: the shape CloudWatch filters and jq scripts read.
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redactSecrets(fields) as Record<string, unknown>,
      },
      // The active span's ids in every line written inside it: a log line leads to its trace and back.
      mixin: () => {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const spanContext = span.spanContext();
        return isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
      },
    },
    destination,
  );
}

let root = createRoot(pino.destination({ fd: 1, sync: true }));

/** Sends the lines of loggers created from now on to `destination` instead of stdout (for tests). */
export function setLogDestination(destination: pino.DestinationStream): void {
  root = createRoot(destination);
}

/**
 * One JSON object per line on stdout, so CloudWatch, `docker logs` and jq all
 * read the same thing: `{"level","time","service",...fields,"msg"}`, with
 * `traceId`/`spanId` when a span is active and secrets redacted
 * (see redaction.ts). Backed by pino.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: pino.Logger;

  constructor(
    private readonly service: string,
    private readonly context: LogFields = {},
  ) {
    this.pino = root.child(redactSecrets({ service, ...context }) as LogFields);
  }

  child(context: LogFields): JsonLogger {
    return new JsonLogger(this.service, { ...this.context, ...context });
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  info(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  /** NestJS calls `log` for its own info-level messages. */
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[minimumLevel]) return;
    const fields: LogFields = {};
    let msg: string;
    if (message instanceof Error) {
      msg = message.message;
      fields.err = serializeError(message);
    } else {
      msg = typeof message === 'string' ? message : JSON.stringify(message);
    }
    for (const extra of rest) {
      if (extra instanceof Error) fields.err = serializeError(extra);
      else if (extra && typeof extra === 'object') Object.assign(fields, extra);
      // NestJS passes its context name as a trailing string argument.
      else if (typeof extra === 'string') fields.context = extra;
    }
    this.pino[level](fields, redactSecrets(msg) as string);
  }
}

export function serializeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: LogFields = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (error.stack) fields.stack = error.stack;
  if (error.cause !== undefined) fields.cause = serializeError(error.cause);
  return fields;
}
