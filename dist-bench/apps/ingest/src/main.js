"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
require("reflect-metadata");
const _runtime = require("../../../libs/runtime/src");
const _ingestmodule = require("./ingest.module");
(0, _runtime.runWorker)('ingest', (config)=>_ingestmodule.IngestModule.forRoot(config), {
    migrate: true
});

//# sourceMappingURL=main.js.map