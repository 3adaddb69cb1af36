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
    get IsCalendarDateConstraint () {
        return IsCalendarDateConstraint;
    },
    get MAX_WINDOW_DAYS () {
        return MAX_WINDOW_DAYS;
    },
    get MODEL_NAMES () {
        return MODEL_NAMES;
    },
    get ModelJobMessage () {
        return ModelJobMessage;
    },
    get ModelResultMessage () {
        return ModelResultMessage;
    },
    get ResultItemMessage () {
        return ResultItemMessage;
    },
    get TriggerMessage () {
        return TriggerMessage;
    }
});
const _classtransformer = require("class-transformer");
const _classvalidator = require("class-validator");
const _calendardate = require("./calendar-date");
const _identifiers = require("./identifiers");
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
const MODEL_NAMES = [
    'top_ctr',
    'top_product'
];
const MAX_WINDOW_DAYS = 31;
let IsCalendarDateConstraint = class IsCalendarDateConstraint {
    validate(value) {
        return typeof value === 'string' && (0, _calendardate.isCalendarDate)(value);
    }
    defaultMessage() {
        return '$property must be a calendar date YYYY-MM-DD';
    }
};
IsCalendarDateConstraint = _ts_decorate([
    (0, _classvalidator.ValidatorConstraint)({
        name: 'calendarDate'
    })
], IsCalendarDateConstraint);
let TriggerMessage = class TriggerMessage {
    runId;
    runDate;
    windowDays;
    /** When the run was requested (ISO 8601); decides which of two runs of a date wins. */ triggeredAt;
};
_ts_decorate([
    (0, _classvalidator.IsString)(),
    (0, _classvalidator.Matches)(_identifiers.RUN_ID_PATTERN),
    _ts_metadata("design:type", String)
], TriggerMessage.prototype, "runId", void 0);
_ts_decorate([
    (0, _classvalidator.Validate)(IsCalendarDateConstraint),
    _ts_metadata("design:type", String)
], TriggerMessage.prototype, "runDate", void 0);
_ts_decorate([
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(1),
    (0, _classvalidator.Max)(MAX_WINDOW_DAYS),
    _ts_metadata("design:type", Number)
], TriggerMessage.prototype, "windowDays", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], TriggerMessage.prototype, "triggeredAt", void 0);
let ModelJobMessage = class ModelJobMessage {
    runId;
    runDate;
    advertiserId;
    model;
    /** S3 key of the advertiser's filtered counts for the run. */ partitionKey;
};
_ts_decorate([
    (0, _classvalidator.IsString)(),
    (0, _classvalidator.Matches)(_identifiers.RUN_ID_PATTERN),
    _ts_metadata("design:type", String)
], ModelJobMessage.prototype, "runId", void 0);
_ts_decorate([
    (0, _classvalidator.Validate)(IsCalendarDateConstraint),
    _ts_metadata("design:type", String)
], ModelJobMessage.prototype, "runDate", void 0);
_ts_decorate([
    (0, _classvalidator.IsString)(),
    (0, _classvalidator.MinLength)(1),
    (0, _classvalidator.MaxLength)(256),
    _ts_metadata("design:type", String)
], ModelJobMessage.prototype, "advertiserId", void 0);
_ts_decorate([
    (0, _classvalidator.IsIn)(MODEL_NAMES),
    _ts_metadata("design:type", typeof ModelName === "undefined" ? Object : ModelName)
], ModelJobMessage.prototype, "model", void 0);
_ts_decorate([
    (0, _classvalidator.IsString)(),
    (0, _classvalidator.MinLength)(1),
    _ts_metadata("design:type", String)
], ModelJobMessage.prototype, "partitionKey", void 0);
let ResultItemMessage = class ResultItemMessage {
    productId;
    views;
    clicks;
    impressions;
};
_ts_decorate([
    (0, _classvalidator.IsString)(),
    (0, _classvalidator.MinLength)(1),
    _ts_metadata("design:type", String)
], ResultItemMessage.prototype, "productId", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(0),
    _ts_metadata("design:type", Number)
], ResultItemMessage.prototype, "views", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(0),
    _ts_metadata("design:type", Number)
], ResultItemMessage.prototype, "clicks", void 0);
_ts_decorate([
    (0, _classvalidator.IsOptional)(),
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(0),
    _ts_metadata("design:type", Number)
], ResultItemMessage.prototype, "impressions", void 0);
let ModelResultMessage = class ModelResultMessage {
    runId;
    runDate;
    advertiserId;
    model;
    /** S3 key where the same result was written as JSON. */ resultKey;
    /** The ranked list, best first (at most 20). */ items;
    /** top_ctr only: products with clicks but no impressions in the window, left out. */ clicksWithoutImpressions;
};
_ts_decorate([
    (0, _classvalidator.IsString)(),
    (0, _classvalidator.Matches)(_identifiers.RUN_ID_PATTERN),
    _ts_metadata("design:type", String)
], ModelResultMessage.prototype, "runId", void 0);
_ts_decorate([
    (0, _classvalidator.Validate)(IsCalendarDateConstraint),
    _ts_metadata("design:type", String)
], ModelResultMessage.prototype, "runDate", void 0);
_ts_decorate([
    (0, _classvalidator.IsString)(),
    (0, _classvalidator.MinLength)(1),
    (0, _classvalidator.MaxLength)(256),
    _ts_metadata("design:type", String)
], ModelResultMessage.prototype, "advertiserId", void 0);
_ts_decorate([
    (0, _classvalidator.IsIn)(MODEL_NAMES),
    _ts_metadata("design:type", typeof ModelName === "undefined" ? Object : ModelName)
], ModelResultMessage.prototype, "model", void 0);
_ts_decorate([
    (0, _classvalidator.IsString)(),
    _ts_metadata("design:type", String)
], ModelResultMessage.prototype, "resultKey", void 0);
_ts_decorate([
    (0, _classvalidator.IsArray)(),
    (0, _classvalidator.ArrayMaxSize)(20),
    (0, _classvalidator.ValidateNested)({
        each: true
    }),
    (0, _classtransformer.Type)(()=>ResultItemMessage),
    _ts_metadata("design:type", Array)
], ModelResultMessage.prototype, "items", void 0);
_ts_decorate([
    (0, _classvalidator.IsInt)(),
    (0, _classvalidator.Min)(0),
    _ts_metadata("design:type", Number)
], ModelResultMessage.prototype, "clicksWithoutImpressions", void 0);

//# sourceMappingURL=messages.js.map