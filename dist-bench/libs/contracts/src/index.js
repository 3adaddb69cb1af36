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
    get ADVERTISER_ID_PATTERN () {
        return _identifiers.ADVERTISER_ID_PATTERN;
    },
    get AdrecError () {
        return _adrecerror.AdrecError;
    },
    get IsCalendarDateConstraint () {
        return _messages.IsCalendarDateConstraint;
    },
    get MAX_WINDOW_DAYS () {
        return _messages.MAX_WINDOW_DAYS;
    },
    get MODEL_NAMES () {
        return _messages.MODEL_NAMES;
    },
    get ModelJobMessage () {
        return _messages.ModelJobMessage;
    },
    get ModelResultMessage () {
        return _messages.ModelResultMessage;
    },
    get RUN_ID_PATTERN () {
        return _identifiers.RUN_ID_PATTERN;
    },
    get ResultItemMessage () {
        return _messages.ResultItemMessage;
    },
    get TriggerMessage () {
        return _messages.TriggerMessage;
    },
    get addDays () {
        return _calendardate.addDays;
    },
    get dateRange () {
        return _calendardate.dateRange;
    },
    get describeValidationErrors () {
        return _parsemessage.describeValidationErrors;
    },
    get isCalendarDate () {
        return _calendardate.isCalendarDate;
    },
    get parseMessage () {
        return _parsemessage.parseMessage;
    },
    get todayUtc () {
        return _calendardate.todayUtc;
    },
    get windowDates () {
        return _calendardate.windowDates;
    }
});
const _adrecerror = require("./adrec-error");
const _calendardate = require("./calendar-date");
const _identifiers = require("./identifiers");
const _messages = require("./messages");
const _parsemessage = require("./parse-message");

//# sourceMappingURL=index.js.map