import { LoggerService } from '@nestjs/common';

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
 * One JSON object per line on stdout, so CloudWatch, `docker logs` and jq all
 * read the same thing: `{"time","level","service","msg",...fields}`.
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly service: string, private readonly context: LogFields = {}) {}

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
    const line: LogFields = { time: new Date().toISOString(), level, service: this.service, ...this.context };
    if (message instanceof Error) {
      line.msg = message.message;
      line.err = serializeError(message);
    } else {
      line.msg = typeof message === 'string' ? message : JSON.stringify(message);
    }
    for (const extra of rest) {
      if (extra instanceof Error) line.err = serializeError(extra);
      else if (extra && typeof extra === 'object') Object.assign(line, extra);
      // NestJS passes its context name as a trailing string argument.
      else if (typeof extra === 'string') line.context = extra;
    }
    process.stdout.write(JSON.stringify(line) + '\n');
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
