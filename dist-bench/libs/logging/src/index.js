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
        return _jsonlogger.JsonLogger;
    },
    get serializeError () {
        return _jsonlogger.serializeError;
    },
    get setLogLevel () {
        return _jsonlogger.setLogLevel;
    }
});
const _jsonlogger = require("./json-logger");

//# sourceMappingURL=index.js.map