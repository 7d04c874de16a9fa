/**
 * Every input file trailaudit reads (rules, check files, snapshots, baselines, templates and
 * plans, public-key files) is read through here, so that no input can hang or exhaust a run:
 * - only regular files are read. A FIFO would block the open (or the read) until some writer
 *   appears, and a device such as /dev/zero never ends; both are refused from `stat` before the
 *   file is opened, and checked again on the opened descriptor (the path may have been swapped
 *   in between), which is opened non-blocking so that even a swapped-in FIFO cannot block;
 * - at most `limit + 1` bytes are ever read, even from a file that grows while it is read, so a
 *   file over its limit costs one bounded read and a clear error (exit 2), not a native
 *   out-of-memory abort a minute later.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError } from '../errors.js';

const MIB = 1024 * 1024;

/** What each kind of input file may weigh; see the README ("Input limits") for why each is enough. */
export const INPUT_LIMITS = {
  rules: { bytes: 8 * MIB, what: 'rules file' },
  check: { bytes: 1 * MIB, what: 'check file' },
  caseTable: { bytes: 8 * MIB, what: 'case table' },
  snapshot: { bytes: 256 * MIB, what: 'snapshot' },
  baseline: { bytes: 256 * MIB, what: 'baseline report' },
  // `security-hub import` and `compare`: a report of the same estate as a baseline.
  report: { bytes: 256 * MIB, what: 'report' },
  scan: { bytes: 256 * MIB, what: 'scanned file (template or plan)' },
  // Checked once a scanned file turns out not to be a plan: CloudFormation itself accepts
  // templates of at most 1 MB, and parsing YAML with positions is the slowest part of a scan.
  template: { bytes: 16 * MIB, what: 'CloudFormation template' },
  publicKeys: { bytes: 16 * MIB, what: 'public-key file' },
  // A few hundred bytes an account even as `aws organizations list-accounts` JSON: far more accounts than any organization holds.
  accounts: { bytes: 4 * MIB, what: 'accounts file' },
  // 365 daily runs of a 2,000-finding organization make a 2 MB index (BENCHMARKS.md).
  historyIndex: { bytes: 64 * MIB, what: 'history index' },
} as const satisfies Record<string, { bytes: number; what: string }>;

export type InputKind = keyof typeof INPUT_LIMITS;

/**
 * Raises every limit to this many MiB (never lowers one). For the rare estate whose snapshot or
 * plan really is larger; Node cannot hold a text over 512 MiB, so that is the ceiling.
 */
export const LIMIT_VARIABLE = 'TRAILAUDIT_MAX_INPUT_MB';
const CEILING_MIB = 512;

/** An input file that could not be read, is not a regular file, or is over its limit. */
export class InputFileError extends InputError {
  /** The problem without the path (for callers that print the path themselves). */
  readonly problem: string;

  constructor(file: string, problem: string) {
    super([{ file, line: 0, column: 0, path: '', message: problem }]);
    this.problem = problem;
  }
}

/**
 * Checks {@link LIMIT_VARIABLE} once, before a command reads anything: a bad value is one error
 * (exit 2), not one per file read.
 */
export function checkLimitVariable(env: NodeJS.ProcessEnv = process.env): void {
  inputLimit('rules', env);
}

/** The limit in force for `kind`, with {@link LIMIT_VARIABLE} applied. */
export function inputLimit(kind: InputKind, env: NodeJS.ProcessEnv = process.env): number {
  const base = INPUT_LIMITS[kind].bytes;
  const raised = env[LIMIT_VARIABLE];
  if (raised === undefined || raised.trim() === '') {
    return base;
  }
  const mib = Number(raised);
  if (!Number.isFinite(mib) || mib <= 0) {
    throw new InputFileError(LIMIT_VARIABLE, `"${raised}" is not a size in MiB (a number, at most ${CEILING_MIB})`);
  }
  return Math.max(base, Math.min(mib, CEILING_MIB) * MIB);
}

function megabytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;
}

/** Why a file of this type cannot be read as an input, or null for a regular file. */
export function notARegularFile(stats: Stats): string | null {
  if (stats.isFile()) {
    return null;
  }
  if (stats.isDirectory()) {
    return 'is a directory; expected a file';
  }
  const type = stats.isFIFO()
    ? 'a FIFO (named pipe)'
    : stats.isCharacterDevice()
      ? 'a character device'
      : stats.isBlockDevice()
        ? 'a block device'
        : stats.isSocket()
          ? 'a socket'
          : 'a special file';
  return `is ${type}, not a regular file: trailaudit reads inputs only from regular files (a pipe or a device could block or never end)`;
}

/**
 * Rejects when `path` is not a regular file: for readers that read a file asynchronously or as a
 * stream (validate-logs' local copy of a bucket), where a FIFO would block forever and a device
 * would never end.
 */
export async function assertRegularFile(path: string): Promise<void> {
  const problem = notARegularFile(await stat(path));
  if (problem !== null) {
    throw new Error(`${path} ${problem}`);
  }
}

/** The problem of a text of `length` characters over the limit of `kind`, or null. */
export function overLimit(kind: InputKind, length: number): string | null {
  const limit = inputLimit(kind);
  return length > limit ? tooLarge(kind, megabytes(length), limit) : null;
}

function tooLarge(kind: InputKind, size: string, limit: number): string {
  return (
    `is ${size}, over the ${megabytes(limit)} limit for a ${INPUT_LIMITS[kind].what}; ` +
    `check that this is the intended file, or raise every input limit with ${LIMIT_VARIABLE}=<MiB> (at most ${CEILING_MIB})`
  );
}

/**
 * Read a whole input file as UTF-8 text (as `readFileSync(path, 'utf8')` would), or throw an
 * {@link InputFileError} naming `display` (default: the path) and saying why not.
 */
export function readInputFile(path: string, kind: InputKind, display: string = path): string {
  const limit = inputLimit(kind);
  const fail = (problem: string): never => {
    throw new InputFileError(display, problem);
  };
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return fail(`cannot read ${INPUT_LIMITS[kind].what}: ${(error as Error).message}`);
  }
  const special = notARegularFile(stats);
  if (special !== null) {
    return fail(special);
  }
  if (stats.size > limit) {
    return fail(tooLarge(kind, megabytes(stats.size), limit));
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return fail(`cannot read ${INPUT_LIMITS[kind].what}: ${(error as Error).message}`);
  }
  try {
    const opened = notARegularFile(fstatSync(fd));
    if (opened !== null) {
      return fail(opened);
    }
    // One byte more than the file's size, to notice growth; never more than limit + 1 in all.
    let buffer = Buffer.allocUnsafe(Math.min(stats.size, limit) + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > limit) {
          return fail(tooLarge(kind, `more than ${megabytes(limit)} (it grew while being read)`, limit));
        }
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(grown, 0, 0, total);
        buffer = grown;
      }
      const read = readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) {
        break;
      }
      total += read;
    }
    return buffer.toString('utf8', 0, total);
  } catch (error) {
    if (error instanceof InputFileError) {
      throw error;
    }
    return fail(`cannot read ${INPUT_LIMITS[kind].what}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}
