/**
 * The CLI's last line of defence (src/cli/main.ts reportError, bin/trailaudit.js): every error is
 * one message and exit 2 — never Node's stack trace and exit status 1, which reads as "failures
 * found" — and a file-system error always names its file. The stack only with --debug.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withPath } from '../../src/cli/files.js';
import { main, reportError } from '../../src/cli/main.js';
import { runCli } from './runCli.js';
import { InputError } from '../../src/errors.js';
import { captureOutput } from '../helpers/captureOutput.js';

function captureStderr<T>(work: () => T): { value: T; stderr: string } {
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  });
  try {
    return { value: work(), stderr };
  } finally {
    process.stderr.write = write;
  }
}

/** main() with stdout and stderr captured until it has finished. */
async function runMain(argv: readonly string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return captureOutput(async () => main(argv, cwd));
}

class SomeNewError extends Error {}

describe('CLI error handling', () => {
  it('an error no handler knows is an internal error: one line, exit 2, no stack', () => {
    const { value, stderr } = captureStderr(() => reportError(new SomeNewError('boom\nsecond line of a long message'), false));
    assert.equal(value, 2);
    assert.equal(stderr, 'trailaudit: internal error: boom (run with --debug for details)\n');
    assert.equal(captureStderr(() => reportError('a thrown string', false)).stderr, 'trailaudit: internal error: a thrown string (run with --debug for details)\n');
  });

  it("a user's control characters in a message are shown as escapes; line breaks between issues stay", () => {
    const issues = [
      { file: 'a.cases.yaml', line: 3, column: 5, path: '', message: 'case "evil\u001b[31mRED\rOVERWRITE": bad' },
      { file: 'b.yaml', line: 1, column: 1, path: '', message: 'second' },
    ];
    const { value, stderr } = captureStderr(() => reportError(new InputError(issues), false));
    assert.equal(value, 2);
    assert.match(stderr, /evil\\u001b\[31mRED\\u000dOVERWRITE/u);
    assert.ok(!stderr.includes('\u001b') && !stderr.includes('\r'));
    assert.equal(stderr.trim().split('\n').length, 3, stderr);
  });

  it('with --debug, the stack follows', () => {
    const { value, stderr } = captureStderr(() => reportError(new TypeError('boom'), true));
    assert.equal(value, 2);
    assert.match(stderr, /^trailaudit: internal error: boom \(stack trace below\)\nTypeError: boom\n\s+at /u);
  });

  it('an error whose message cannot even be read still ends in exit 2', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no');
      },
    });
    const { value, stderr } = captureStderr(() => reportError(hostile, false));
    assert.equal(value, 2);
    assert.match(stderr, /internal error/u);
  });

  it('a file-system error names its file, even one Node reports without a path (ENOSPC on write)', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const { value, stderr } = captureStderr(() => reportError(withPath(enospc, '/reports/trailaudit.json'), false));
    assert.equal(value, 2);
    assert.equal(stderr, 'trailaudit: cannot write /reports/trailaudit.json: ENOSPC (ENOSPC: no space left on device, write); no report of this run was written, earlier reports are as they were.\n');
    const located = Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'open', path: '/a' });
    assert.equal((withPath(located, '/b') as NodeJS.ErrnoException).path, '/a', 'a path Node gave is kept');
  });

  describe('through main()', () => {
    let cwd: string;
    beforeEach(() => {
      cwd = mkdtempSync(join(tmpdir(), 'trailaudit-errors-'));
    });
    afterEach(() => {
      rmSync(cwd, { recursive: true, force: true });
    });

    it('an empty --checks-dir says so (it used to be blamed on rules.yaml)', async () => {
      mkdirSync(join(cwd, 'empty'));
      const { stderr, code } = await runMain(['checks', '--checks-dir', 'empty'], cwd);
      assert.equal(code, 2);
      assert.match(stderr, new RegExp(`no check files \\(\\*\\.yaml\\) in ${join(cwd, 'empty').replace(/[/.]/gu, '\\$&')}`, 'u'));
      assert.doesNotMatch(stderr, /rules\.yaml/u);
    });

    it('a bad TRAILAUDIT_MAX_INPUT_MB is said once, before anything is read (it was said once per check file)', async () => {
      const saved = process.env.TRAILAUDIT_MAX_INPUT_MB;
      process.env.TRAILAUDIT_MAX_INPUT_MB = 'abc';
      try {
        const { stderr, code } = await runMain(['checks'], cwd);
        assert.equal(code, 2);
        assert.equal(stderr.match(/TRAILAUDIT_MAX_INPUT_MB: "abc" is not a size in MiB/gu)?.length, 1, stderr);
        // Help needs no input limit.
        assert.equal((await runMain(['iam-policy', '--help'], cwd)).code, 0);
      } finally {
        if (saved === undefined) {
          delete process.env.TRAILAUDIT_MAX_INPUT_MB;
        } else {
          process.env.TRAILAUDIT_MAX_INPUT_MB = saved;
        }
      }
    });

    it('--debug is accepted before or after the command', async () => {
      assert.equal((await runMain(['--debug', 'iam-policy', '--checks', 'CloudTrail.1'], cwd)).code, 0);
      assert.equal((await runMain(['iam-policy', '--checks', 'CloudTrail.1', '--debug'], cwd)).code, 0);
    });

    it('an output directory that is a file: the path is named, exit 2, the previous report kept', async () => {
      writeFileSync(join(cwd, 'facts.json'), 'not json');
      writeFileSync(join(cwd, 'out'), 'a file, not a directory');
      const template = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: {IsLogging: true, S3BucketName: b}\n';
      writeFileSync(join(cwd, 'template.yaml'), template);
      const { stderr, code } = await runMain(['scan', 'template.yaml', '--quiet', '--output-dir', 'out/reports'], cwd);
      assert.equal(code, 2);
      assert.match(stderr, new RegExp(`cannot mkdir ${join(cwd, 'out').replace(/[/.]/gu, '\\$&')}`, 'u'));
      assert.equal(readFileSync(join(cwd, 'out'), 'utf8'), 'a file, not a directory');
    });
  });

  describe('the built CLI (bin/trailaudit.js)', () => {
    let cwd: string;
    before(() => {
      cwd = mkdtempSync(join(tmpdir(), 'trailaudit-bin-'));
    });
    after(() => {
      rmSync(cwd, { recursive: true, force: true });
    });

    it('an alias bomb in rules.yaml is exit 2 with file and line, in every command that reads it', async () => {
      const levels = ['l0: &l0 [a, a, a, a, a, a, a, a, a]'];
      for (let level = 1; level < 9; level += 1) {
        levels.push(`l${String(level)}: &l${String(level)} [${Array(9).fill(`*l${String(level - 1)}`).join(', ')}]`);
      }
      writeFileSync(join(cwd, 'rules.yaml'), `version: 1\n${levels.join('\n')}\n`);
      writeFileSync(join(cwd, 'template.yaml'), 'Resources: {}\n');
      for (const argv of [['audit', '--endpoint-url', 'http://127.0.0.1:9'], ['evaluate', 'facts.json'], ['scan', 'template.yaml'], ['iam-policy']]) {
        const result = await runCli(argv, { cwd });
        assert.equal(result.code, 2, `${argv[0]!}: ${result.stderr}`);
        assert.match(result.stderr, /rules\.yaml:8:\d+: invalid YAML: aliases expand this document/u, argv[0]);
        assert.doesNotMatch(result.stderr, /\n\s+at /u);
      }
    });

    it('a FIFO or a device as input ends at once with exit 2', async () => {
      const { execFileSync } = await import('node:child_process');
      const dir = join(cwd, 'fifo');
      mkdirSync(dir);
      execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
      const scan = await runCli(['scan', 'pipe.yaml'], { cwd: dir });
      assert.equal(scan.code, 2);
      assert.match(scan.stderr, /pipe\.yaml: is a FIFO \(named pipe\), not a regular file/u);
      const rules = await runCli(['iam-policy', '--rules', '/dev/zero'], { cwd: dir });
      assert.equal(rules.code, 2);
      assert.match(rules.stderr, /\/dev\/zero: is a character device/u);
    });
  });
});
