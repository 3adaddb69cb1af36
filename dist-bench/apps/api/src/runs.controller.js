"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "RunsController", {
    enumerable: true,
    get: function() {
        return RunsController;
    }
});
const _common = require("@nestjs/common");
const _swagger = require("@nestjs/swagger");
const _database = require("../../../libs/database/src");
const _apirequestdto = require("./api-request.dto");
const _openapiexamples = require("./openapi-examples");
const _runview = require("./run.view");
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
function _ts_metadata(metadataKey, metadataValue) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") {
        return Reflect.metadata(metadataKey, metadataValue);
    }
}
function _ts_param(paramIndex, decorator) {
    return function(target, key) {
        decorator(target, key, paramIndex);
    };
}
let RunsController = class RunsController {
    runs;
    constructor(runs){
        this.runs = runs;
    }
    async list(query) {
        const runs = await this.runs.listRecent(query.limit ?? 50, query.date);
        return {
            runs: runs.map(_runview.toRunView)
        };
    }
    async get(params) {
        const run = await this.runs.find(params.runId);
        if (!run) throw new _common.NotFoundException(`no run ${params.runId}`);
        return (0, _runview.toRunView)(run);
    }
};
_ts_decorate([
    (0, _common.Get)(),
    (0, _swagger.ApiOperation)({
        summary: 'Recent pipeline runs, most recently triggered first'
    }),
    (0, _swagger.ApiOkResponse)({
        description: 'Runs with status, progress, timings and counts',
        schema: {
            example: {
                runs: [
                    _openapiexamples.RUN_EXAMPLE
                ]
            }
        }
    }),
    (0, _swagger.ApiBadRequestResponse)({
        description: 'limit or date malformed',
        schema: {
            example: (0, _openapiexamples.ERROR_EXAMPLE)(400)
        }
    }),
    _ts_param(0, (0, _common.Query)()),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _apirequestdto.RunsQuery === "undefined" ? Object : _apirequestdto.RunsQuery
    ]),
    _ts_metadata("design:returntype", Promise)
], RunsController.prototype, "list", null);
_ts_decorate([
    (0, _common.Get)(':runId'),
    (0, _swagger.ApiOperation)({
        summary: 'One run'
    }),
    (0, _swagger.ApiOkResponse)({
        description: 'The run',
        schema: {
            example: _openapiexamples.RUN_EXAMPLE
        }
    }),
    (0, _swagger.ApiNotFoundResponse)({
        description: 'No run with this id',
        schema: {
            example: (0, _openapiexamples.ERROR_EXAMPLE)(404)
        }
    }),
    (0, _swagger.ApiBadRequestResponse)({
        description: 'runId malformed',
        schema: {
            example: (0, _openapiexamples.ERROR_EXAMPLE)(400)
        }
    }),
    _ts_param(0, (0, _common.Param)()),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _apirequestdto.RunParams === "undefined" ? Object : _apirequestdto.RunParams
    ]),
    _ts_metadata("design:returntype", Promise)
], RunsController.prototype, "get", null);
RunsController = _ts_decorate([
    (0, _swagger.ApiTags)('runs'),
    (0, _common.Controller)('runs'),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _database.RunsRepository === "undefined" ? Object : _database.RunsRepository
    ])
], RunsController);

//# sourceMappingURL=runs.controller.js.map