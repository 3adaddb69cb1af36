import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogger, setLogDestination, setLogLevel } from './json-logger';
import { addLogSecrets, REDACTED } from './redaction';

describe('JsonLogger (pino)', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    setLogDestination({ write: (line: string) => void lines.push(line) });
    setLogLevel('info');
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes one JSON line with an ISO time, a string level, the service, the message and the fields', () => {
    new JsonLogger('writer', { runId: 'r-1' }).info('run published', { jobs: 40 });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    const [line] = parsed();
    expect(line).toEqual({
      level: 'info',
      time: expect.any(String) as string,
      service: 'writer',
      runId: 'r-1',
      jobs: 40,
      msg: 'run published',
    });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('drops lines under the level set by setLogLevel, also for loggers created before', () => {
    const logger = new JsonLogger('ingest');
    logger.debug('not shown');
    setLogLevel('debug');
    logger.debug('shown');
    setLogLevel('error');
    logger.warn('not shown either');
    expect(parsed().map((line) => [line.level, line.msg])).toEqual([['debug', 'shown']]);
  });

  it('keeps the NestJS call shapes: an Error as message, a trailing context string', () => {
    const logger = new JsonLogger('api');
    logger.error(new Error('boom'));
    logger.log('Mapped {/runs, GET} route', 'RouterExplorer');
    const [error, nest] = parsed();
    expect(error).toMatchObject({ level: 'error', msg: 'boom', err: { name: 'Error', message: 'boom' } });
    expect(nest).toMatchObject({ level: 'info', msg: 'Mapped {/runs, GET} route', context: 'RouterExplorer' });
  });

  it('redacts passwords in URLs, secret-named fields and registered secret values, in fields, context and message', () => {
    addLogSecrets(['console-token-0123456789']);
    const logger = new JsonLogger('api', { databaseUrl: 'postgres://adrec:s3cr3t@db:5432/adrec' });
    logger.warn('refused token console-token-0123456789', {
      authorization: 'Bearer console-token-0123456789',
      nested: { password: 'hunter2', note: 'see console-token-0123456789' },
      err: { message: 'connect to postgresql://u:pw@10.0.0.1/x failed' },
      passwordless: 'kept',
    });
    const text = lines.join('');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('console-token-0123456789');
    expect(text).not.toContain(':pw@');
    const [line] = parsed();
    expect(line).toMatchObject({
      databaseUrl: 'postgres://adrec:***@db:5432/adrec',
      msg: `refused token ${REDACTED}`,
      authorization: REDACTED,
      nested: { password: REDACTED, note: `see ${REDACTED}` },
      err: { message: 'connect to postgresql://u:***@10.0.0.1/x failed' },
      passwordless: 'kept',
    });
  });

  it("adds the active span's trace and span ids to every line written inside it, and none outside", () => {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })] });
    try {
      const logger = new JsonLogger('models');
      const span = provider.getTracer('test').startSpan('process jobs');
      context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
      span.end();
      logger.info('outside');
      const [inside, outside] = parsed();
      expect(inside).toMatchObject({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      expect(outside.traceId).toBeUndefined();
    } finally {
      context.disable();
    }
  });
});
