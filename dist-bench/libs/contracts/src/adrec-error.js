/**
 * An expected failure with a stable code (`INGEST.DATASET_MISSING`), a message
 * a person can act on, and the underlying cause. Codes are mapped to HTTP
 * statuses or run states at the edge, never parsed from messages.
 */ "use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "AdrecError", {
    enumerable: true,
    get: function() {
        return AdrecError;
    }
});
let AdrecError = class AdrecError extends Error {
    code;
    constructor(code, message, options = {}){
        super(message, options.cause === undefined ? undefined : {
            cause: options.cause
        }), this.code = code;
        this.name = 'AdrecError';
        this.details = options.details ?? {};
    }
    details;
};

//# sourceMappingURL=adrec-error.js.map