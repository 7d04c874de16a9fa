import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { INPUT_LIMITS, InputFileError, inputLimit, LIMIT_VARIABLE, readInputFile } from '../../src/load/inputFile.js';

const problemOf = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof InputFileError, `expected an InputFileError, got ${String(error)}`);
    assert.ok(error instanceof InputError, 'the CLI reports it as bad input (exit 2)');
    return error.problem;
  }
  assert.fail('expected the read to be refused');
};

describe('readInputFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-input-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a regular file as UTF-8, as readFileSync would (byte-order mark kept)', () => {
    const path = join(dir, 'rules.yaml');
    writeFileSync(path, '\uFEFFversion: 1 # é → ü\n');
    assert.equal(readInputFile(path, 'rules'), '\uFEFFversion: 1 # é → ü\n');
    writeFileSync(path, '');
    assert.equal(readInputFile(path, 'rules'), '');
  });

  it('reads past the size stat reports (a file that grew, or a /proc file of size 0)', function () {
    if (process.platform !== 'linux') {
      this.skip();
    }
    assert.match(readInputFile('/proc/self/status', 'rules'), /^Name:/mu);
  });

  it('refuses a FIFO at once, without opening it for a blocking read', () => {
    const fifo = join(dir, 'rules.yaml');
    execFileSync('mkfifo', [fifo]);
    // No writer ever opens it: a blocking open or read would hang this test until its timeout.
    assert.match(problemOf(() => readInputFile(fifo, 'rules')), /^is a FIFO \(named pipe\), not a regular file/u);
  });

  it('refuses a character device (/dev/zero never ends) and a directory, naming the file', () => {
    assert.match(problemOf(() => readInputFile('/dev/zero', 'publicKeys')), /^is a character device, not a regular file/u);
    mkdirSync(join(dir, 'snap.json'));
    assert.equal(problemOf(() => readInputFile(join(dir, 'snap.json'), 'snapshot')), 'is a directory; expected a file');
    try {
      readInputFile('/dev/zero', 'rules', 'shown.yaml');
    } catch (error) {
      assert.match((error as Error).message, /^shown\.yaml: is a character device/u, 'the message names the given display path');
    }
  });

  it('refuses a file over its limit with the size, the limit and how to proceed', () => {
    const path = join(dir, 'CloudTrail.1.yaml');
    writeFileSync(path, Buffer.alloc(INPUT_LIMITS.check.bytes + 1, 0x20));
    assert.equal(
      problemOf(() => readInputFile(path, 'check')),
      `is 1.0 MiB, over the 1.0 MiB limit for a check file; check that this is the intended file, or raise every input limit with ${LIMIT_VARIABLE}=<MiB> (at most 512)`,
    );
    writeFileSync(path, Buffer.alloc(INPUT_LIMITS.check.bytes, 0x20));
    assert.equal(readInputFile(path, 'check').length, INPUT_LIMITS.check.bytes, 'exactly the limit is accepted');
  });

  it('says why a missing file cannot be read', () => {
    assert.match(problemOf(() => readInputFile(join(dir, 'nope.yaml'), 'rules')), /^cannot read rules file: ENOENT/u);
  });

  it(`${LIMIT_VARIABLE} raises every limit, never lowers one, and is itself validated`, () => {
    assert.equal(inputLimit('check', {}), INPUT_LIMITS.check.bytes);
    assert.equal(inputLimit('check', { [LIMIT_VARIABLE]: '2' }), 2 * 1024 * 1024);
    assert.equal(inputLimit('snapshot', { [LIMIT_VARIABLE]: '2' }), INPUT_LIMITS.snapshot.bytes);
    assert.equal(inputLimit('snapshot', { [LIMIT_VARIABLE]: '100000' }), 512 * 1024 * 1024, 'at most 512 MiB');
    assert.match(problemOf(() => inputLimit('rules', { [LIMIT_VARIABLE]: 'lots' })), /"lots" is not a size in MiB/u);
  });
});
