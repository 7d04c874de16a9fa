/**
 * Where a history lives: a folder (here) or an S3 prefix (s3Store.ts), one interface: the index
 * is read once before the run; after it, the run is appended.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { readInputFile } from '../load/inputFile.js';
import { acquireLock, HistoryConflictError, LOCK_FILE, sleep, waitForUnlocked } from './folderLock.js';
import { join } from 'node:path';
import type { FileToWrite } from '../cli/files.js';
import { parseIndex, historyError } from './indexFile.js';
import { EMPTY_INDEX, type HistoryIndex } from './model.js';

export interface HistoryStore {
  /** Where it is, as the user named it (messages). */
  readonly location: string;
  /** The index as it was before this run (empty for a new history). */
  readonly index: HistoryIndex;
  /** What adds a run: its report (`runFile`, e.g. `runs/….json`) and the next index. */
  append(runFile: string, report: string, index: HistoryIndex): HistoryAppend;
}

export interface HistoryAppend {
  /** Written with the reports, all or nothing (a folder history: the run and the index). */
  readonly files: readonly FileToWrite[];
  /**
   * After the reports are written (an S3 history: the run's object, then the index, the commit
   * point; a folder history: its write lock released). `written`: the reports' paths, named
   * should it fail (exit 2: the run is not recorded).
   */
  commit(written: readonly string[]): Promise<void>;
  /** When the files could not be written: lets go of what `append` holds (a folder's lock). */
  abandon(): void;
}

export const INDEX_FILE = 'index.json';
export const RUNS_FOLDER = 'runs';
/**
 * A temp file or kept earlier version left by a process killed mid-write (cli/files.ts names them
 * so): never the history's data, so it does not block later runs.
 */
const LEFTOVER_TEMP = /\.(tmp|earlier)-\d+-[0-9a-f]{8}$/u;

function entries(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => !LEFTOVER_TEMP.test(name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return [];
    }
    if (code === 'ENOTDIR') {
      throw historyError(folder, '', 'a history must be a folder');
    }
    throw error;
  }
}

/**
 * The index's text, or null when there is none yet; through the input reader, so a FIFO, a device
 * or a huge file in its place is refused (named) instead of hanging or exhausting the run.
 */
function readIndexText(path: string): string | null {
  try {
    regularFileSize(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
  return readInputFile(path, 'historyIndex');
}

/**
 * Which version of the index is there: every writer replaces it by a rename (a new inode), so
 * inode, size and modification time tell a changed index without reading it again.
 */
function indexVersion(path: string): string | null {
  try {
    const stats = lstatSync(path, { bigint: true });
    return `${String(stats.ino)}:${String(stats.size)}:${String(stats.mtimeNs)}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

/**
 * Size of a history file, refusing anything but a regular file: a symbolic link could make the
 * history read (and later runs trust) a file kept somewhere else, which its checks never saw.
 */
function regularFileSize(path: string): number {
  const stats = lstatSync(path);
  if (!stats.isFile()) {
    throw historyError(path, '', `${stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: a history holds only its own files`);
  }
  return stats.size;
}

const REREADS_WHILE_LOCKED = 40;
const REREAD_PAUSE_MS = 25;

/** What a history folder holds, read after any run writing it let go of its lock. */
interface FolderState {
  readonly names: readonly string[];
  readonly runFiles: readonly string[];
  readonly index: HistoryIndex;
  readonly versionRead: string | null;
  /** Why the folder is not a consistent history, or null. */
  readonly inconsistency: { readonly path: string; readonly problem: string } | null;
}

function readFolder(folder: string, lockPath: string): FolderState {
  // A run writing right now has its run file in runs/ and not yet in the index: wait for it, then
  // list. Listing first would see its run file next to the index it had not written yet.
  waitForUnlocked(lockPath);
  const names = entries(folder);
  const runFiles = entries(join(folder, RUNS_FOLDER));
  const indexPath = join(folder, INDEX_FILE);
  const versionRead = indexVersion(indexPath);
  let index = EMPTY_INDEX;
  if (names.includes(INDEX_FILE)) {
    index = parseIndex(readIndexText(indexPath) ?? '', indexPath);
  } else if (runFiles.length > 0) {
    return { names, runFiles, index, versionRead, inconsistency: { path: indexPath, problem: 'missing: the history has runs but no index' } };
  }
  const listed = new Set(index.runs.map((run) => run.file));
  const unlisted = runFiles.find((name) => !listed.has(`${RUNS_FOLDER}/${name}`));
  const inconsistency = unlisted === undefined ? null : { path: join(folder, RUNS_FOLDER, unlisted), problem: 'not listed in the history index (a foreign file, or the index was replaced)' };
  return { names, runFiles, index, versionRead, inconsistency };
}

/** Opens a history folder, checking every file in it (a missing folder is a new history). */
export function openFolderHistory(folder: string): HistoryStore {
  const lockPath = join(folder, LOCK_FILE);
  const indexPath = join(folder, INDEX_FILE);
  let state = readFolder(folder, lockPath);
  // Another run took the lock between the wait and the listing and wrote its run file: once it
  // lets go, its run is in the index. Only what stays inconsistent without a writer is refused
  // (a few more reads: each waits for the writer of the moment; a stale lock ends them quickly).
  for (let reread = 0; state.inconsistency !== null && existsSync(lockPath) && reread < REREADS_WHILE_LOCKED; reread += 1) {
    sleep(REREAD_PAUSE_MS);
    state = readFolder(folder, lockPath);
  }
  const { names, index, versionRead } = state;
  const foreign = names.filter((name) => name !== INDEX_FILE && name !== RUNS_FOLDER && name !== LOCK_FILE);
  if (foreign.length > 0) {
    throw historyError(join(folder, foreign[0] ?? ''), '', 'not a file of a trailaudit history (a history folder holds only index.json and runs/)');
  }
  if (names.includes(RUNS_FOLDER) && !lstatSync(join(folder, RUNS_FOLDER)).isDirectory()) {
    // A link to another history's runs/ would make this one write into it (and break it).
    throw historyError(join(folder, RUNS_FOLDER), '', 'not a folder of its own (a symbolic link or a file): a history holds only its own files');
  }
  if (state.inconsistency !== null) {
    throw historyError(state.inconsistency.path, '', state.inconsistency.problem);
  }
  // A size check per run: cheap (no parse), and catches a truncated or replaced report.
  for (const run of index.runs) {
    const path = join(folder, run.file);
    let bytes: number;
    try {
      bytes = regularFileSize(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      throw historyError(path, '', 'listed in the history index but missing');
    }
    if (bytes !== run.bytes) {
      throw historyError(path, '', `corrupt: ${bytes} bytes, the history index recorded ${run.bytes}`);
    }
  }
  return {
    location: folder,
    index,
    append: (runFile, report, next) => {
      // Another run on this history since this one read it (two schedules overlapping, a CI
      // retry): writing now would drop that run from the index and leave its report unlisted.
      // Under the lock, so no run can change the index between this check and this run's write.
      const release = acquireLock(lockPath);
      if (indexVersion(indexPath) !== versionRead) {
        release();
        throw new HistoryConflictError(`${indexPath}: another run added itself to the history while this one ran, so this run's reports and history were not written; run again`);
      }
      return {
        files: [
        { path: join(folder, runFile), content: report },
          { path: indexPath, content: `${JSON.stringify(next)}\n` },
        ],
        commit: () => {
          release();
          return Promise.resolve();
        },
        abandon: release,
      };
    },
  };
}
