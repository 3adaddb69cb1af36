"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "EnvironmentVariables", {
    enumerable: true,
    get: function() {
        return EnvironmentVariables;
    }
});
const _classtransformer = require("class-transformer");
const _classvalidator = require("class-validator");
function _ts_decorate(decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") {
        r = Reflect.decorate(decorators, target, key, desc);
    } else {
        for(var i = decorators.length - 1; i >= 0; i--){
            if (d = decorators[i]) {
                r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
            }
        }
    }
    return c > 3 && r && Object.defineProperty(target, key, r), r;
}
function _ts_metadata(metadataKey, metadataValue) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") {
        return Reflect.metadata(metadataKey, metadataValue);
    }
}
const toNumber = ({ value })=>value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value })=>value === undefined || value === '' ? undefined : value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
let EnvironmentVariables = class EnvironmentVariables {
    /** PostgreSQL connection string. Required by writer, api and ingest; `npm start` provides one. */ DATABASE_URL;
    /** Optional read-only connection string the API uses instead of DATABASE_URL. */ DATABASE_READONLY_URL;
    /** Connections per process (default 10). */ DATABASE_POOL_SIZE;
    /** Use TLS to PostgreSQL, as RDS expects (default false). */ DATABASE_SSL;
    /** AWS region (default us-east-1). */ AWS_REGION;
    /** Endpoint for SQS and S3 when not real AWS, e.g. the fauxqs emulator (default: AWS itself). */ AWS_ENDPOINT_URL;
    /** Path-style S3 addressing (default true when AWS_ENDPOINT_URL is set). */ S3_FORCE_PATH_STYLE;
    /** Bucket holding raw logs and run outputs (default adrec-data). */ ADREC_BUCKET;
    /** Prefix of the raw logs in the bucket (default raw/). */ ADREC_RAW_PREFIX;
    /** Prefix of run outputs in the bucket (default runs/). */ ADREC_RUNS_PREFIX;
    /** Prefix of every queue name: <prefix>trigger, <prefix>jobs, <prefix>results, each with -dlq (default adrec-). */ ADREC_QUEUE_PREFIX;
    /** Days of logs a run reads, ending at its date (default 1). */ WINDOW_DAYS;
    /** Share of bad lines above which a run fails instead of publishing (default 0.01). */ BAD_LINE_THRESHOLD;
    /** Messages a models worker processes at once (default 10, the SQS batch size). */ MODELS_BATCH_SIZE;
    /** Seconds a received message stays invisible to other workers (default 60). */ VISIBILITY_TIMEOUT_SECONDS;
    /** Cron expression (UTC) of the nightly run; it runs yesterday's date (default "0 2 * * *"). */ NIGHTLY_CRON;
    /** HTTP port of the API (default 3000). */ PORT;
    /** Address the API listens on (default 0.0.0.0). */ HOST;
    /** Requests per minute one client address may make to the API; 0 turns the limit off (default 60000). */ RATE_LIMIT_PER_MINUTE;
    /** Origins allowed by CORS, comma separated, or * for any (default *: the API is public and read-only). */ CORS_ORIGINS;
    /** Minutes without progress after which a running run is reported stuck (default 15). */ RUN_STUCK_AFTER_MINUTES;
    /** debug, info, warn or error (default info). */ LOG_LEVEL;
};
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "DATABASE_URL", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "DATABASE_READONLY_URL", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(1),
    (0, _classvalidator.Max)(200),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "DATABASE_POOL_SIZE", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toBool),
    (0, _classvalidator.IsBoolean)(),
    _ts_metadata("design:type", Boolean)
], EnvironmentVariables.prototype, "DATABASE_SSL", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "AWS_REGION", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsUrl)({
        require_tld: false,
        require_protocol: true
    }),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "AWS_ENDPOINT_URL", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toBool),
    (0, _classvalidator.IsBoolean)(),
    _ts_metadata("design:type", Boolean)
], EnvironmentVariables.prototype, "S3_FORCE_PATH_STYLE", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.Matches)(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
        message: 'ADREC_BUCKET must be a valid S3 bucket name'
    }),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "ADREC_BUCKET", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "ADREC_RAW_PREFIX", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "ADREC_RUNS_PREFIX", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.Matches)(/^[A-Za-z0-9_-]{0,60}$/),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "ADREC_QUEUE_PREFIX", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(1),
    (0, _classvalidator.Max)(31),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "WINDOW_DAYS", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsNumber)(),
    (0, _classvalidator.Min)(0),
    (0, _classvalidator.Max)(1),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "BAD_LINE_THRESHOLD", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(1),
    (0, _classvalidator.Max)(10),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "MODELS_BATCH_SIZE", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(5),
    (0, _classvalidator.Max)(43200),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "VISIBILITY_TIMEOUT_SECONDS", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "NIGHTLY_CRON", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(0),
    (0, _classvalidator.Max)(65535),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "PORT", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "HOST", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(0),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "RATE_LIMIT_PER_MINUTE", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "CORS_ORIGINS", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classtransformer.Transform)(toNumber),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(1),
    _ts_metadata("design:type", Number)
], EnvironmentVariables.prototype, "RUN_STUCK_AFTER_MINUTES", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsIn)([
        'debug',
        'info',
        'warn',
        'error'
    ]),
    _ts_metadata("design:type", String)
], EnvironmentVariables.prototype, "LOG_LEVEL", void 0);

//# sourceMappingURL=environment.dto.js.map