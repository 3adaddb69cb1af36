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
    get RecommendationParams () {
        return RecommendationParams;
    },
    get RecommendationQuery () {
        return RecommendationQuery;
    }
});
const _classvalidator = require("class-validator");
const _contracts = require("../../../libs/contracts/src");
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
let RecommendationParams = class RecommendationParams {
    advertiserId;
    /** top_ctr or top_product, any case; TopCTR and TopProduct too. Checked by the controller against the model list. */ model;
};
_ts_decorate([
    (0, _classvalidator.Matches)(_contracts.ADVERTISER_ID_PATTERN, {
        message: 'advertiserId must be 1-128 characters of A-Z a-z 0-9 . _ : @ -'
    }),
    _ts_metadata("design:type", String)
], RecommendationParams.prototype, "advertiserId", void 0);
_ts_decorate([
    (0, _classvalidator.Matches)(/^[A-Za-z_]{1,32}$/, {
        message: 'model must be top_ctr or top_product'
    }),
    _ts_metadata("design:type", String)
], RecommendationParams.prototype, "model", void 0);
let RecommendationQuery = class RecommendationQuery {
    date;
};
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.Validate)(_contracts.IsCalendarDateConstraint, {
        message: 'date must be a calendar date YYYY-MM-DD'
    }),
    _ts_metadata("design:type", String)
], RecommendationQuery.prototype, "date", void 0);

//# sourceMappingURL=recommendation-request.dto.js.map