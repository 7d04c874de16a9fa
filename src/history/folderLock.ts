/**
 * The write lock of a folder history: `index.json.lock`, created exclusively (O_EXCL) by the run
 * that is about to write, removed when its reports and the history are written. A folder has no
 * conditional write like S3's If-Match, and re-checking the index just before writing left a
 * window that ten runs started together on two CPUs did hit; the lock closes it.
 *
 * Synchronous, like the rest of the folder store: the wait sleeps the thread (Atomics.wait), which
 * is what a run that has nothing else to do until it may write should do.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { TrailauditError } from '../errors.js';

export const LOCK_FILE = 'index.json.lock';
/** How long a run waits for another run's write (a write of a few MB takes well under a second). */
const WAIT_MS = 30_000;
const POLL_MS = 25;
/**
 * A lock this old, or naming a process of this host that no longer runs, is a run that died while
 * writing: removed (the index check still guards).
 */
const STALE_MS = 10 * 60_000;

/** Another run changed or is changing the history: nothing of this run was recorded (exit 2). */
export class HistoryConflictError extends TrailauditError {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryConflictError';
  }
}

/** A synchronous pause (the folder store is synchronous, as the report writes are). */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The lock's content: who holds it, so a run on the same host can tell its holder died. */
function holderText(): string {
  return `${String(process.pid)} ${hostname()}\n`;
}

/** True when the lock names a process of this host that no longer runs (killed while writing). */
function holderIsGone(lockPath: string): boolean {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return false;
  }
  const [pid, host] = text.trim().split(' ');
  if (host !== hostname() || pid === undefined || !/^\d+$/u.test(pid)) {
    return false;
  }
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function ageMs(path: string): number | null {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** Waits until no run holds the lock (opening a history must not see another run half-written). */
export function waitForUnlocked(lockPath: string): void {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const age = ageMs(lockPath);
    if (age === null || age > STALE_MS || holderIsGone(lockPath)) {
      return;
    }
    if (Date.now() >= deadline) {
      throw new HistoryConflictError(`${lockPath}: another run has been writing this history for ${String(Math.round(age / 1000))} s; run again later (delete the lock file if no run is writing)`);
    }
    sleep(POLL_MS);
  }
}

/** Takes the lock, waiting for another run's write to finish; returns the function that releases it. */
export function acquireLock(lockPath: string): () => void {
  // A new history: its folder is made now (an empty folder is an empty history).
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, holderText());
      closeSync(fd);
      return () => {
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const age = ageMs(lockPath);
    if ((age !== null && age > STALE_MS) || holderIsGone(lockPath)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new HistoryConflictError(`${lockPath}: another run has been writing this history for over ${String(WAIT_MS / 1000)} s; this run's reports and history were not written (delete the lock file if no run is writing)`);
    }
    sleep(POLL_MS);
  }
}
