/**
 * Spill folders of validate-logs runs that were killed (SIGKILL, a crash, the OOM killer) cannot
 * remove themselves; the next run removes them. A folder is named after the run that made it —
 * `trailaudit-validate-<host>-<pid>-<start ms>-XXXXXX` — and only a folder whose name matches that
 * exactly, that is a real directory (not a symlink), owned by this user, made on this host, by a
 * process that no longer exists, is removed. A live run's folder is never touched; when in doubt
 * (a PID reused by another process, a platform without user ids) the folder is kept.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const SPILL_PREFIX = 'trailaudit-validate-';

/** Another machine (or container) sharing TMPDIR has PIDs of its own: only this host's are judged. */
export function hostTag(): string {
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
}

/** The name stem of this process's spill folder; mkdtemp appends six random characters. */
export function spillStem(): string {
  return `${SPILL_PREFIX}${hostTag()}-${String(process.pid)}-${String(Math.round(performance.timeOrigin))}-`;
}

const SPILL_NAME = /^trailaudit-validate-([0-9a-f]{8})-(\d{1,10})-(\d{1,15})-[A-Za-z0-9]{6}$/u;

/** true unless the OS says there is no such process (EPERM: it exists, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the spill folders of dead runs in `folder` and returns their names. Never fails the run
 * that calls it: a folder that cannot be read or removed is left as it is.
 */
export function removeStaleSpills(folder: string, alive: (pid: number) => boolean = isAlive): string[] {
  const uid = process.getuid?.();
  if (uid === undefined) {
    return [];
  }
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const host = hostTag();
  const removed: string[] = [];
  for (const name of names) {
    const match = SPILL_NAME.exec(name);
    if (match === null || match[1] !== host) {
      continue;
    }
    const pid = Number(match[2]);
    if (pid === process.pid || pid <= 0 || alive(pid)) {
      continue;
    }
    const path = join(folder, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isDirectory() || stat.uid !== uid) {
        continue;
      }
      rmSync(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone already (another run swept it) or not ours to remove: either way, leave it.
    }
  }
  return removed;
}
