/**
 * `trailaudit test-checks [DIR]` end to end: a user's check with a passing and a failing case
 * table, the layouts it accepts, bad input (located, exit 2), and the built-in checks' tables.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_CHECK_IDS, builtInCheckFile } from '../helpers/builtInChecks.js';
import { runCli } from './runCli.js';

const USER_CHECKS = new URL('../fixtures/user-checks/', import.meta.url);

describe('trailaudit test-checks', () => {
  let work: string;
  let table: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-test-checks-'));
    cpSync(USER_CHECKS, join(work, 'mine'), { recursive: true });
    table = join(work, 'mine', 'health', 'TrailHealth.99.cases.yaml');
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });
  const run = (args: readonly string[]): ReturnType<typeof runCli> => runCli(['test-checks', ...args], { cwd: work });
  const edit = (file: string, from: string, to: string): void => {
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(from), `${from} in ${file}`);
    writeFileSync(file, text.replace(from, to));
  };

  it("runs a user's case table beside its check: one line per case, a summary, exit 0", async () => {
    const result = await run(['mine']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 4).map((line) => line.split(/\s{2,}/u)), [
      ['PASS', 'TrailHealth.99', 'pass', 'a trail that signs its log files'],
      ['PASS', 'TrailHealth.99', 'fail', 'a trail that does not'],
      ['PASS', 'TrailHealth.99', 'not_applicable', 'a trail of an account outside the audit'],
      ['PASS', 'TrailHealth.99', 'unknown', 'validation could not be read'],
    ]);
    assert.equal(lines.at(-1), '1 check, 4 cases: 4 passed, 0 failed');
    assert.equal(result.stderr, '');
  });

  it('a failing case: FAIL with the expected and the actual finding (status and message), exit 1', async () => {
    edit(table, 'logFileValidationEnabled: false }]', 'logFileValidationEnabled: true }]');
    const result = await run(['mine']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^FAIL\s+TrailHealth\.99\s+fail\s+a trail that does not$/mu);
    assert.match(result.stdout, /^\s+expected but not found: \{"status":"FAIL","resource":"main"\}$/mu);
    assert.match(result.stdout, /^\s+found but not expected: PASS arn:aws:cloudtrail:us-east-1:123456789012:trail\/main \[us-east-1\]: Trail main signs its log files\.$/mu);
    assert.match(result.stdout, /^PASS\s+TrailHealth\.99\s+pass\s+/mu, 'the other cases still run');
    assert.match(result.stdout, /^1 check, 4 cases: 3 passed, 1 failed$/mu);
  });

  it('a malformed case table: exit 2, located by file, line and column, nothing run', async () => {
    edit(table, '    kind: not_applicable', '    kind: not_aplicable');
    const result = await run(['mine']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const line = readFileSync(table, 'utf8').split('\n').findIndex((text) => text.includes('not_aplicable')) + 1;
    assert.match(result.stderr, new RegExp(`${table.replace(/[.]/gu, '\\.')}:${line}:11: cases\\.2\\.kind: case "a trail of an account outside the audit": kind must be one of`, 'u'));
  });

  it('facts a case cannot build and a table without its check are bad input too (exit 2, each located)', async () => {
    edit(table, 'trails: [{ name: org, owner: "999988887777" }]', 'trails: [{ name: org, ownr: "999988887777" }]');
    writeFileSync(join(work, 'mine', 'Orphan.1.cases.yaml'), 'check: Orphan.1\ncases: []\n');
    const result = await run(['mine']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Orphan\.1\.cases\.yaml: a case table without its check: expected Orphan\.1\.yaml beside it/u);
    assert.match(result.stderr, /TrailHealth\.99\.cases\.yaml:\d+:\d+: cases\.2\.facts: facts\.trails\[0\]: unexpected key "ownr"/u);
  });

  it('facts no audit produces, facts of the wrong shape and an expectation that asserts nothing: exit 2 at the case, never an internal error', async () => {
    // A trail whose bucket is missing from the buckets the case lists: evaluate refuses such a snapshot.
    edit(table, 'trails: [{ name: main }]', 'trails: [{ name: main, s3BucketName: ghost }]\n      buckets: []');
    // A string where the ACL's list of grants goes (the builders used to crash on it).
    edit(table, 'trails: [{ name: main, logFileValidationEnabled: false }]', 'trails: [{ name: main, s3BucketName: b }]\n      buckets: [{ name: b, acl: "x" }]');
    const result = await run(['mine']);
    assert.equal(result.code, 2, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error/u);
    assert.match(result.stderr, /TrailHealth\.99\.cases\.yaml:\d+:\d+: cases\.0\.facts: .*delivers to bucket "ghost", which is not in "buckets"/u);
    assert.match(result.stderr, /TrailHealth\.99\.cases\.yaml:\d+:\d+: cases\.1\.facts: facts\.buckets\[0\]\.acl must be a list of grants/u);
    // An empty message would match any finding.
    edit(table, 'resource: org }', 'resource: org, message: " " }');
    const empty = await run(['mine']);
    assert.equal(empty.code, 2, empty.stderr);
    assert.match(empty.stderr, /TrailHealth\.99\.cases\.yaml:\d+:\d+: cases\.2\.expect\.0\.message: .*message must be a non-empty string/u);
  });

  it('a case table that is a FIFO is refused at once (exit 2), not waited on; one named .cases.yml is told its name', async () => {
    rmSync(table);
    execFileSync('mkfifo', [table]);
    const fifo = await run(['mine']);
    assert.equal(fifo.code, 2, fifo.stderr);
    assert.match(fifo.stderr, /TrailHealth\.99\.cases\.yaml: no case table for TrailHealth\.99: .*FIFO/u);
    rmSync(table);
    // A link that loops is a table that cannot be read (exit 2), not a missing one (exit 1).
    symlinkSync('TrailHealth.99.cases.yaml', table);
    const loop = await run(['mine']);
    assert.equal(loop.code, 2, loop.stderr);
    assert.match(loop.stderr, /no case table for TrailHealth\.99: .*ELOOP/u);
    rmSync(table);
    writeFileSync(join(work, 'mine', 'health', 'TrailHealth.99.cases.yml'), 'check: TrailHealth.99\ncases: []\n');
    const misnamed = await run(['mine']);
    assert.equal(misnamed.code, 2, misnamed.stderr);
    assert.match(misnamed.stderr, /TrailHealth\.99\.cases\.yml: a case table of TrailHealth\.99\.yaml must be named TrailHealth\.99\.cases\.yaml/u);
  });

  it('parameters a check does not declare: exit 2, at the case\'s params', async () => {
    edit(table, '    kind: fail\n', '    kind: fail\n    params: { requiredTagKeys: [owner] }\n');
    const result = await run(['mine']);
    assert.equal(result.code, 2);
    const line = readFileSync(table, 'utf8').split('\n').findIndex((text) => text.includes('requiredTagKeys')) + 1;
    assert.match(result.stderr, new RegExp(`TrailHealth\\.99\\.cases\\.yaml:${line}:13: cases\\.1\\.params: case "a trail that does not": .*unknown parameter "requiredTagKeys"`, 'u'));
  });

  it('a check without a case table, or with a kind of case missing, fails (exit 1): untested is not passing', async () => {
    cpSync(builtInCheckFile('CloudTrail.4'), join(work, 'mine', 'CloudTrail.4.yaml'));
    edit(table, '  - name: validation could not be read\n    kind: unknown', '  - name: validation could not be read\n    kind: unknown\n    pending: the collector cannot read this yet, see issue 12');
    const result = await run(['mine']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^FAIL\s+CloudTrail\.4\s+-\s+\(case table\)\n\s+no case table: expected .*CloudTrail\.4\.cases\.yaml$/mu);
    assert.match(result.stdout, /^FAIL\s+TrailHealth\.99\s+-\s+\(coverage\)\n\s+.*TrailHealth\.99 has no unknown case/mu);
    // A pending case that passes must lose its marker.
    assert.match(result.stdout, /^FAIL\s+TrailHealth\.99\s+unknown\s+validation could not be read\n\s+marked pending .* but passes now: remove "pending"$/mu);
  });

  it('a pending case that still fails is PENDING, not a failure', async () => {
    edit(table, '      - { status: NOT_APPLICABLE, resource: org }', '      - { status: NOT_APPLICABLE, resource: org }\n    pending: CONTROLS.md wants this to be reported differently');
    // A second trail gives a finding the case does not expect: the case fails, as a pending one may.
    edit(table, '      trails: [{ name: org, owner: "999988887777" }]', '      trails: [{ name: org, owner: "999988887777" }, { name: other, owner: "999988887777" }]');
    const result = await run(['mine']);
    // Pending does not count for coverage: not_applicable is now missing, so the table fails coverage.
    assert.match(result.stdout, /^PENDING\s+TrailHealth\.99\s+not_applicable\s+a trail of an account outside the audit$/mu);
    assert.match(result.stdout, /has no not_applicable case/u);
    assert.equal(result.code, 1);
  });

  it('without DIR: the built-in checks, every one with its table, all passing (exit 0)', async () => {
    const result = await run([]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const id of BUILT_IN_CHECK_IDS) {
      assert.match(result.stdout, new RegExp(`^PASS\\s+${id.replace('.', '\\.')}\\s+unknown\\s+`, 'mu'), id);
    }
    assert.match(result.stdout, new RegExp(`^${BUILT_IN_CHECK_IDS.length} checks, \\d+ cases: (\\d+) passed, 0 failed$`, 'mu'));
    assert.doesNotMatch(result.stdout, /^FAIL/mu);
  });
});
