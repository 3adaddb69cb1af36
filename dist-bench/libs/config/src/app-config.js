"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
function _export(target, all) {
    for(var name in all)Object.defineProperty(target, name, {
        enumerable: true,
        get: Object.getOwnPropertyDescriptor(all, name).get
    });
}
_export(exports, {
    get childEnvironment () {
        return childEnvironment;
    },
    get loadConfig () {
        return loadConfig;
    },
    get requireDatabaseUrl () {
        return requireDatabaseUrl;
    }
});
const _classtransformer = require("class-transformer");
const _classvalidator = require("class-validator");
const _contracts = require("../../contracts/src");
const _environmentdto = require("./environment.dto");
function withTrailingSlash(prefix) {
    return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}
function loadConfig(env = process.env) {
    const known = Object.keys(new EnvironmentVariablesKeys());
    const picked = {};
    for (const key of known){
        const value = env[key];
        if (value !== undefined && value !== '') picked[key] = value;
    }
    const vars = (0, _classtransformer.plainToInstance)(_environmentdto.EnvironmentVariables, picked);
    const errors = (0, _classvalidator.validateSync)(vars, {
        whitelist: true
    });
    if (errors.length > 0) {
        throw new _contracts.AdrecError('CONFIG.INVALID', `invalid environment: ${(0, _contracts.describeValidationErrors)(errors)}`);
    }
    const endpoint = vars.AWS_ENDPOINT_URL;
    return {
        database: {
            url: vars.DATABASE_URL,
            readOnlyUrl: vars.DATABASE_READONLY_URL,
            poolSize: vars.DATABASE_POOL_SIZE ?? 10,
            ssl: vars.DATABASE_SSL ?? false
        },
        aws: {
            region: vars.AWS_REGION ?? 'us-east-1',
            endpoint,
            forcePathStyle: vars.S3_FORCE_PATH_STYLE ?? endpoint !== undefined
        },
        storage: {
            bucket: vars.ADREC_BUCKET ?? 'adrec-data',
            rawPrefix: withTrailingSlash(vars.ADREC_RAW_PREFIX ?? 'raw/'),
            runsPrefix: withTrailingSlash(vars.ADREC_RUNS_PREFIX ?? 'runs/')
        },
        queues: {
            prefix: vars.ADREC_QUEUE_PREFIX ?? 'adrec-',
            visibilityTimeoutSeconds: vars.VISIBILITY_TIMEOUT_SECONDS ?? 60
        },
        pipeline: {
            windowDays: vars.WINDOW_DAYS ?? 1,
            badLineThreshold: vars.BAD_LINE_THRESHOLD ?? 0.01,
            modelsBatchSize: vars.MODELS_BATCH_SIZE ?? 10,
            nightlyCron: vars.NIGHTLY_CRON ?? '0 2 * * *'
        },
        http: {
            port: vars.PORT ?? 3000,
            host: vars.HOST ?? '0.0.0.0',
            rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE ?? 60_000,
            corsOrigins: vars.CORS_ORIGINS === undefined || vars.CORS_ORIGINS.trim() === '*' ? '*' : vars.CORS_ORIGINS.split(',').map((origin)=>origin.trim()).filter(Boolean)
        },
        runs: {
            stuckAfterMinutes: vars.RUN_STUCK_AFTER_MINUTES ?? 15
        },
        logLevel: vars.LOG_LEVEL ?? 'info'
    };
}
/** The variable names, listed once so unknown variables in the environment are ignored. */ let EnvironmentVariablesKeys = class EnvironmentVariablesKeys {
    DATABASE_URL = undefined;
    DATABASE_READONLY_URL = undefined;
    DATABASE_POOL_SIZE = undefined;
    DATABASE_SSL = undefined;
    AWS_REGION = undefined;
    AWS_ENDPOINT_URL = undefined;
    S3_FORCE_PATH_STYLE = undefined;
    ADREC_BUCKET = undefined;
    ADREC_RAW_PREFIX = undefined;
    ADREC_RUNS_PREFIX = undefined;
    ADREC_QUEUE_PREFIX = undefined;
    WINDOW_DAYS = undefined;
    BAD_LINE_THRESHOLD = undefined;
    MODELS_BATCH_SIZE = undefined;
    VISIBILITY_TIMEOUT_SECONDS = undefined;
    NIGHTLY_CRON = undefined;
    PORT = undefined;
    HOST = undefined;
    RATE_LIMIT_PER_MINUTE = undefined;
    CORS_ORIGINS = undefined;
    RUN_STUCK_AFTER_MINUTES = undefined;
    LOG_LEVEL = undefined;
};
function requireDatabaseUrl(config) {
    if (!config.database.url) {
        throw new _contracts.AdrecError('CONFIG.INVALID', 'DATABASE_URL is not set; this process needs PostgreSQL');
    }
    return config.database.url;
}
function childEnvironment(overrides) {
    return {
        ...process.env,
        ...overrides
    };
}

//# sourceMappingURL=app-config.js.map