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
    get JsonLogger () {
        return JsonLogger;
    },
    get serializeError () {
        return serializeError;
    },
    get setLogLevel () {
        return setLogLevel;
    }
});
const LEVEL_RANK = {
    debug: 10,
    info: 20,
    warn: 30,
    error: 40
};
let minimumLevel = 'info';
function setLogLevel(level) {
    minimumLevel = level;
}
let JsonLogger = class JsonLogger {
    service;
    context;
    constructor(service, context = {}){
        this.service = service;
        this.context = context;
    }
    child(context) {
        return new JsonLogger(this.service, {
            ...this.context,
            ...context
        });
    }
    debug(message, ...rest) {
        this.write('debug', message, rest);
    }
    info(message, ...rest) {
        this.write('info', message, rest);
    }
    /** NestJS calls `log` for its own info-level messages. */ log(message, ...rest) {
        this.write('info', message, rest);
    }
    warn(message, ...rest) {
        this.write('warn', message, rest);
    }
    error(message, ...rest) {
        this.write('error', message, rest);
    }
    verbose(message, ...rest) {
        this.write('debug', message, rest);
    }
    write(level, message, rest) {
        if (LEVEL_RANK[level] < LEVEL_RANK[minimumLevel]) return;
        const line = {
            time: new Date().toISOString(),
            level,
            service: this.service,
            ...this.context
        };
        if (message instanceof Error) {
            line.msg = message.message;
            line.err = serializeError(message);
        } else {
            line.msg = typeof message === 'string' ? message : JSON.stringify(message);
        }
        for (const extra of rest){
            if (extra instanceof Error) line.err = serializeError(extra);
            else if (extra && typeof extra === 'object') Object.assign(line, extra);
            else if (typeof extra === 'string') line.context = extra;
        }
        process.stdout.write(JSON.stringify(line) + '\n');
    }
};
function serializeError(error) {
    if (!(error instanceof Error)) return {
        message: String(error)
    };
    const fields = {
        name: error.name,
        message: error.message
    };
    const code = error.code;
    if (code !== undefined) fields.code = code;
    if (error.stack) fields.stack = error.stack;
    if (error.cause !== undefined) fields.cause = serializeError(error.cause);
    return fields;
}

//# sourceMappingURL=json-logger.js.map