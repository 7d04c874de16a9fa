/**
 * --history DIR|s3://bucket/prefix of `audit`, `evaluate` and `scan` (issue 15): opened and
 * checked before any AWS audit call or file write (a corrupt or foreign file or object: exit 2
 * naming it); src/history/ does the rest.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
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

/**
 * The reports cannot go into the history folder (or below it): the next run would find
 * `trailaudit.json` there and refuse the history as holding a foreign file.
 */
function assertApart(historyFolder: string, outputDir: string): void {
  const within = relative(historyFolder, outputDir);
  const outside = within === '..' || within.startsWith(`..${sep}`) || isAbsolute(within);
  if (!outside) {
    throw new UsageError(`--history ${historyFolder} and --output-dir ${outputDir}: the reports cannot be written inside the history folder (it holds only index.json and runs/); use two folders`);
  }
}

export async function openHistory(location: string | undefined, cwd: string, access: S3AccessSource, outputDir?: string): Promise<HistoryStore | null> {
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
  const folder = resolve(cwd, location);
  if (outputDir !== undefined) {
    assertApart(folder, resolve(cwd, outputDir));
  }
  return openFolderHistory(folder);
}
