"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "createApi", {
    enumerable: true,
    get: function() {
        return createApi;
    }
});
const _common = require("@nestjs/common");
const _core = require("@nestjs/core");
const _platformfastify = require("@nestjs/platform-fastify");
const _contracts = require("../../../libs/contracts/src");
const _logging = require("../../../libs/logging/src");
const _apimodule = require("./api.module");
const _httperrorfilter = require("./http-error.filter");
async function createApi(config) {
    const app = await _core.NestFactory.create(_apimodule.ApiModule.forRoot(config), new _platformfastify.FastifyAdapter({
        bodyLimit: 16 * 1024,
        maxParamLength: 256
    }), {
        logger: new _logging.JsonLogger('api')
    });
    app.useGlobalPipes(new _common.ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: false,
        exceptionFactory: (errors)=>new _common.BadRequestException((0, _contracts.describeValidationErrors)(errors))
    }));
    app.useGlobalFilters(new _httperrorfilter.HttpErrorFilter());
    app.enableShutdownHooks();
    return app;
}

//# sourceMappingURL=create-api.js.map