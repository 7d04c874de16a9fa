/**
 * Spill folders left by killed validate-logs runs: which ones the next run removes, and that it
 * removes nothing else (live runs, other hosts, look-alike names, files, symlinks).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostTag, isAlive, removeStaleSpills, spillStem } from '../../src/cli/staleSpills.js';

/** A PID that just ended: a child that exited and was reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(pid > 0 && !isAlive(pid), 'the child is gone');
  return pid;
}

describe('stale validate-logs spill folders', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'trailaudit-spilltest-'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const folder = (name: string, withFile = true): string => {
    const path = join(scratch, name);
    mkdirSync(path);
    if (withFile) {
      writeFileSync(join(path, '0.ndjson'), '{"type":"gap"}\n');
    }
    return name;
  };

  it("names this run's folder after its host, PID and start time", () => {
    assert.match(spillStem(), new RegExp(`^trailaudit-validate-${hostTag()}-${String(process.pid)}-\\d{13}-$`, 'u'));
  });

  it('removes the folder of a run that no longer exists, with its files', () => {
    const dead = folder(`trailaudit-validate-${hostTag()}-${String(deadPid())}-1765000000000-AbC123`);
    assert.deepEqual(removeStaleSpills(scratch), [dead]);
    assert.deepEqual(readdirSync(scratch), []);
  });

  it("keeps live runs' folders (this process, a running child) and everything that is not exactly ours", () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 20000)'], { stdio: 'ignore' });
    try {
      const pid = sleeper.pid ?? 0;
      const dead = String(deadPid());
      const kept = [
        folder(`trailaudit-validate-${hostTag()}-${String(pid)}-1765000000000-AbC123`),
        folder(`trailaudit-validate-${hostTag()}-${String(process.pid)}-1765000000000-AbC123`),
        // Made on another host sharing TMPDIR: its PIDs are not ours to judge.
        folder(`trailaudit-validate-00000000-${dead}-1765000000000-AbC123`),
        // Look-alikes: an older name format, an extra suffix, a missing part.
        folder('trailaudit-validate-AbC123'),
        folder(`trailaudit-validate-${hostTag()}-${dead}-1765000000000-AbC123-x`),
        folder(`trailaudit-validate-${hostTag()}-${dead}-AbC123`),
      ];
      // A file, and a symlink to a folder of someone else's, under a matching name.
      const fileName = `trailaudit-validate-${hostTag()}-${dead}-1765000000000-File00`;
      writeFileSync(join(scratch, fileName), 'not a folder');
      const target = folder('precious');
      const linkName = `trailaudit-validate-${hostTag()}-${dead}-1765000000000-Link00`;
      symlinkSync(join(scratch, target), join(scratch, linkName));
      assert.deepEqual(removeStaleSpills(scratch), []);
      assert.deepEqual(readdirSync(scratch).sort(), [...kept, fileName, linkName, target].sort());
      assert.ok(existsSync(join(scratch, target, '0.ndjson')), 'the symlink target is untouched');
    } finally {
      sleeper.kill();
    }
  });

  it('asks the OS, not a guess, whether a PID is alive: a process of another user (EPERM) counts as alive', () => {
    assert.equal(isAlive(process.pid), true);
    // PID 1 exists on every Linux/macOS machine; as a non-root user kill(1, 0) answers EPERM.
    assert.equal(isAlive(1), true);
    assert.equal(isAlive(deadPid()), false);
  });

  it('never fails the run: an unreadable or missing TMPDIR removes nothing', () => {
    assert.deepEqual(removeStaleSpills(join(scratch, 'missing')), []);
  });
});
