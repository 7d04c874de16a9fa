/**
 * One rule for every date a user types (rules.yaml expiries, validate-logs' --start-time and
 * --end-time): the fields must name a real calendar instant. JavaScript's Date silently rolls
 * 30 February over to 2 March and 24:00 over to the next day, so a typo would quietly move a
 * suppression's expiry or the window being validated; here it is refused instead.
 */

/** Whether the fields round-trip through a UTC Date unchanged (month 1–12, hour 0–23, …). */
export function isCalendarDateTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): boolean {
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) {
    return false;
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC maps years 0–99 to 1900–1999; setting the year again keeps them as written.
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

/** A `YYYY-MM-DD` date that exists in the calendar. */
export function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text);
  return match !== null && isCalendarDateTime(Number(match[1]), Number(match[2]), Number(match[3]));
}
