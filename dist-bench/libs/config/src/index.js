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
    get APP_CONFIG () {
        return _configmodule.APP_CONFIG;
    },
    get ConfigModule () {
        return _configmodule.ConfigModule;
    },
    get EnvironmentVariables () {
        return _environmentdto.EnvironmentVariables;
    },
    get childEnvironment () {
        return _appconfig.childEnvironment;
    },
    get loadConfig () {
        return _appconfig.loadConfig;
    },
    get requireDatabaseUrl () {
        return _appconfig.requireDatabaseUrl;
    }
});
const _appconfig = require("./app-config");
const _configmodule = require("./config.module");
const _environmentdto = require("./environment.dto");

//# sourceMappingURL=index.js.map