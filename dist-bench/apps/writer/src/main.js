"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
require("reflect-metadata");
const _runtime = require("../../../libs/runtime/src");
const _writermodule = require("./writer.module");
(0, _runtime.runWorker)('writer', (config)=>_writermodule.WriterModule.forRoot(config), {
    migrate: true
});

//# sourceMappingURL=main.js.map