const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The first year adrec accepts. Year 0 does not exist in PostgreSQL's
 * calendar (`0000-01-01` made GET /runs answer 500); from 1000 on, a date
 * and every date of its window keep four-digit years in JavaScript and
 * PostgreSQL alike.
 */
export const FIRST_CALENDAR_YEAR = 1000;

/** The rule in words, for error messages. */
export const CALENDAR_DATE_RULE = `a calendar date YYYY-MM-DD from ${FIRST_CALENDAR_YEAR}-01-01 to 9999-12-31`;

/** True for a real `YYYY-MM-DD` calendar date from year 1000 to 9999 (2022-02-29 is not one). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_SHAPE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < FIRST_CALENDAR_YEAR || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `addDays('2022-03-01', -1)` is `'2022-02-28'`; dates are UTC calendar days. */
export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** The W dates of a run's window, oldest first: [D-W+1, D]. */
export function windowDates(runDate: string, windowDays: number): string[] {
  const dates: string[] = [];
  for (let offset = windowDays - 1; offset >= 0; offset--) dates.push(addDays(runDate, -offset));
  return dates;
}

/** Every date from `from` to `to` inclusive, oldest first. */
export function dateRange(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** Today's UTC date as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** `2022-04-14T02:00:00Z` or `2022-04-14T04:00:00.123+02:00`: a date, a time and a zone, as `toISOString` writes it. */
const TIMESTAMP_SHAPE = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** True for an ISO 8601 instant with a calendar date (see `isCalendarDate`), a time and a UTC offset. */
export function isTimestamp(value: string): boolean {
  const match = TIMESTAMP_SHAPE.exec(value);
  return match !== null && isCalendarDate(match[1]) && Number.isFinite(Date.parse(value));
}
