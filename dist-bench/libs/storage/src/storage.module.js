"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "StorageModule", {
    enumerable: true,
    get: function() {
        return StorageModule;
    }
});
const _common = require("@nestjs/common");
const _config = require("../../config/src");
const _objectstore = require("./object-store");
const _runlayout = require("./run-layout");
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
let StorageModule = class StorageModule {
};
StorageModule = _ts_decorate([
    (0, _common.Global)(),
    (0, _common.Module)({
        providers: [
            {
                provide: _objectstore.ObjectStore,
                inject: [
                    _config.APP_CONFIG
                ],
                useFactory: (config)=>new _objectstore.ObjectStore((0, _objectstore.createS3Client)(config), config.storage.bucket)
            },
            {
                provide: _runlayout.RunLayout,
                inject: [
                    _config.APP_CONFIG
                ],
                useFactory: (config)=>new _runlayout.RunLayout(config.storage.runsPrefix)
            }
        ],
        exports: [
            _objectstore.ObjectStore,
            _runlayout.RunLayout
        ]
    })
], StorageModule);

//# sourceMappingURL=storage.module.js.map