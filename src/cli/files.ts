import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Text is encoded a slice of this many UTF-16 code units at a time into one reused buffer.
 * Writing a multi-megabyte string in one call made Node encode all of it into a native buffer at
 * once, on top of the string (several MB of peak RSS at the end of a large audit); and slices this
 * small stay under V8's large-object size, which only a full GC frees.
 */
const SLICE = 1 << 16;

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Writes UTF-8 to an open file through one buffer. A surrogate pair is never split, neither
 * between slices nor between calls: a high surrogate that ends a call waits for the next one.
 */
class Utf8FileWriter {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
  private readonly buffer = Buffer.allocUnsafe(SLICE * 3);
  private carried = '';

  constructor(private readonly fd: number) {}

  write(chunk: string): void {
    let text = this.carried + chunk;
    this.carried = '';
    if (text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.carried = text.slice(-1);
      text = text.slice(0, -1);
    }
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + SLICE, text.length);
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) {
        end -= 1;
      }
      this.writeSlice(text.slice(start, end));
      start = end;
    }
  }

  /** A high surrogate left over at the very end is written alone (as U+FFFD, as Node would). */
  end(): void {
    this.writeSlice(this.carried);
    this.carried = '';
  }

  /** `slice` holds at most SLICE code units, so it fits the buffer. */
  private writeSlice(slice: string): void {
    const length = this.buffer.write(slice, 0, 'utf8');
    // write(2) may write less than asked; loop as writeFileSync does.
    for (let offset = 0; offset < length; ) {
      offset += writeSync(this.fd, this.buffer, offset, length - offset);
    }
  }
}

/** Every file this process has finished writing, in order (what an interrupted run reports). */
const completedWrites: string[] = [];

/** Files finished since the `since`-th write (see {@link writeCount}). */
export function filesWrittenSince(since: number): readonly string[] {
  return completedWrites.slice(since);
}

/** How many files this process has finished writing so far. */
export function writeCount(): number {
  return completedWrites.length;
}

/**
 * Node leaves `path` off the errors of write(2) and close(2) (ENOSPC, EDQUOT, EIO): the file's
 * path is added, so that the message the user sees names it.
 */
export function withPath(error: unknown, path: string): unknown {
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).path === undefined) {
    (error as NodeJS.ErrnoException).path = path;
  }
  return error;
}

/**
 * `mkdir -p`, one level at a time from the nearest folder that exists. Node's own recursive
 * mkdir retries forever where mkdir(2) answers ENOENT under a parent that exists (/proc/self/x):
 * an --output-dir there spun at full CPU and ignored Ctrl-C. Here each level is tried once.
 */
export function makeDirectories(directory: string): void {
  const missing: string[] = [];
  for (let current = directory; !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) {
      break;
    }
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (error) {
      // Made meanwhile by another process: fine. Anything else names the folder.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw withPath(error, level);
      }
    }
  }
}

/** A file to write: its path and its content, whole or in chunks (written as they are made). */
export interface FileToWrite {
  readonly path: string;
  readonly content: string | Iterable<string>;
}

/**
 * Write a file so that readers never see it half-written: write a sibling temp file, then
 * rename it over the target (atomic on the same filesystem). On failure the old file survives.
 * A report made in chunks (an iterable) is written as it is made, never joined into one string.
 */
export function writeFileAtomic(path: string, content: string | Iterable<string>): void {
  writeFilesAtomic([{ path, content }]);
}

/**
 * Write a set of files (a run's reports) all or nothing: every file is first written in full to
 * its temp file, and only when all of them are written are they renamed into place. A full disk
 * or a formatter error while writing the third report then leaves every earlier report of the
 * previous run as it was, instead of a mix of new and old reports that no longer agree.
 */
