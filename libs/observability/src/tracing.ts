import { context, propagation, trace, Tracer } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { buildInfo } from './build-info';

export interface TracingSettings {
  /** OTLP/HTTP URL receiving spans (…/v1/traces); undefined leaves tracing off. */
  tracesEndpoint?: string;
  otlpHeaders?: Record<string, string>;
}

let provider: TracerProvider | undefined;

/**
 * Turns tracing on for this process when an OTLP endpoint is configured:
 * spans are batched and exported over OTLP/HTTP (JSON), context flows
 * through async calls (AsyncLocalStorage) and crosses processes as W3C
 * `traceparent`. Without an endpoint nothing is registered: the
 * OpenTelemetry API stays a no-op, spans are never recorded and message
 * attributes never written, so tracing off costs (next to) nothing.
 * Returns whether tracing is on. `service` names the process: `adrec-<service>`.
 */
export function startTracing(service: string, settings: TracingSettings): boolean {
  if (provider || !settings.tracesEndpoint) return provider !== undefined;
  // The SDK is loaded only when tracing is on: a process with tracing off
  // never pays for loading it (a few hundred milliseconds at start-up), and
  // `startTracing` stays synchronous: hence require(), not import().
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AsyncLocalStorageContextManager } =
    require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  /* eslint-enable @typescript-eslint/no-require-imports */
  provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': `adrec-${service}`,
      'service.namespace': 'adrec',
      'service.version': buildInfo().version,
      'process.pid': process.pid,
    }),
    spanProcessors: [
      // Export every second: a run's spans reach the collector while the run is still being looked at.
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: settings.tracesEndpoint, headers: settings.otlpHeaders ?? {} }),
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return true;
}

/** True once startTracing turned tracing on. */
export function tracingEnabled(): boolean {
  return provider !== undefined;
}

/** Exports the spans still buffered and stops tracing; called when a process exits. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (!stopping) return;
  provider = undefined;
  try {
    await stopping.shutdown();
  } finally {
    trace.disable();
    propagation.disable();
    context.disable();
  }
}

/** adrec's tracer: a no-op until startTracing turned tracing on. */
export function tracer(): Tracer {
  return trace.getTracer('adrec', buildInfo().version);
}
