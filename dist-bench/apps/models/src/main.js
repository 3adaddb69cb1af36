"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
require("reflect-metadata");
const _runtime = require("../../../libs/runtime/src");
const _modelsmodule = require("./models.module");
(0, _runtime.runWorker)('models', (config)=>_modelsmodule.ModelsModule.forRoot(config));

//# sourceMappingURL=main.js.map