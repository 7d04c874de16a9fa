/**
 * Where a history lives: a folder (here) or an S3 prefix (s3Store.ts), one interface: the index
 * is read once before the run; after it, the run is appended.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { readInputFile } from '../load/inputFile.js';
import { acquireLock, HistoryConflictError, LOCK_FILE, waitForUnlocked } from './folderLock.js';
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

/** Opens a history folder, checking every file in it (a missing folder is a new history). */
export function openFolderHistory(folder: string): HistoryStore {
  const names = entries(folder);
  const foreign = names.filter((name) => name !== INDEX_FILE && name !== RUNS_FOLDER && name !== LOCK_FILE);
  if (foreign.length > 0) {
    throw historyError(join(folder, foreign[0] ?? ''), '', 'not a file of a trailaudit history (a history folder holds only index.json and runs/)');
  }
  if (names.includes(RUNS_FOLDER) && !lstatSync(join(folder, RUNS_FOLDER)).isDirectory()) {
    // A link to another history's runs/ would make this one write into it (and break it).
    throw historyError(join(folder, RUNS_FOLDER), '', 'not a folder of its own (a symbolic link or a file): a history holds only its own files');
  }
  const runFiles = entries(join(folder, RUNS_FOLDER));
  let index = EMPTY_INDEX;
  const indexPath = join(folder, INDEX_FILE);
  // A run writing right now has its run file in runs/ and not yet in the index: wait for it.
  const lockPath = join(folder, LOCK_FILE);
  waitForUnlocked(lockPath);
  const versionRead = indexVersion(indexPath);
  if (names.includes(INDEX_FILE)) {
    index = parseIndex(readIndexText(indexPath) ?? '', indexPath);
  } else if (runFiles.length > 0) {
    throw historyError(join(folder, INDEX_FILE), '', 'missing: the history has runs but no index');
  }
  const listed = new Set(index.runs.map((run) => run.file));
  const unlisted = runFiles.find((name) => !listed.has(`${RUNS_FOLDER}/${name}`));
  if (unlisted !== undefined) {
    throw historyError(join(folder, RUNS_FOLDER, unlisted), '', 'not listed in the history index (a foreign file, or the index was replaced)');
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
