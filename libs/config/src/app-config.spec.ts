import { AdrecError } from '@adrec/contracts';
import { loadConfig } from './app-config';

function configError(env: NodeJS.ProcessEnv): AdrecError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AdrecError);
    return error as AdrecError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig', () => {
  it('fills in the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.storage).toEqual({ bucket: 'adrec-data', rawPrefix: 'raw/', runsPrefix: 'runs/' });
    expect(config.pipeline.windowDays).toBe(1);
    expect(config.pipeline.badLineThreshold).toBe(0.01);
    expect(config.http.port).toBe(3000);
    expect(config.aws.forcePathStyle).toBe(false);
    expect(config.aws.endpoint).toBeUndefined();
    expect(config.database.url).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', ADREC_BUCKET: '' })).toEqual(loadConfig({}));
  });

  it('uses path-style S3 addressing when AWS_ENDPOINT_URL is set', () => {
    const config = loadConfig({ AWS_ENDPOINT_URL: 'http://localhost:4566' });
    expect(config.aws).toMatchObject({ endpoint: 'http://localhost:4566', forcePathStyle: true });
  });

  it('lets S3_FORCE_PATH_STYLE override the endpoint default', () => {
    expect(loadConfig({ AWS_ENDPOINT_URL: 'http://localhost:4566', S3_FORCE_PATH_STYLE: 'false' }).aws.forcePathStyle).toBe(false);
  });

  it('adds the trailing slash a raw prefix lacks', () => {
    expect(loadConfig({ ADREC_RAW_PREFIX: 'logs' }).storage.rawPrefix).toBe('logs/');
    expect(loadConfig({ ADREC_RAW_PREFIX: 'logs/' }).storage.rawPrefix).toBe('logs/');
  });

  it('parses numeric variables', () => {
    const config = loadConfig({ BAD_LINE_THRESHOLD: '0.05', PORT: '8080', WINDOW_DAYS: '7' });
    expect(config.pipeline.badLineThreshold).toBe(0.05);
    expect(config.http.port).toBe(8080);
    expect(config.pipeline.windowDays).toBe(7);
  });

  it('bounds the API cache in bytes and checks it every second by default', () => {
    expect(loadConfig({}).cache).toEqual({ maxBytes: 256 * 1024 * 1024, checkIntervalMs: 1000 });
    expect(loadConfig({ API_CACHE_MAX_BYTES: '1048576', API_CACHE_CHECK_MS: '250' }).cache).toEqual({
      maxBytes: 1048576,
      checkIntervalMs: 250,
    });
  });

  it.each([
    ['API_CACHE_MAX_BYTES', '1000'],
    ['API_CACHE_CHECK_MS', '50'],
    ['PORT', 'abc'],
    ['BAD_LINE_THRESHOLD', '2'],
    ['WINDOW_DAYS', '0'],
    ['ADREC_BUCKET', 'Not_A_Bucket'],
    ['AWS_ENDPOINT_URL', 'localhost'],
    ['LOG_LEVEL', 'verbose'],
    ['RETAIN_RUNS_PER_DATE', '-1'],
    ['GC_BATCH_RUNS', '0'],
  ])('rejects %s=%j with CONFIG.INVALID naming the variable', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toContain(name);
  });

  it('reads the observability settings: ops port, OTLP endpoint, headers, console targets', () => {
    expect(loadConfig({}).observability).toEqual({ metricsPort: 9464, maxPollAgeSeconds: 300, tracesEndpoint: undefined, otlpHeaders: {} });
    expect(loadConfig({}).console.opsTargets).toEqual([]);
    const config = loadConfig({
      METRICS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D1, tenant=adrec',
      CONSOLE_OPS_TARGETS: 'ingest=http://ingest:9464, models=http://models:9464/',
    });
    expect(config.observability).toMatchObject({
      metricsPort: 0,
      tracesEndpoint: 'http://collector:4318/v1/traces',
      otlpHeaders: { 'x-api-key': 'abc=1', tenant: 'adrec' },
    });
    expect(config.console.opsTargets).toEqual([
      { name: 'ingest', url: 'http://ingest:9464' },
      { name: 'models', url: 'http://models:9464' },
    ]);
    // The traces URL, when given, is used as is.
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/traces' }).observability
        .tracesEndpoint,
    ).toBe('http://b:4318/traces');
  });

  it.each([
    ['METRICS_PORT', '70000'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'no-equals-sign'],
    ['CONSOLE_OPS_TARGETS', 'ingest'],
  ])('rejects %s=%j with CONFIG.INVALID naming the variable', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.message).toContain(name);
  });

  it('keeps 3 runs per date besides the published one and deletes 20 per batch unless told otherwise', () => {
    expect(loadConfig({}).runs).toMatchObject({ retainPerDate: 3, gcBatchRuns: 20 });
    expect(loadConfig({ RETAIN_RUNS_PER_DATE: '0', GC_BATCH_RUNS: '5' }).runs).toMatchObject({ retainPerDate: 0, gcBatchRuns: 5 });
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', UNRELATED: 'x' })).toEqual(loadConfig({}));
  });

  it('believes no proxy by default, and reads TRUST_PROXY as addresses, a hop count or true', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/16, 127.0.0.1' }).http.trustProxy).toEqual(['10.0.0.0/16', '127.0.0.1']);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
  });

  it('rejects a TRUST_PROXY that is not addresses, a hop count or a boolean, naming the variable', () => {
    expect(configError({ TRUST_PROXY: 'the load balancer' }).message).toContain('TRUST_PROXY');
  });

  it('verifies TLS against the RDS bundle unless DATABASE_SSL_CA_FILE names another', () => {
    expect(loadConfig({ DATABASE_SSL: 'true' }).database).toMatchObject({ ssl: true, sslCaFile: undefined });
    expect(loadConfig({ DATABASE_SSL: 'true', DATABASE_SSL_CA_FILE: '/etc/ssl/db.pem' }).database.sslCaFile).toBe('/etc/ssl/db.pem');
  });
});
