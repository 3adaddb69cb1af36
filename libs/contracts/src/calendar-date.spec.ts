import { addDays, dateRange, isCalendarDate, isTimestamp, todayUtc, windowDates } from './calendar-date';

describe('isCalendarDate', () => {
  it.each(['2022-01-01', '2024-02-29', '2022-12-31', '2023-04-30'])('accepts %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    '0000-01-01',
    '0999-12-31',
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
    '',
  ])('rejects %j', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });
});

describe('isTimestamp', () => {
  it.each([
    '2022-04-14T02:00:00.000Z',
    '2022-04-14T02:00:00Z',
    '2022-04-14T02:00Z',
    '2022-04-14T04:00:00.5+02:00',
    '2022-04-14T02:00:00.123456789-05:30',
  ])('accepts %s', (value) => {
    expect(isTimestamp(value)).toBe(true);
  });

  it.each([
    'yesterday',
    '',
    '2022-04-14',
    '2022-04-14 02:00:00Z',
    '2022-04-14T02:00:00',
    '2022-02-30T00:00:00Z',
    '2022-04-14T24:00:00Z',
    '0000-01-01T00:00:00Z',
    '1649901600000',
    '2022-04-14T02:00:00Z trailing',
  ])('rejects %j', (value) => {
    expect(isTimestamp(value)).toBe(false);
  });
});

describe('addDays', () => {
  it('moves back across a month end', () => {
    expect(addDays('2022-03-01', -1)).toBe('2022-02-28');
  });

  it('moves forward across a year end', () => {
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(addDays('2023-01-01', -1)).toBe('2022-12-31');
  });

  it('lands on 29 February in a leap year', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('returns the same date for zero days', () => {
    expect(addDays('2022-06-15', 0)).toBe('2022-06-15');
  });
});

describe('windowDates', () => {
  it('lists the W days ending at the run date, oldest first', () => {
    expect(windowDates('2022-03-01', 3)).toEqual(['2022-02-27', '2022-02-28', '2022-03-01']);
  });

  it('is just the run date for a one-day window', () => {
    expect(windowDates('2022-04-14', 1)).toEqual(['2022-04-14']);
  });
});

describe('dateRange', () => {
  it('lists every date from the first to the last, inclusive', () => {
    expect(dateRange('2022-12-30', '2023-01-02')).toEqual(['2022-12-30', '2022-12-31', '2023-01-01', '2023-01-02']);
  });

  it('is one date when both ends are equal', () => {
    expect(dateRange('2022-05-05', '2022-05-05')).toEqual(['2022-05-05']);
  });

  it('is empty when the range runs backwards', () => {
    expect(dateRange('2022-05-06', '2022-05-05')).toEqual([]);
  });
});

describe('todayUtc', () => {
  it('is the UTC date of the given instant', () => {
    expect(todayUtc(new Date('2022-04-14T23:30:00-02:00'))).toBe('2022-04-15');
  });
});
