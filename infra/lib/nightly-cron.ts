/**
 * Turns the five-field cron of NIGHTLY_CRON (minute hour day-of-month month
 * day-of-week, UTC, as the local `adrec schedule` reads it) into the
 * six-field form EventBridge Scheduler expects, so one setting means the same
 * time in both places. Scheduler wants `?` in one of the two day fields and
 * numbers days of the week 1-7 from Sunday, where cron uses 0-6 (or 7).
 */
export function toSchedulerCron(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`nightlyCron "${expression}" must have five fields: minute hour day-of-month month day-of-week`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (dayOfMonth !== '*' && dayOfWeek !== '*') {
    throw new Error(`nightlyCron "${expression}": EventBridge Scheduler cannot restrict both day-of-month and day-of-week`);
  }
  const days = dayOfWeek === '*' ? [dayOfMonth, '?'] : ['?', shiftWeekdayNumbers(dayOfWeek)];
  return `cron(${minute} ${hour} ${days[0]} ${month} ${days[1]} *)`;
}

function shiftWeekdayNumbers(field: string): string {
  return field
    .split(',')
    .map((part) => {
      // In "1-5/2" only the range holds weekdays; the step is a count.
      const [range, step] = part.split('/');
      if (/-7$/.test(range)) throw new Error(`day-of-week range ${range}: write Sunday as 0 and list it separately`);
      const shifted = range.replace(/\d+/g, (n) => {
        const day = Number(n);
        if (day > 7) throw new Error(`day-of-week ${n} is out of range 0-7`);
        return String((day % 7) + 1);
      });
      return step === undefined ? shifted : `${shifted}/${step}`;
    })
    .join(',');
}
