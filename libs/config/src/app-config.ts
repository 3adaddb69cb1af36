import { plainToInstance } from 'class-transformer';
import { availableParallelism } from 'node:os';
import { validateSync } from 'class-validator';
import { AdrecError, describeValidationErrors } from '@adrec/contracts';
import { EnvironmentVariables } from './environment.dto';

export interface AppConfig {
  database: {
    /** Undefined only for processes that never touch PostgreSQL (models). */
    url?: string;
    readOnlyUrl?: string;
    poolSize: number;
    /** TLS with the server's certificate verified. */
    ssl: boolean;
    /** CA bundle for `ssl`; undefined: the RDS bundle. */
    sslCaFile?: string;
  };
  aws: {
    region: string;
    endpoint?: string;
    /** S3's endpoint when it differs from `endpoint`. */
    s3Endpoint?: string;
    forcePathStyle: boolean;
  };
  storage: {
    bucket: string;
    rawPrefix: string;
    runsPrefix: string;
  };
  queues: {
    prefix: string;
    visibilityTimeoutSeconds: number;
  };
  pipeline: {
    windowDays: number;
    badLineThreshold: number;
    /** Threads ingest reads log slices on; 0: the main thread. */
    ingestThreads: number;
    /** Uncompressed log objects larger than this are read in slices of about this size. */
    ingestSliceBytes: number;
    /** Log lines longer than this are skipped and counted as bad. */
    ingestMaxLineBytes: number;
    modelsBatchSize: number;
    modelsConcurrency: number;
    writerConcurrency: number;
    nightlyCron: string;
  };
  http: {
    port: number;
    host: string;
    rateLimitPerMinute: number;
    corsOrigins: string[] | '*';
    /** Fastify's trustProxy: which X-Forwarded-For hops are believed (false: none). */
    trustProxy: boolean | number | string[];
  };
  /** The API's published-lists cache. */
  cache: {
    /** Bytes of lists kept in memory; the latest date's run is kept whatever its size. */
    maxBytes: number;
    /** How often the cache compares what it serves with what is published. */
    checkIntervalMs: number;
  };
  runs: {
    stuckAfterSeconds: number;
    /** Complete runs per date kept besides the published one. */
    retainPerDate: number;
    /** Runs retention deletes per transaction. */
    gcBatchRuns: number;
  };
  /** Input drift: how far a run's input may move from the median of the previous published runs. */
  drift: {
    /** Flag a figure below this multiple of the median (0.5). */
    lowerFactor: number;
    /** Flag a figure above this multiple of the median (2). */
    upperFactor: number;
    /** Flag an advertiser whose kept lines moved more than this factor either way (3). */
    advertiserFactor: number;
    /** Fail a run with warnings instead of publishing it (false). */
    failsRun: boolean;
  };
  console: {
    /** Bearer token of the operator actions; undefined turns them off. */
    token?: string;
    /** Ops servers (name → base URL) whose health the console shows. */
    opsTargets: { name: string; url: string }[];
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  observability: {
    /** Port of a worker's /metrics, /health and /ready; 0: off. */
    metricsPort: number;
    /** Seconds without a completed receive after which a worker is not live. */
    maxPollAgeSeconds: number;
    /** Where spans are exported over OTLP/HTTP; undefined: tracing off. */
    tracesEndpoint?: string;
    /** Headers of every OTLP export (e.g. an API key of a hosted collector). */
    otlpHeaders: Record<string, string>;
  };
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

function withTrailingSlash(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/**
 * Reads and validates the environment once. This is the only place in adrec
 * that touches `process.env`; everything else receives an AppConfig.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariablesKeys());
  const picked: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const vars = plainToInstance(EnvironmentVariables, picked);
  const errors = validateSync(vars, { whitelist: true });
  if (errors.length > 0) {
    throw new AdrecError('CONFIG.INVALID', `invalid environment: ${describeValidationErrors(errors)}`);
  }
  const endpoint = vars.AWS_ENDPOINT_URL;
  return {
    database: {
      url: vars.DATABASE_URL,
      readOnlyUrl: vars.DATABASE_READONLY_URL,
      poolSize: vars.DATABASE_POOL_SIZE ?? 10,
      ssl: vars.DATABASE_SSL ?? false,
      sslCaFile: vars.DATABASE_SSL_CA_FILE,
    },
    aws: {
      region: vars.AWS_REGION ?? 'us-east-1',
      endpoint,
      s3Endpoint: vars.AWS_ENDPOINT_URL_S3 ?? endpoint,
      forcePathStyle: vars.S3_FORCE_PATH_STYLE ?? (vars.AWS_ENDPOINT_URL_S3 ?? endpoint) !== undefined,
    },
    storage: {
      bucket: vars.ADREC_BUCKET ?? 'adrec-data',
      rawPrefix: withTrailingSlash(vars.ADREC_RAW_PREFIX ?? 'raw/'),
      runsPrefix: withTrailingSlash(vars.ADREC_RUNS_PREFIX ?? 'runs/'),
    },
    queues: {
      prefix: vars.ADREC_QUEUE_PREFIX ?? 'adrec-',
      visibilityTimeoutSeconds: vars.VISIBILITY_TIMEOUT_SECONDS ?? 60,
    },
    pipeline: {
      windowDays: vars.WINDOW_DAYS ?? 1,
      badLineThreshold: vars.BAD_LINE_THRESHOLD ?? 0.01,
      ingestThreads: vars.INGEST_THREADS ?? Math.min(4, availableParallelism()),
      ingestSliceBytes: (vars.INGEST_SLICE_MIB ?? 64) * 1024 * 1024,
      ingestMaxLineBytes: vars.INGEST_MAX_LINE_BYTES ?? 64 * 1024,
      modelsBatchSize: vars.MODELS_BATCH_SIZE ?? 10,
      modelsConcurrency: vars.MODELS_CONCURRENCY ?? 4,
      writerConcurrency: vars.WRITER_CONCURRENCY ?? 2,
      nightlyCron: vars.NIGHTLY_CRON ?? '0 2 * * *',
    },
    http: {
      port: vars.PORT ?? 3000,
      host: vars.HOST ?? '0.0.0.0',
      rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE ?? 60_000,
      corsOrigins:
        vars.CORS_ORIGINS === undefined || vars.CORS_ORIGINS.trim() === '*'
          ? '*'
          : vars.CORS_ORIGINS.split(',')
              .map((origin) => origin.trim())
              .filter(Boolean),
      trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    },
    cache: {
      maxBytes: vars.API_CACHE_MAX_BYTES ?? 256 * 1024 * 1024,
      checkIntervalMs: vars.API_CACHE_CHECK_MS ?? 1000,
    },
    runs: {
      stuckAfterSeconds: vars.RUN_STUCK_AFTER_SECONDS ?? 900,
      retainPerDate: vars.RETAIN_RUNS_PER_DATE ?? 3,
      gcBatchRuns: vars.GC_BATCH_RUNS ?? 20,
    },
    drift: {
      lowerFactor: vars.DRIFT_LOWER_FACTOR ?? 0.5,
      upperFactor: vars.DRIFT_UPPER_FACTOR ?? 2,
      advertiserFactor: vars.DRIFT_ADVERTISER_FACTOR ?? 3,
      failsRun: vars.DRIFT_FAILS_RUN ?? false,
    },
    console: {
      token: vars.CONSOLE_TOKEN,
      opsTargets: (vars.CONSOLE_OPS_TARGETS ?? '')
        .split(',')
        .map((pair) => pair.trim())
        .filter(Boolean)
        .map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), url: pair.slice(pair.indexOf('=') + 1).replace(/\/+$/, '') })),
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
    observability: {
      metricsPort: vars.METRICS_PORT ?? 9464,
      maxPollAgeSeconds: vars.HEALTH_MAX_POLL_AGE_SECONDS ?? 300,
      tracesEndpoint:
        vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        (vars.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? undefined : `${vars.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`),
      otlpHeaders: parseOtlpHeaders(vars.OTEL_EXPORTER_OTLP_HEADERS),
    },
  };
}

/** The variable names, listed once so unknown variables in the environment are ignored. */
class EnvironmentVariablesKeys implements Required<Record<keyof EnvironmentVariables, undefined>> {
  DATABASE_URL = undefined;
  DATABASE_READONLY_URL = undefined;
  DATABASE_POOL_SIZE = undefined;
  DATABASE_SSL = undefined;
  DATABASE_SSL_CA_FILE = undefined;
  AWS_REGION = undefined;
  AWS_ENDPOINT_URL = undefined;
  AWS_ENDPOINT_URL_S3 = undefined;
  S3_FORCE_PATH_STYLE = undefined;
  ADREC_BUCKET = undefined;
  ADREC_RAW_PREFIX = undefined;
  ADREC_RUNS_PREFIX = undefined;
  ADREC_QUEUE_PREFIX = undefined;
  WINDOW_DAYS = undefined;
  BAD_LINE_THRESHOLD = undefined;
  INGEST_THREADS = undefined;
  INGEST_SLICE_MIB = undefined;
  INGEST_MAX_LINE_BYTES = undefined;
  MODELS_BATCH_SIZE = undefined;
  MODELS_CONCURRENCY = undefined;
  WRITER_CONCURRENCY = undefined;
  VISIBILITY_TIMEOUT_SECONDS = undefined;
  NIGHTLY_CRON = undefined;
  PORT = undefined;
  HOST = undefined;
  RATE_LIMIT_PER_MINUTE = undefined;
  TRUST_PROXY = undefined;
  CORS_ORIGINS = undefined;
  API_CACHE_MAX_BYTES = undefined;
  API_CACHE_CHECK_MS = undefined;
  RUN_STUCK_AFTER_SECONDS = undefined;
  RETAIN_RUNS_PER_DATE = undefined;
  GC_BATCH_RUNS = undefined;
  DRIFT_LOWER_FACTOR = undefined;
  DRIFT_UPPER_FACTOR = undefined;
  DRIFT_ADVERTISER_FACTOR = undefined;
  DRIFT_FAILS_RUN = undefined;
  CONSOLE_TOKEN = undefined;
  LOG_LEVEL = undefined;
  METRICS_PORT = undefined;
  CONSOLE_OPS_TARGETS = undefined;
  HEALTH_MAX_POLL_AGE_SECONDS = undefined;
  OTEL_EXPORTER_OTLP_ENDPOINT = undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = undefined;
  OTEL_EXPORTER_OTLP_HEADERS = undefined;
}

/** `k1=v1,k2=v2` as the OpenTelemetry specification writes OTEL_EXPORTER_OTLP_HEADERS (values URL-encoded). */
function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text?.split(',') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/** Fails with CONFIG.INVALID when a process that needs PostgreSQL has no DATABASE_URL. */
export function requireDatabaseUrl(config: AppConfig): string {
  if (!config.database.url) {
    throw new AdrecError('CONFIG.INVALID', 'DATABASE_URL is not set; this process needs PostgreSQL');
  }
  return config.database.url;
}

/**
 * The environment for a child process: this process's own plus overrides.
 * Used by the local stack to start the apps exactly as they start anywhere.
 */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