export function writeFilesAtomic(files: readonly FileToWrite[]): void {
  const staged: { readonly path: string; readonly temporary: string }[] = [];
  try {
    for (const { path, content } of files) {
      makeDirectories(dirname(path));
      const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
      staged.push({ path, temporary });
      writeWhole(temporary, content, path);
    }
  } catch (error) {
    for (const { temporary } of staged) {
      removeQuietly(temporary);
    }
    throw error;
  }
  // The earlier version of each report is kept under a second name (a hard link: no copy) until
  // every rename has succeeded, so a rename that fails (a report made read-only or immutable, a
  // folder in its place) puts back the reports already replaced: never a mix of old and new.
  const earlier: (string | null)[] = [];
  try {
    for (const { path } of staged) {
      earlier.push(keepEarlierVersion(path));
    }
  } catch (error) {
    for (const { temporary } of staged) {
      removeQuietly(temporary);
    }
    for (const kept of earlier) {
      if (kept !== null) {
        removeQuietly(kept);
      }
    }
    throw error;
  }
  for (const [index, { path, temporary }] of staged.entries()) {
    try {
      renameSync(temporary, path);
    } catch (error) {
      for (const [undo, done] of staged.slice(0, index).entries()) {
        restoreEarlierVersion(done.path, earlier[undo] ?? null);
      }
      for (const rest of staged.slice(index)) {
        removeQuietly(rest.temporary);
      }
      for (const kept of earlier.slice(index)) {
        if (kept !== null) {
          removeQuietly(kept);
        }
      }
      throw namingReport(error, temporary, path);
    }
  }
  for (const [index, { path }] of staged.entries()) {
    const kept = earlier[index];
    if (kept !== undefined && kept !== null) {
      removeQuietly(kept);
    }
    completedWrites.push(path);
  }
}

/**
 * A second name for the file at `path` (null when there is none yet). Something other than a
 * file there (a folder) cannot be replaced by a report: refused before anything is renamed.
 */
function keepEarlierVersion(path: string): string | null {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw withPath(error, path);
  }
  if (!stats.isFile()) {
    throw Object.assign(new Error(`${path} is not a file, so no report can replace it`), { code: 'EISDIR', syscall: 'replace', path });
  }
  const kept = `${path}.earlier-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    linkSync(path, kept);
  } catch {
    // A file system without hard links (or an immutable file): a copy serves the same purpose.
    try {
      copyFileSync(path, kept);
    } catch (error) {
      removeQuietly(kept);
      throw withPath(error, path);
    }
  }
  return kept;
}

/** Undo one rename: the earlier version back under its name, or no file where there was none. */
function restoreEarlierVersion(path: string, kept: string | null): void {
  try {
    if (kept === null) {
      rmSync(path, { force: true });
    } else {
      renameSync(kept, path);
    }
  } catch {
    // Best effort: the error being reported is the rename that failed first.
  }
}

/** The user knows the report's name, not its temp file's: the error names the report. */
function namingReport(error: unknown, temporary: string, path: string): unknown {
  if (error instanceof Error && (error as NodeJS.ErrnoException).path === temporary) {
    (error as NodeJS.ErrnoException).path = path;
  }
  return withPath(error, path);
}

/** Cleanup after a failure must not replace the failure's own error (ENOTDIR, EACCES). */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was made there, or it cannot be touched: the original error says why.
  }
}

function writeWhole(temporary: string, content: string | Iterable<string>, reportedPath: string): void {
  try {
    const fd = openSync(temporary, 'w');
    try {
      const writer = new Utf8FileWriter(fd);
      if (typeof content === 'string') {
        writer.write(content);
      } else {
        writeChunks(writer, content);
      }
      writer.end();
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw namingReport(error, temporary, reportedPath);
  }
}

/** Small chunks are gathered into one write of about a slice. */
function writeChunks(writer: Utf8FileWriter, chunks: Iterable<string>): void {
  let pending: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= SLICE) {
      writer.write(pending.join(''));
      pending = [];
      size = 0;
    }
  }
  writer.write(pending.join(''));
}
