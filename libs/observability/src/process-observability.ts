import { startOpsServer } from './ops-server';
import { pipelineMetrics } from './pipeline-metrics';
import { processHealth } from './process-health';
import { startTracing, stopTracing, TracingSettings } from './tracing';

export interface ObservabilitySettings extends TracingSettings {
  /** Port of /metrics, /health and /ready; 0: no ops server. */
  metricsPort: number;
  maxPollAgeSeconds: number;
}

export interface ProcessObservability {
  /** The ops server's port, undefined when it is off. */
  opsPort?: number;
  tracing: boolean;
  /** Closes the ops server and exports the last spans; call it last before exiting. */
  stop(): Promise<void>;
}

/**
 * Everything a worker process (ingest, models, writer, the scheduler) sets
 * up to be seen: tracing when an OTLP endpoint is configured, and the ops
 * server with this process's metrics and health.
 */
export async function startProcessObservability(service: string, settings: ObservabilitySettings): Promise<ProcessObservability> {
  const tracing = startTracing(service, settings);
  processHealth.start(settings.maxPollAgeSeconds);
  const server =
    settings.metricsPort > 0
      ? await startOpsServer({ port: settings.metricsPort, registry: pipelineMetrics.registry, health: processHealth })
      : undefined;
  return {
    opsPort: server?.port,
    tracing,
    stop: async () => {
      await server?.close();
      processHealth.stop();
      await stopTracing();
    },
  };
}
