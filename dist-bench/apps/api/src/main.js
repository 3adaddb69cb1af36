"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
require("reflect-metadata");
const _config = require("../../../libs/config/src");
const _logging = require("../../../libs/logging/src");
const _createapi = require("./create-api");
const logger = new _logging.JsonLogger('api');
(async ()=>{
    const config = (0, _config.loadConfig)();
    (0, _logging.setLogLevel)(config.logLevel);
    const app = await (0, _createapi.createApi)(config);
    await app.listen(config.http.port, config.http.host);
    logger.info('listening', {
        port: config.http.port,
        host: config.http.host
    });
})().catch((error)=>{
    logger.error('failed to start', {
        err: (0, _logging.serializeError)(error)
    });
    process.exit(1);
});

//# sourceMappingURL=main.js.map