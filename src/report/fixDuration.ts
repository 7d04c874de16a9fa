/**
 * The mean time to fix (the history's `meanTimeToFix.days`) in words for people: days from one
 * day on, else hours, else minutes. Fixes minutes apart (a fix applied during the day) read
 * "25 minutes", not "0 days".
 */
const HOURS_PER_DAY = 24;
const MINUTES_PER_DAY = 24 * 60;

const oneDecimal = (value: number): string => String(Math.round(value * 10) / 10);
const unit = (value: string, one: string, many: string): string => `${value} ${value === '1' ? one : many}`;

export function fixDuration(days: number): string {
  if (days >= 1) {
    return unit(oneDecimal(days), 'day', 'days');
  }
  if (days * HOURS_PER_DAY >= 1) {
    return unit(oneDecimal(days * HOURS_PER_DAY), 'hour', 'hours');
  }
  const minutes = Math.round(days * MINUTES_PER_DAY);
  return minutes < 1 ? 'under a minute' : unit(String(minutes), 'minute', 'minutes');
}
