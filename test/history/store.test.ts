/** The folder store's checks (src/history/store.ts), on real temp folders. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { EMPTY_INDEX } from '../../src/history/model.js';
import { openFolderHistory } from '../../src/history/store.js';
import { HistoryConflictError } from '../../src/history/folderLock.js';

describe('history folder store', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'trailaudit-store-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('a missing folder is a new, empty history', () => {
    assert.deepEqual(openFolderHistory(join(folder, 'new')).index, EMPTY_INDEX);
  });

  it('ignores the temp files of an interrupted write, refuses anything else', () => {
    writeFileSync(join(folder, 'index.json'), `${JSON.stringify(EMPTY_INDEX)}\n`);
    writeFileSync(join(folder, 'index.json.tmp-1234-0a1b2c3d'), 'half');
    writeFileSync(join(folder, 'index.json.earlier-1234-0a1b2c3d'), 'old');
    assert.deepEqual(openFolderHistory(folder).index, EMPTY_INDEX);
    writeFileSync(join(folder, 'index.json.bak'), 'mine');
    assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'index.json.bak'));
  });

  it('runs without an index: refused, naming the missing index', () => {
    mkdirSync(join(folder, 'runs'));
    writeFileSync(join(folder, 'runs', 'x.json'), '{}');
    assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'index.json'));
  });

  it('opened while another run writes the first run of a new history (its run file there, its index not yet): waits, then reads it', () => {
    // The writer: holds the lock (a live process on this host), has written its run file, and
    // writes the index 300 ms later, then lets go. Listing before waiting saw runs and no index.
    const index = { ...EMPTY_INDEX, runs: [{ file: 'runs/a.json', bytes: 2, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:00.000Z', scope: { accounts: [], regions: [], checks: [] }, counts: {} }] };
    mkdirSync(join(folder, 'runs'));
    writeFileSync(join(folder, 'runs', 'a.json'), '{}');
    const script = `setTimeout(() => { const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(join(folder, 'index.json'))}, ${JSON.stringify(JSON.stringify(index))}); fs.rmSync(${JSON.stringify(join(folder, 'index.json.lock'))}); }, 300);`;
    const writer = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    try {
      writeFileSync(join(folder, 'index.json.lock'), `${String(writer.pid)} ${hostname()}\n`);
      const opened = openFolderHistory(folder);
      assert.deepEqual(opened.index.runs.map((run) => run.file), ['runs/a.json']);
    } finally {
      writer.kill();
    }
  });

  it('a run listed in the index but missing: refused, naming it', () => {
    const index = { ...EMPTY_INDEX, runs: [{ file: 'runs/a.json', bytes: 2, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:00.000Z', scope: { accounts: [], regions: [], checks: [] }, counts: {} }] };
    writeFileSync(join(folder, 'index.json'), JSON.stringify(index));
    assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'runs', 'a.json') && /missing/u.test(error.message));
  });

  it('a symbolic link in place of a run or of the index: refused, naming it', () => {
    const elsewhere = join(folder, '..', `${folder.split('/').at(-1) ?? 'x'}-elsewhere.json`);
    writeFileSync(elsewhere, '{}');
    try {
      const index = { ...EMPTY_INDEX, runs: [{ file: 'runs/a.json', bytes: 2, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:00.000Z', scope: { accounts: [], regions: [], checks: [] }, counts: {} }] };
      writeFileSync(join(folder, 'index.json'), JSON.stringify(index));
      mkdirSync(join(folder, 'runs'));
      symlinkSync(elsewhere, join(folder, 'runs', 'a.json'));
      assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'runs', 'a.json') && /symbolic link/u.test(error.message));
      rmSync(join(folder, 'runs'), { recursive: true });
      rmSync(join(folder, 'index.json'));
      writeFileSync(elsewhere, JSON.stringify(EMPTY_INDEX));
      symlinkSync(elsewhere, join(folder, 'index.json'));
      assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'index.json') && /symbolic link/u.test(error.message));
    } finally {
      rmSync(elsewhere, { force: true });
    }
  });

  it('another run appended since this one opened the history: refused before anything is written', async () => {
    const first = openFolderHistory(folder);
    const second = openFolderHistory(folder);
    // The second run finishes first and writes its index (under the lock, released by its commit).
    const secondAppend = second.append('runs/b.json', '{}', EMPTY_INDEX);
    assert.ok(existsSync(join(folder, 'index.json.lock')), 'the lock is held while writing');
    const [, indexFile] = secondAppend.files;
    assert.ok(indexFile !== undefined && typeof indexFile.content === 'string');
    writeFileSync(indexFile.path, indexFile.content);
    await secondAppend.commit([]);
    assert.ok(!existsSync(join(folder, 'index.json.lock')), 'released');
    assert.throws(
      () => first.append('runs/a.json', '{}', EMPTY_INDEX),
      (error: unknown) => error instanceof HistoryConflictError && error.message.startsWith(join(folder, 'index.json')) && /another run added itself to the history/u.test(error.message),
    );
    assert.ok(!existsSync(join(folder, 'index.json.lock')), 'the refused run let go of the lock');
    // Opened again, it appends.
    const again = openFolderHistory(folder).append('runs/a.json', '{}', EMPTY_INDEX);
    assert.equal(again.files.length, 2);
    again.abandon();
    assert.ok(!existsSync(join(folder, 'index.json.lock')), 'abandon releases the lock');
  });

  it('a lock left by a run that died while writing (over 10 minutes old) neither blocks nor counts as a foreign file', () => {
    writeFileSync(join(folder, 'index.json'), JSON.stringify(EMPTY_INDEX));
    writeFileSync(join(folder, 'index.json.lock'), '12345\n');
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(join(folder, 'index.json.lock'), old, old);
    const store = openFolderHistory(folder);
    const append = store.append('runs/a.json', '{}', EMPTY_INDEX);
    assert.equal(readFileSync(join(folder, 'index.json.lock'), 'utf8'), `${String(process.pid)} ${hostname()}\n`, 'taken over by this run');
    append.abandon();
  });

  it('a fresh lock whose holder on this host no longer runs (killed while writing) is taken over at once', () => {
    writeFileSync(join(folder, 'index.json'), JSON.stringify(EMPTY_INDEX));
    // The pid of a process that has exited.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(folder, 'index.json.lock'), `${String(gone)} ${hostname()}\n`);
    const began = Date.now();
    const append = openFolderHistory(folder).append('runs/a.json', '{}', EMPTY_INDEX);
    assert.ok(Date.now() - began < 5_000, 'no wait for a dead holder');
    assert.equal(readFileSync(join(folder, 'index.json.lock'), 'utf8'), `${String(process.pid)} ${hostname()}\n`);
    append.abandon();
  });

  it('a FIFO as the index, a runs/ linked to another history, a run path leaving runs/: refused, naming them', () => {
    execFileSync('mkfifo', [join(folder, 'index.json')]);
    // Before reading: a FIFO would block the run for ever.
    assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'index.json'));
    rmSync(join(folder, 'index.json'));

    const other = mkdtempSync(join(tmpdir(), 'trailaudit-store-other-'));
    try {
      mkdirSync(join(other, 'runs'));
      writeFileSync(join(folder, 'index.json'), JSON.stringify(EMPTY_INDEX));
      symlinkSync(join(other, 'runs'), join(folder, 'runs'));
      assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'runs') && /not a folder of its own/u.test(error.message));
    } finally {
      rmSync(other, { recursive: true, force: true });
      rmSync(join(folder, 'runs'), { force: true });
    }

    const escaping = { ...EMPTY_INDEX, runs: [{ file: 'runs/../../escaped.json', bytes: 2, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:00.000Z', scope: { accounts: [], regions: [], checks: [] }, counts: {} }] };
    writeFileSync(join(folder, 'index.json'), JSON.stringify(escaping));
    assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.path === 'runs[0].file' && /not a run file of this history/u.test(error.message));
  });

  it('a file where the folder should be: refused', () => {
    writeFileSync(join(folder, 'file'), 'x');
    assert.throws(() => openFolderHistory(join(folder, 'file')), (error: unknown) => error instanceof InputError && /must be a folder/u.test(error.message));
  });

  it('an index with a bad time, a run listed twice or runs out of order: refused, naming the index and the path', () => {
    mkdirSync(join(folder, 'runs'));
    const run = (file: string, startedAt: string): Record<string, unknown> => ({ file, bytes: 2, startedAt, finishedAt: startedAt, scope: { accounts: [], regions: [], checks: [] }, counts: {} });
    writeFileSync(join(folder, 'runs', 'a.json'), '{}');
    writeFileSync(join(folder, 'runs', 'b.json'), '{}');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ results: { k: { control: 'CloudTrail.1', firstSeen: '2026-01-01T00:00:00.000Z', failingSince: 'yesterday' } } }, /failingSince \(an ISO 8601 time or null\)/u],
      [{ runs: [run('runs/a.json', '2026-01-01T00:00:00.000Z'), run('runs/a.json', '2026-01-02T00:00:00.000Z')] }, /listed twice/u],
      [{ runs: [run('runs/a.json', '2026-01-02T00:00:00.000Z'), run('runs/b.json', '2026-01-01T00:00:00.000Z')] }, /out of order/u],
    ];
    for (const [overrides, message] of cases) {
      writeFileSync(join(folder, 'index.json'), JSON.stringify({ ...EMPTY_INDEX, ...overrides }));
      assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'index.json') && message.test(error.message), String(message));
    }
  });
});

