"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _calendardate = require("./calendar-date");
describe('isCalendarDate', ()=>{
    it.each([
        '2022-01-01',
        '2024-02-29',
        '2022-12-31',
        '2023-04-30'
    ])('accepts %s', (date)=>{
        expect((0, _calendardate.isCalendarDate)(date)).toBe(true);
    });
    it.each([
        '2023-02-29',
        '2022-13-01',
        '2022-00-10',
        '2022-04-31',
        '2022-01-00',
        '2022-1-01',
        '2022-01-1',
        '20220101',
        '2022-01-01T00:00:00Z',
        ' 2022-01-01',
        ''
    ])('rejects %j', (date)=>{
        expect((0, _calendardate.isCalendarDate)(date)).toBe(false);
    });
});
describe('addDays', ()=>{
    it('moves back across a month end', ()=>{
        expect((0, _calendardate.addDays)('2022-03-01', -1)).toBe('2022-02-28');
    });
    it('moves forward across a year end', ()=>{
        expect((0, _calendardate.addDays)('2022-12-31', 1)).toBe('2023-01-01');
        expect((0, _calendardate.addDays)('2023-01-01', -1)).toBe('2022-12-31');
    });
    it('lands on 29 February in a leap year', ()=>{
        expect((0, _calendardate.addDays)('2024-02-28', 1)).toBe('2024-02-29');
    });
    it('returns the same date for zero days', ()=>{
        expect((0, _calendardate.addDays)('2022-06-15', 0)).toBe('2022-06-15');
    });
});
describe('windowDates', ()=>{
    it('lists the W days ending at the run date, oldest first', ()=>{
        expect((0, _calendardate.windowDates)('2022-03-01', 3)).toEqual([
            '2022-02-27',
            '2022-02-28',
            '2022-03-01'
        ]);
    });
    it('is just the run date for a one-day window', ()=>{
        expect((0, _calendardate.windowDates)('2022-04-14', 1)).toEqual([
            '2022-04-14'
        ]);
    });
});
describe('dateRange', ()=>{
    it('lists every date from the first to the last, inclusive', ()=>{
        expect((0, _calendardate.dateRange)('2022-12-30', '2023-01-02')).toEqual([
            '2022-12-30',
            '2022-12-31',
            '2023-01-01',
            '2023-01-02'
        ]);
    });
    it('is one date when both ends are equal', ()=>{
        expect((0, _calendardate.dateRange)('2022-05-05', '2022-05-05')).toEqual([
            '2022-05-05'
        ]);
    });
    it('is empty when the range runs backwards', ()=>{
        expect((0, _calendardate.dateRange)('2022-05-06', '2022-05-05')).toEqual([]);
    });
});
describe('todayUtc', ()=>{
    it('is the UTC date of the given instant', ()=>{
        expect((0, _calendardate.todayUtc)(new Date('2022-04-14T23:30:00-02:00'))).toBe('2022-04-15');
    });
});

//# sourceMappingURL=calendar-date.spec.js.map