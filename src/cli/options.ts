/** Option parsers shared by the commands (commander calls them; a bad value is a usage error, exit 2). */
import { InvalidArgumentError } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../engine/types.js';

export function list(value: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) {
    throw new InvalidArgumentError('expected a comma-separated list');
  }
  return items;
}

/** A comma-separated list of formats among `allowed` (default: every report format). */
export function formatList<F extends string = ReportFormat>(allowed: readonly F[] = REPORT_FORMATS as readonly string[] as readonly F[]) {
  return (value: string): F[] => {
    const items = list(value);
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw new InvalidArgumentError(`unknown format "${item}"; expected ${allowed.join(', ')}`);
      }
    }
    return items as F[];
  };
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 256) {
    throw new InvalidArgumentError('expected an integer between 1 and 256');
  }
  return parsed;
}
