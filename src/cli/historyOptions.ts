/**
 * --history DIR of `audit`, `evaluate` and `scan` (issue 15): opened and checked before any AWS
 * call or file write (a corrupt or foreign file: exit 2 naming it); src/history/ does the rest.
 */
import { resolve } from 'node:path';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import { openFolderHistory, type HistoryStore } from '../history/store.js';

export const historyOption = (): Option =>
  new Option('--history <dir>', 'a history folder: adds this run, and gives each finding firstSeen/failingSince and the report a history section (created when missing)');

export function openHistory(location: string | undefined, cwd: string): HistoryStore | null {
  if (location === undefined) {
    return null;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//iu.test(location)) {
    throw new UsageError(`--history ${location}: only a folder is supported so far (S3 histories are planned)`);
  }
  return openFolderHistory(resolve(cwd, location));
}
