/**
 * Property: whatever the input files and arguments, the CLI entry point `main()` ends with an exit
 * code of 0–3, never throws, never reports an internal error, never prints a stack trace, and
 * never gives 1 ("failures found") together with an error message. Run in-process (as a user's
 * run, minus the launcher) in a scratch working directory; no AWS call is ever reached (`audit` is
 * given an unreadable baseline, so it stops after reading the fuzzed rules, before any request).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';
import { DEFAULT_COLLECTORS } from '../../src/collect/iac/collectors.js';
import { scanFiles } from '../../src/collect/iac/scan.js';
import { anyText, CHECK_FILES, fuzzParameters, PLANS, RULES, TEMPLATES } from './inputs.js';

interface Run {
  readonly code: number;
  readonly stderr: string;
}

/** main(argv) with stdout and stderr captured (both: help goes to stdout, errors to stderr). */
async function run(argv: readonly string[], cwd: string): Promise<Run> {
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stdout.write = (() => true);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    return { code: await main(argv, cwd), stderr };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

function assertWellBehaved(result: Run, argv: readonly string[]): void {
  const context = `${argv.join(' ')}\n--- stderr:\n${result.stderr}`;
  assert.ok([0, 1, 2, 3].includes(result.code), `exit ${String(result.code)}: ${context}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /u, `a stack trace: ${context}`);
  assert.doesNotMatch(result.stderr, /internal error/u, `an internal error (a bug): ${context}`);
  if (result.code === 1) {
    assert.doesNotMatch(result.stderr, /invalid input|cannot /u, `exit 1 with an error: ${context}`);
  }
}

describe('fuzz: CLI entry points, any input → exit 0-3, no crash, no stack trace', function () {
  this.timeout(120_000);
  let cwd: string;
  let snapshots: string[];
  before(() => {
    cwd = mkdtempSync(join(tmpdir(), 'trailaudit-cli-fuzz-'));
    mkdirSync(join(cwd, 'checks'));
    mkdirSync(join(cwd, 'a-directory'));
    snapshots = TEMPLATES.flatMap((text, index) => {
      const path = join(cwd, `seed-${String(index)}.${text.trimStart().startsWith('{') ? 'json' : 'yaml'}`);
      writeFileSync(path, text);
      const facts = scanFiles([{ path, explicit: true }], { cwd, collectedAt: '2026-01-01T00:00:00.000Z', wholeAccount: false }, DEFAULT_COLLECTORS).facts;
      rmSync(path);
      return facts === null ? [] : [JSON.stringify(facts)];
    });
  });
  after(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  /** Writes the input, runs the command, checks the outcome. */
  const property = (file: string, seeds: () => readonly string[], argv: readonly string[]) =>
    fc.asyncProperty(
      fc.constant(null).chain(() => anyText(seeds())),
      async (text) => {
        writeFileSync(join(cwd, file), text);
        assertWellBehaved(await run(argv, cwd), argv);
      },
    );

  it('the harness sees real outcomes: an unmutated snapshot is evaluated (exit 0, 1 or 3), a missing one is exit 2', async () => {
    writeFileSync(join(cwd, 'facts.json'), snapshots[0]!);
    const evaluated = await run(['evaluate', 'facts.json', '--quiet'], cwd);
    assert.ok([0, 1, 3].includes(evaluated.code), evaluated.stderr);
    assert.equal((await run(['evaluate', 'missing.json'], cwd)).code, 2);
  });

  it('iam-policy --rules FILE', async () => {
    await fc.assert(property('rules.yaml', () => RULES, ['iam-policy', '--rules', 'rules.yaml']), fuzzParameters(300));
  });

  it('audit --rules FILE (stops before any AWS call)', async () => {
    const argv = ['audit', '--rules', 'rules.yaml', '--baseline', 'a-directory', '--endpoint-url', 'http://127.0.0.1:9'];
    await fc.assert(property('rules.yaml', () => RULES, argv), fuzzParameters(120));
  });

  it('checks --checks-dir DIR', async () => {
    await fc.assert(property('checks/CloudTrail.1.yaml', () => CHECK_FILES, ['checks', '--checks-dir', 'checks']), fuzzParameters(300));
  });

  it('evaluate SNAPSHOT', async () => {
    await fc.assert(property('facts.json', () => snapshots, ['evaluate', 'facts.json', '--quiet', '--output-dir', 'out']), fuzzParameters(120));
  });

  it('scan FILE (template or plan)', async () => {
    for (const name of ['scanned.yaml', 'scanned.json']) {
      await fc.assert(property(name, () => [...TEMPLATES, ...PLANS], ['scan', name, '--quiet', '--output-dir', 'out']), fuzzParameters(80));
    }
  });

  it('validate-logs --public-keys FILE', async () => {
    mkdirSync(join(cwd, 'bucket'), { recursive: true });
    const argv = ['validate-logs', '--trail', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', '--start-time', '2025-01-01T00:00:00Z', '--end-time', '2025-01-02T00:00:00Z'];
    await fc.assert(property('keys.json', () => ['{"PublicKeyList": []}'], [...argv, '--public-keys', 'keys.json', '--from-dir', 'bucket', '--quiet', '--output-dir', 'out']), fuzzParameters(80));
  });

  it('any arguments (commands that need no network)', async () => {
    const tokens = [
      'evaluate', 'scan', 'checks', 'iam-policy', '--rules', '--checks', '--checks-dir', '--format', '--fail-on', '--output-dir', '--baseline',
      '--quiet', '--debug', '--allow-unknown', '--whole-account', '--help', '-h', '--version', '--nope', 'rules.yaml', 'facts.json', 'a-directory',
      'checks', '/dev/zero', 'CloudTrail.1', 'CloudTrail.1,CloudTrail.99', 'json,sarif', 'markdown', 'text', 'high', 'none', '', '-', '--', 'out',
    ];
    const argv = fc.tuple(fc.constantFrom('evaluate', 'scan', 'checks', 'iam-policy', '--debug'), fc.array(fc.constantFrom(...tokens), { maxLength: 8 }));
    await fc.assert(
      fc.asyncProperty(argv, async ([command, rest]) => {
        const args = [command, ...rest];
        assertWellBehaved(await run(args, cwd), args);
      }),
      fuzzParameters(150),
    );
  });
});
