import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectories, writeFileAtomic, writeFilesAtomic } from '../../src/cli/files.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-files-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const roundTrip = (content: string): void => {
    const path = join(dir, 'nested', 'report.json');
    writeFileAtomic(path, content);
    assert.ok(readFileSync(path).equals(Buffer.from(content, 'utf8')));
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['report.json'], 'no temp file is left behind');
  };

  it('writes small and empty files', () => {
    roundTrip('');
    roundTrip('{"a": 1}\n');
  });

  it('writes content larger than one slice byte for byte, multi-byte characters included', () => {
    roundTrip('{"message": "trail → bucket — ok", "é": "ü"}\n'.repeat(60_000));
  });

  it('keeps a surrogate pair together where a slice ends', () => {
    const slice = 1 << 16;
    // The emoji's high surrogate is the last code unit of the first slice.
    roundTrip(`${'x'.repeat(slice - 1)}😀${'y'.repeat(10)}`);
    roundTrip(`${'x'.repeat(slice - 2)}😀😀${'y'.repeat(slice)}`);
  });

  it('writes chunks (an iterable) byte for byte, a pair split across chunks included', () => {
    const path = join(dir, 'chunks.json');
    // The first chunk fills a write exactly and ends in the emoji's high surrogate.
    const chunks = [`${'x'.repeat((1 << 16) - 1)}\ud83d`, '\ude00', '"}', ...Array.from({ length: 50_000 }, () => 'é€,')];
    writeFileAtomic(path, chunks);
    assert.ok(readFileSync(path).equals(Buffer.from(chunks.join(''), 'utf8')));
  });

  it('replaces an existing file', () => {
    const path = join(dir, 'report.json');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, 'new');
    assert.equal(readFileSync(path, 'utf8'), 'new');
  });
});

describe('writeFilesAtomic (a run\'s reports, all or nothing)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-files-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves every earlier report as it was when a later one fails midway, and no temp file', () => {
    writeFilesAtomic([
      { path: join(dir, 'a.json'), content: 'old a' },
      { path: join(dir, 'b.xml'), content: 'old b' },
    ]);
    function* failing(): Generator<string> {
      yield 'half of b';
      throw new Error('formatter broke');
    }
    assert.throws(() => {
      writeFilesAtomic([
        { path: join(dir, 'a.json'), content: 'new a' },
        { path: join(dir, 'b.xml'), content: failing() },
      ]);
    }, /formatter broke/u);
    assert.equal(readFileSync(join(dir, 'a.json'), 'utf8'), 'old a');
    assert.equal(readFileSync(join(dir, 'b.xml'), 'utf8'), 'old b');
    assert.deepEqual(readdirSync(dir).sort(), ['a.json', 'b.xml']);
  });

  const earlierSet = (): void => {
    writeFilesAtomic(['a.json', 'b.xml', 'c.md'].map((name) => ({ path: join(dir, name), content: `old ${name}` })));
  };
  const newSet = (): void => {
    writeFilesAtomic(['a.json', 'b.xml', 'c.md'].map((name) => ({ path: join(dir, name), content: `new ${name}` })));
  };
  const contents = (): Record<string, string> =>
    Object.fromEntries(['a.json', 'b.xml'].map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

  it('refuses, before replacing anything, a set where a folder stands in place of one report', () => {
    earlierSet();
    rmSync(join(dir, 'c.md'));
    mkdirSync(join(dir, 'c.md'));
    assert.throws(newSet, (error: NodeJS.ErrnoException) => error.path === join(dir, 'c.md'));
    assert.deepEqual(contents(), { 'a.json': 'old a.json', 'b.xml': 'old b.xml' });
    assert.deepEqual(readdirSync(dir).sort(), ['a.json', 'b.xml', 'c.md']);
  });

  // The last rename fails (an immutable report): the two reports already replaced are put back.
  it('puts back the reports already replaced when a later rename fails (chattr +i)', function () {
    earlierSet();
    const locked = join(dir, 'c.md');
    if (spawnSync('chattr', ['+i', locked]).status !== 0) {
      this.skip(); // needs root on a file system with inode flags
    }
    try {
      assert.throws(newSet, (error: NodeJS.ErrnoException) => error.path === locked);
    } finally {
      spawnSync('chattr', ['-i', locked]);
    }
    assert.deepEqual(contents(), { 'a.json': 'old a.json', 'b.xml': 'old b.xml' });
    assert.equal(readFileSync(locked, 'utf8'), 'old c.md');
    assert.deepEqual(readdirSync(dir).sort(), ['a.json', 'b.xml', 'c.md'], 'no temp file and no kept copy is left');
  });

  it('names the report, not its temp file, when the target cannot be written', () => {
    const blocked = join(dir, 'blocked');
    writeFilesAtomic([{ path: blocked, content: 'a file where a folder is expected' }]);
    assert.throws(
      () => {
        writeFilesAtomic([{ path: join(blocked, 'trailaudit.json'), content: '{}' }]);
      },
      (error: NodeJS.ErrnoException) => error.path === blocked || error.path === join(blocked, 'trailaudit.json'),
    );
  });
});

describe('makeDirectories', () => {
  it('creates every missing level', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-mkdir-'));
    try {
      makeDirectories(join(dir, 'a', 'b', 'c'));
      assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['c']);
      makeDirectories(join(dir, 'a', 'b', 'c')); // already there: nothing to do
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Node's recursive mkdir loops forever here (mkdir answers ENOENT under a parent that exists).
  it('fails at once, naming the folder, where mkdir answers ENOENT under an existing parent (/proc)', function () {
    if (!existsSync('/proc/self')) {
      this.skip();
    }
    assert.throws(
      () => {
        makeDirectories('/proc/self/trailaudit-reports/x');
      },
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT' && error.path === '/proc/self/trailaudit-reports',
    );
  });
});
