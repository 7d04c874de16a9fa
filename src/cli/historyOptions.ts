/**
 * --history DIR|s3://bucket/prefix of `audit`, `evaluate` and `scan` (issue 15): opened and
 * checked before any AWS audit call or file write (a corrupt or foreign file or object: exit 2
 * naming it); src/history/ does the rest.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import type { S3Access } from '../history/s3Client.js';
import { isS3Url, parseS3Location } from '../history/s3Location.js';
import { openFolderHistory, type HistoryStore } from '../history/store.js';

export const historyOption = (): Option =>
  new Option(
    '--history <dir|s3-url>',
    'a history folder or s3://bucket/prefix: adds this run, and gives each finding firstSeen/failingSince and the report a history section (created when missing)',
  );

/** How an S3 history is reached; a function, so that a bad AWS_ENDPOINT_URL matters only to an S3 history. */
export type S3AccessSource = () => S3Access;

/** The path with symbolic links resolved as far as it exists (the rest may be made by this run). */
function realPathOf(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) {
        return path;
      }
      rest.unshift(basename(existing));
      existing = parent;
    }
  }
}

/**
 * Nothing else the run writes (reports, a saved snapshot) may go into the history folder or below
 * it, also through a symbolic link: the next run would find it there and refuse the history as
 * holding a foreign file.
 */
function assertApart(historyFolder: string, writes: readonly string[]): void {
  const history = realPathOf(historyFolder);
  for (const write of writes) {
    const within = relative(history, realPathOf(write));
    const outside = within === '..' || within.startsWith(`..${sep}`) || isAbsolute(within);
    if (!outside) {
      throw new UsageError(`--history ${historyFolder}: ${write} is inside the history folder (it holds only index.json and runs/); write reports and snapshots elsewhere`);
    }
  }
}

export async function openHistory(location: string | undefined, cwd: string, access: S3AccessSource, writes: readonly string[] = []): Promise<HistoryStore | null> {
  if (location === undefined) {
    return null;
  }
  // '' would resolve to the working directory, whose other files the history would then refuse.
  if (location.trim() === '') {
    throw new UsageError('--history needs a folder or an s3://bucket/prefix URL, got an empty value');
  }
  if (isS3Url(location)) {
    const s3Location = parseS3Location(location);
    // The S3 SDK is loaded only for an S3 history.
    const { openS3HistoryWith } = await import('../history/s3Client.js');
    return openS3HistoryWith(s3Location, access());
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//iu.test(location)) {
    throw new UsageError(`--history ${location}: only a folder or an s3://bucket/prefix URL can hold a history`);
  }
  if (/^s3:/iu.test(location)) {
    // `s3:/bucket/x` would otherwise be a local folder named `s3:`, and the user's history not in S3.
    throw new UsageError(`--history ${location}: an S3 history is written s3://bucket/prefix (two slashes)`);
  }
  const folder = resolve(cwd, location);
  assertApart(folder, writes.map((write) => resolve(cwd, write)));
  return openFolderHistory(folder);
}
