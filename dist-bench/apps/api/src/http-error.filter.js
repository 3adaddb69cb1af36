"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "HttpErrorFilter", {
    enumerable: true,
    get: function() {
        return HttpErrorFilter;
    }
});
const _common = require("@nestjs/common");
const _nodehttp = require("node:http");
const _logging = require("../../../libs/logging/src");
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
let HttpErrorFilter = class HttpErrorFilter {
    logger = new _logging.JsonLogger('api');
    catch(exception, host) {
        const reply = host.switchToHttp().getResponse();
        let statusCode = _common.HttpStatus.INTERNAL_SERVER_ERROR;
        let message = 'internal error';
        if (exception instanceof _common.HttpException) {
            statusCode = exception.getStatus();
            message = messageOf(exception.getResponse());
        } else if (isFastifyClientError(exception)) {
            statusCode = exception.statusCode;
            message = exception.message;
        } else {
            this.logger.error('unhandled error', {
                err: (0, _logging.serializeError)(exception)
            });
        }
        const error = _nodehttp.STATUS_CODES[statusCode] ?? 'Error';
        void reply.status(statusCode).header('content-type', 'application/json; charset=utf-8').send({
            statusCode,
            error,
            message
        });
    }
};
HttpErrorFilter = _ts_decorate([
    (0, _common.Catch)()
], HttpErrorFilter);
function messageOf(response) {
    if (typeof response === 'string') return response;
    const message = response.message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : 'error';
}
function isFastifyClientError(error) {
    const status = error?.statusCode;
    return typeof status === 'number' && status >= 400 && status < 500;
}

//# sourceMappingURL=http-error.filter.js.map