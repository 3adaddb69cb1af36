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
    get addDays () {
        return addDays;
    },
    get dateRange () {
        return dateRange;
    },
    get isCalendarDate () {
        return isCalendarDate;
    },
    get todayUtc () {
        return todayUtc;
    },
    get windowDates () {
        return windowDates;
    }
});
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isCalendarDate(value) {
    const match = DATE_SHAPE.exec(value);
    if (!match) return false;
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (month < 1 || month > 12 || day < 1) return false;
    return day <= daysInMonth(year, month);
}
function daysInMonth(year, month) {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
function addDays(date, days) {
    const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
    return new Date(time).toISOString().slice(0, 10);
}
function windowDates(runDate, windowDays) {
    const dates = [];
    for(let offset = windowDays - 1; offset >= 0; offset--)dates.push(addDays(runDate, -offset));
    return dates;
}
function dateRange(from, to) {
    const dates = [];
    for(let date = from; date <= to; date = addDays(date, 1))dates.push(date);
    return dates;
}
function todayUtc(now = new Date()) {
    return now.toISOString().slice(0, 10);
}

//# sourceMappingURL=calendar-date.js.map