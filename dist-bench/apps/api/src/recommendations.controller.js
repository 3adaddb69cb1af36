"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "RecommendationsController", {
    enumerable: true,
    get: function() {
        return RecommendationsController;
    }
});
const _common = require("@nestjs/common");
const _ranking = require("../../../libs/ranking/src");
const _publishedlistscache = require("./published-lists.cache");
const _recommendationrequestdto = require("./recommendation-request.dto");
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
let RecommendationsController = class RecommendationsController {
    cache;
    constructor(cache){
        this.cache = cache;
    }
    /** An advertiser's list for the latest published date, or for `?date=`. */ async recommendations(params, query) {
        const model = (0, _ranking.parseModelName)(params.model);
        if (!model) throw new _common.BadRequestException(`unknown model "${params.model}": use top_ctr or top_product`);
        const found = await this.cache.lookup(params.advertiserId, model, query.date);
        switch(found.kind){
            case 'found':
                return found.body;
            case 'unknown_advertiser':
                throw new _common.NotFoundException(`advertiser ${params.advertiserId} has never been active`);
            case 'no_published_run':
                throw new _common.NotFoundException(found.date ? `no published run for ${found.date}` : 'no run has been published yet');
        }
    }
};
_ts_decorate([
    (0, _common.Get)(':advertiserId/:model'),
    (0, _common.Header)('content-type', 'application/json; charset=utf-8'),
    _ts_param(0, (0, _common.Param)()),
    _ts_param(1, (0, _common.Query)()),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _recommendationrequestdto.RecommendationParams === "undefined" ? Object : _recommendationrequestdto.RecommendationParams,
        typeof _recommendationrequestdto.RecommendationQuery === "undefined" ? Object : _recommendationrequestdto.RecommendationQuery
    ]),
    _ts_metadata("design:returntype", Promise)
], RecommendationsController.prototype, "recommendations", null);
RecommendationsController = _ts_decorate([
    (0, _common.Controller)('recommendations'),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _publishedlistscache.PublishedListsCache === "undefined" ? Object : _publishedlistscache.PublishedListsCache
    ])
], RecommendationsController);

//# sourceMappingURL=recommendations.controller.js.map