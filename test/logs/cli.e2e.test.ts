/**
 * The built CLI (`npm run build` first) against moto and a directory: the "done means"
 * command line, OUT/trailaudit-logs.json, and exit codes 0, 1 and 2.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { validateXML } from 'xmllint-wasm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { interruptMessage } from '../../src/cli/interrupt.js';
import { BIN, runCli } from '../cli/runCli.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { FixtureBucket, newSigningKey, publicKeysJson } from './helpers/cloudtrailFixtures.js';

const JUNIT_XSD = readFileSync(new URL('../schemas/junit.xsd', import.meta.url), 'utf8');

describe('validate-logs CLI end to end (bin/trailaudit.js)', function () {
  this.timeout(60_000);
  const moto = useMoto({ resetEachTest: false });
  const arn = `arn:aws:cloudtrail:us-east-1:${MOTO_ACCOUNT_ID}:trail/e2e`;
  const range = ['--start-time', '2025-03-01T00:00:00Z', '--end-time', '2025-03-01T03:00:00Z'];
  let scratch: string;
  let fixture: FixtureBucket;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'trailaudit-e2e-digest-'));
    const key = newSigningKey('spki');
    writeFileSync(join(scratch, 'keys.json'), publicKeysJson([key]));
    fixture = new FixtureBucket({ accountId: MOTO_ACCOUNT_ID, trailName: 'e2e', homeRegion: 'us-east-1', bucket: 'e2e-logs' }, key);
    fixture.addChain({ sourceRegion: 'us-east-1', start: new Date('2025-03-01T00:00:00Z'), hours: 3 });
    const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await fixture.writeToS3(s3);
    s3.destroy();
    const cloudtrail = new CloudTrailClient(config);
    await cloudtrail.send(new CreateTrailCommand({ Name: 'e2e', S3BucketName: 'e2e-logs', EnableLogFileValidation: true }));
    cloudtrail.destroy();
    fixture.writeToDir(join(scratch, 'copy'));
  });

  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const common = (out: string): string[] => ['validate-logs', '--trail', arn, ...range, '--public-keys', 'keys.json', '--format', 'json', '--output-dir', out];

  it('validates from moto, writes OUT/trailaudit-logs.json with every file, exit 0', async () => {
    const result = await runCli([...common('out-s3'), '--endpoint-url', moto.endpoint, '--verbose'], { cwd: scratch });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(readFileSync(join(scratch, 'out-s3', 'trailaudit-logs.json'), 'utf8')) as { files: { kind: string; key: string; status: string; reason: null }[] };
    assert.equal(report.files.length, 9);
    for (const file of report.files) {
      assert.deepEqual(Object.keys(file).slice(0, 4), ['kind', 'key', 'status', 'reason']);
      assert.equal(file.status, 'valid');
    }
    assert.match(result.stdout, /^Digest file\ts3:\/\/e2e-logs\/AWSLogs\/.*\tvalid$/mu);
    assert.match(result.stdout, /3\/3 digest files valid\n6\/6 log files valid\n\nResults found in us-east-1 for 2025-03-01T00:00:00Z to 2025-03-01T03:00:00Z: 3\/3 digest files valid, 6\/6 log files valid\n$/u);
  });

  it('validates the same copy from a directory, exit 0; a tampered copy exits 1', async () => {
    const ok = await runCli([...common('out-dir'), '--from-dir', 'copy'], { cwd: scratch });
    assert.equal(ok.code, 0, ok.stderr);
    const report = JSON.parse(readFileSync(join(scratch, 'out-dir', 'trailaudit-logs.json'), 'utf8')) as { files: { key: string }[] };
    assert.equal(report.files.length, 9);
    assert.ok(report.files.every((file) => file.key.startsWith('AWSLogs/')), 'keys are paths relative to DIR');
    const log = fixture.logKeysOf(fixture.digests[1]!)[0]!;
    writeFileSync(join(scratch, 'copy', ...log.split('/')), Buffer.from('not gzip'));
    const bad = await runCli([...common('out-bad'), '--from-dir', 'copy', '--format', 'json,junit,markdown'], { cwd: scratch });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Log file\t.*\tINVALID: invalid format/u);
    assert.ok(existsSync(join(scratch, 'out-bad', 'trailaudit-logs.junit.xml')));
    // The same consumers' rules as the audit's reports: JUnit valid against our XSD, Markdown through CommonMark.
    const junit = readFileSync(join(scratch, 'out-bad', 'trailaudit-logs.junit.xml'), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'trailaudit-logs.junit.xml', contents: junit }], schema: [JUNIT_XSD] });
    assert.equal(validation.valid, true, JSON.stringify(validation.errors));
    assert.equal((junit.match(/<testcase /gu) ?? []).length, 10, 'one testcase per digest and per log file, and one for the Region');
    assert.equal((junit.match(/<failure /gu) ?? []).length, 1);
    const markdown = readFileSync(join(scratch, 'out-bad', 'trailaudit-logs.md'), 'utf8');
    assert.match(markdown, /### INVALID files/u);
    const html = new MarkdownIt().render(markdown);
    assert.match(html, /<table>/u);
    assert.match(html, /invalid_format/u);
  });

  it('exits 2 on bad input and writes no report', async () => {
    const cases: string[][] = [
      ['validate-logs', '--trail', 'not-an-arn', ...range, '--from-dir', 'copy', '--output-dir', 'out-2a'],
      ['validate-logs', '--trail', arn, '--start-time', 'soon', '--from-dir', 'copy', '--output-dir', 'out-2b'],
      ['validate-logs', '--trail', arn, '--start-time', '2025-03-02T00:00:00Z', '--end-time', '2025-03-01T00:00:00Z', '--from-dir', 'copy', '--output-dir', 'out-2c'],
      ['validate-logs', '--trail', arn, ...range, '--public-keys', 'missing.json', '--from-dir', 'copy', '--output-dir', 'out-2d'],
      ['validate-logs', '--trail', `${arn}-missing`, ...range, '--public-keys', 'keys.json', '--endpoint-url', moto.endpoint, '--output-dir', 'out-2e'],
    ];
    for (const args of cases) {
      const result = await runCli(args, { cwd: scratch });
      assert.equal(result.code, 2, `${args.join(' ')}\n${result.stderr}`);
      assert.equal(existsSync(join(scratch, args[args.length - 1]!)), false);
    }
  });

  it('rejects impossible dates instead of rolling them over (exit 2, option and value named, no report)', async () => {
    const cases: [string, string][] = [
      ['--start-time', '2025-02-30T00:00:00Z'],
      ['--end-time', '2025-03-01T25:00:00Z'],
      ['--end-time', '2025-02-28T24:00:00Z'],
      ['--start-time', '2025-04-31'],
    ];
    for (const [option, value] of cases) {
      const times = option === '--start-time' ? [option, value, '--end-time', '2025-06-01T00:00:00Z'] : ['--start-time', '2025-01-01T00:00:00Z', option, value];
      const result = await runCli(['validate-logs', '--trail', arn, ...times, '--from-dir', 'copy', '--public-keys', 'keys.json', '--output-dir', 'out-date'], { cwd: scratch });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(
        result.stderr,
        `trailaudit validate-logs: ${option} "${value}" is not a real date and time (no such day, hour, minute or second; it is never rolled over to another date); nothing was validated and no report was written.\n`,
      );
      assert.equal(existsSync(join(scratch, 'out-date')), false);
    }
    const future = await runCli(['validate-logs', '--trail', arn, '--start-time', '2999-01-01T00:00:00Z', '--from-dir', 'copy', '--public-keys', 'keys.json', '--output-dir', 'out-date'], { cwd: scratch });
    assert.equal(future.code, 2, future.stderr);
    assert.match(future.stderr, /start-time must occur before end-time \(--start-time 2999-01-01T00:00:00Z is after now \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; no --end-time given\)\)/u);
    // A range wholly in the future, end included, is refused the same way (found by a black-box run).
    const later = await runCli(['validate-logs', '--trail', arn, '--start-time', '2999-01-01T00:00:00Z', '--end-time', '2999-01-02T00:00:00Z', '--from-dir', 'copy', '--public-keys', 'keys.json', '--output-dir', 'out-date'], { cwd: scratch });
    assert.equal(later.code, 2, later.stderr);
    assert.match(later.stderr, /--start-time 2999-01-01T00:00:00Z is in the future \(now \d{4}-/u);
    assert.equal(existsSync(join(scratch, 'out-date')), false);
  });

  it('prints results per Region and the missing tail on the terminal, and in every report (exit 3)', async () => {
    fixture.writeToDir(join(scratch, 'copy-tail'));
    const args = ['validate-logs', '--trail', arn, '--start-time', '2025-03-01T00:00:00Z', '--end-time', '2025-03-01T08:00:00Z', '--public-keys', 'keys.json'];
    const result = await runCli([...args, '--from-dir', 'copy-tail', '--output-dir', 'out-tail', '--format', 'json,junit,markdown'], { cwd: scratch });
    assert.equal(result.code, 3, result.stderr);
    assert.match(
      result.stderr,
      /^MISSING TAIL: us-east-1: the digest chain ends at 2025-03-01T03:00:00Z, but digests are expected up to 2025-03-01T08:00:00Z: about 5 hourly digest files, and the log files they would list, should exist and do not/mu,
    );
    assert.match(
      result.stdout,
      /3\/3 digest files valid\n6\/6 log files valid\n\nResults found in us-east-1 for 2025-03-01T00:00:00Z to 2025-03-01T03:00:00Z: 3\/3 digest files valid, 6\/6 log files valid, MISSING TAIL from 2025-03-01T03:00:00Z to 2025-03-01T08:00:00Z \(about 5 digest files\)\n$/u,
    );
    const junit = readFileSync(join(scratch, 'out-tail', 'trailaudit-logs.junit.xml'), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'trailaudit-logs.junit.xml', contents: junit }], schema: [JUNIT_XSD] });
    assert.equal(validation.valid, true, JSON.stringify(validation.errors));
    assert.match(junit, /<testsuites name="trailaudit validate-logs" tests="10" failures="0" errors="1"/u);
    assert.match(junit, /<error message="missing tail from 2025-03-01T03:00:00Z to 2025-03-01T08:00:00Z" type="missing_tail">/u);
    const markdown = readFileSync(join(scratch, 'out-tail', 'trailaudit-logs.md'), 'utf8');
    assert.match(markdown, /\*\*Digests are missing at the end of the chain\*\*/u);
    assert.match(markdown, /\| us-east-1 \| 2025-03-01T00:00:00Z to 2025-03-01T03:00:00Z \| 3 \/ 0 \| 6 \/ 0 \| 0 \| 2025-03-01T03:00:00Z \*\*MISSING TAIL\*\* \|/u);
    assert.match(new MarkdownIt().render(markdown), /<h3>Missing tails<\/h3>/u);
    const json = JSON.parse(readFileSync(join(scratch, 'out-tail', 'trailaudit-logs.json'), 'utf8')) as { summary: { status: string }; missingTails: { region: string }[] };
    assert.equal(json.summary.status, 'incomplete');
    assert.deepEqual(json.missingTails.map((tail) => tail.region), ['us-east-1']);
  });

  /**
   * Starts validate-logs on a copy whose first log file is a named pipe: reading it blocks until a
   * writer comes, so the run is reliably caught mid-way, after its spill folder exists.
   */
  const startBlocked = async (name: string): Promise<{ child: ChildProcess; temp: string; closed: Promise<number | null>; stderr: () => string }> => {
    const copy = join(scratch, `copy-${name}`);
    cpSync(join(scratch, 'copy'), copy, { recursive: true });
    const log = fixture.logKeysOf(fixture.digests[0]!)[0]!;
    const path = join(copy, ...log.split('/'));
    rmSync(path);
    assert.equal(spawnSync('mkfifo', [path]).status, 0);
    const temp = join(scratch, `tmp-${name}`);
    mkdirSync(temp);
    const child = spawn(process.execPath, [BIN, ...common(`out-${name}`), '--from-dir', copy], {
      cwd: scratch,
      env: { PATH: process.env.PATH, HOME: scratch, TMPDIR: temp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 20_000;
    while (readdirSync(temp).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(readdirSync(temp).length, 1, 'the run made its spill folder');
    return { child, temp, closed, stderr: () => stderr };
  };

  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`says it was interrupted and removes its spill folder (${signal} exits ${String(code)}, no report)`, async function () {
      if (spawnSync('mkfifo', ['--help']).status !== 0) {
        this.skip();
      }
      const run = await startBlocked(signal);
      run.child.kill(signal);
      assert.equal(await run.closed, code);
      assert.equal(run.stderr(), interruptMessage(signal, []));
      assert.deepEqual(readdirSync(run.temp), [], 'the spill folder is gone');
      assert.equal(existsSync(join(scratch, `out-${signal}`)), false);
    });
  }

  it('removes the spill folder a killed run (SIGKILL) left behind on the next run', async function () {
    if (spawnSync('mkfifo', ['--help']).status !== 0) {
      this.skip();
    }
    const run = await startBlocked('sigkill');
    run.child.kill('SIGKILL');
    await run.closed;
    const [left] = readdirSync(run.temp);
    assert.match(left ?? '', new RegExp(`^trailaudit-validate-[0-9a-f]{8}-${String(run.child.pid)}-\\d+-[A-Za-z0-9]{6}$`, 'u'), 'a killed run cannot clean up');
    fixture.writeToDir(join(scratch, 'copy-clean'));
    const next = await runCli([...common('out-after-kill'), '--from-dir', 'copy-clean'], { cwd: scratch, env: { TMPDIR: run.temp } });
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(readdirSync(run.temp), [], "the next run removed the dead run's folder (and its own)");
  });

  it('exits 2 with the reason when its working folder cannot be made (TMPDIR missing)', async () => {
    const result = await runCli([...common('out-notmp'), '--from-dir', 'copy'], { cwd: scratch, env: { TMPDIR: join(scratch, 'no-such-tmp') } });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /trailaudit: cannot mkdtemp .*no-such-tmp.*: ENOENT/u);
    assert.equal(existsSync(join(scratch, 'out-notmp')), false);
  });
});
