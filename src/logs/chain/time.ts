/**
 * CloudTrail's two date spellings: `20240102T030405Z` in digest keys and
 * `2024-01-02T03:04:05Z` in digest JSON and in the AWS CLI's output. All UTC.
 */
import { isCalendarDateTime } from '../../calendarDate.js';

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYYMMDDTHHMMSSZ`, as in digest file names. */
export function compactDate(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

/** `YYYY/MM/DD`, the date folders of digest and log keys. */
export function dateFolders(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: whole seconds, like the AWS CLI's display format. */
export function displayDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/u, 'Z');
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/u;

export function parseCompactDate(text: string): Date | null {
  const match = COMPACT.exec(text);
  if (match === null) {
    return null;
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/u;

/** Whether `text` is spelt like a time `parseUtc` reads (whether or not that day and hour exist). */
export function isUtcSyntax(text: string): boolean {
  return ISO.test(text.trim());
}

/**
 * A user- or digest-supplied time. ISO 8601 date or date-time; without a zone it is UTC (the AWS
 * CLI reads every time as UTC, and JavaScript would otherwise read it as local time). Fields that
 * do not exist (30 February, hour 24 or 25, an offset of +25:00) make it null, never a rolled-over
 * date: the same rule as rules.yaml's expiry dates (src/calendarDate.ts).
 */
export function parseUtc(text: string): Date | null {
  const match = ISO.exec(text.trim());
  if (match === null) {
    return null;
  }
  const [, y = '', mo = '', d = '', h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const fields = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (!isCalendarDateTime(...fields)) {
    return null;
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) {
      return null;
    }
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  const [year, month, day, hour, minute, second] = fields;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, Number(fraction.slice(1, 4).padEnd(3, '0'))));
  // Date.UTC reads years 0–99 as 1900–1999: the year is set on its own.
  date.setUTCFullYear(year);
  return new Date(date.getTime() - offsetMinutes * 60_000);
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}
