/** The folder store's checks (src/history/store.ts), on real temp folders. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { EMPTY_INDEX } from '../../src/history/model.js';
import { openFolderHistory } from '../../src/history/store.js';

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

  it('a run listed in the index but missing: refused, naming it', () => {
    const index = { ...EMPTY_INDEX, runs: [{ file: 'runs/a.json', bytes: 2, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:00.000Z', scope: { accounts: [], regions: [], checks: [] }, counts: {} }] };
    writeFileSync(join(folder, 'index.json'), JSON.stringify(index));
    assert.throws(() => openFolderHistory(folder), (error: unknown) => error instanceof InputError && error.issues[0]?.file === join(folder, 'runs', 'a.json') && /missing/u.test(error.message));
  });

  it('a file where the folder should be: refused', () => {
    writeFileSync(join(folder, 'file'), 'x');
    assert.throws(() => openFolderHistory(join(folder, 'file')), (error: unknown) => error instanceof InputError && /must be a folder/u.test(error.message));
  });
});
