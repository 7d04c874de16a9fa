/**
 * `trailaudit evaluate S1.json S2.json …` through the built CLI: the shard snapshots of one
 * organization evaluated together give the same findings as the whole organization's set in one
 * file, and the report lists every input. No AWS: snapshots only.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeFactSets } from '../../src/facts/merge.js';
import type { FactSet } from '../../src/facts/model.js';
import { LOG_ARCHIVE, MANAGEMENT, MEMBER, ORG, OUTSIDER, UNREACHABLE, logArchiveSet, managementSet, memberSet, outsiderSet, unreachableSet } from '../facts/organizationFixtures.js';
import { runCli } from './runCli.js';

interface Report {
  readonly scope: { readonly accounts: string[]; readonly regions: string[]; readonly inputs: string[] };
  readonly findings: readonly { readonly control: string; readonly status: string; readonly resource: { readonly id: string; readonly accountId: string | null; readonly region: string } }[];
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailaudit-evaluate-shards-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ACCOUNTS = [MANAGEMENT, LOG_ARCHIVE, MEMBER, OUTSIDER, UNREACHABLE];

function organization(shard?: { index: number; count: number }): NonNullable<FactSet['organization']> {
  return {
    id: ORG,
    managementAccountId: MANAGEMENT,
    callerAccountId: MANAGEMENT,
    roleName: 'OrganizationAccountAccessRole',
    accountsInScope: ACCOUNTS,
    skipped: [],
    ...(shard === undefined ? {} : { shard }),
  };
}

function save(name: string, sets: readonly FactSet[], shard?: { index: number; count: number }): string {
  const file = join(dir, name);
  writeFileSync(file, `${JSON.stringify(mergeFactSets(sets.map((set) => ({ ...set, organization: organization(shard) }))), null, 1)}\n`);
  return file;
}

async function evaluateFiles(files: readonly string[], out: string): Promise<{ code: number | null; report: Report; stderr: string }> {
  const result = await runCli(['evaluate', ...files, '--format', 'json', '--output-dir', out], { cwd: dir });
  const report = JSON.parse(readFileSync(join(dir, out, 'trailaudit.json'), 'utf8')) as Report;
  return { code: result.code, report, stderr: result.stderr };
}

describe('evaluate several shard snapshots as one organization (CLI)', function () {
  this.timeout(60_000);

  it('gives the findings of the whole organization’s set, lists every input, and exits 1 on the failures found', async () => {
    // The organization trail is in shard 1, the members it credits and the log-archive bucket in shard 2.
    const first = save('shard-1.json', [managementSet(), outsiderSet()], { index: 1, count: 2 });
    const second = save('shard-2.json', [memberSet({ memberSeesShadow: true }), logArchiveSet(), unreachableSet()], { index: 2, count: 2 });
    const whole = save('whole.json', [managementSet(), outsiderSet(), memberSet({ memberSeesShadow: true }), logArchiveSet(), unreachableSet()]);

    const sharded = await evaluateFiles([second, first], 'sharded');
    const together = await evaluateFiles([whole], 'whole');
    assert.equal(sharded.code, 1, sharded.stderr);
    assert.equal(together.code, 1, together.stderr);
    assert.deepEqual(sharded.report.findings, together.report.findings);
    assert.deepEqual(sharded.report.scope.inputs, [second, first]);
    assert.deepEqual(sharded.report.scope.accounts, ACCOUNTS);
    assert.deepEqual(sharded.report.scope.regions, ['us-east-1', 'eu-west-1'], 'each Region once');

    const status = (control: string, account: string): string[] =>
      sharded.report.findings.filter((finding) => finding.control === control && finding.resource.accountId === account).map((finding) => finding.status);
    // Credited across shards by the organization trail collected in the other one.
    assert.deepEqual(status('CloudTrail.1', MEMBER), ['PASS']);
    assert.deepEqual(status('CloudTrail.1', OUTSIDER), ['FAIL']);
    assert.deepEqual(status('CloudTrail.1', UNREACHABLE), ['UNKNOWN']);
    assert.deepEqual(status('CloudTrail.6', LOG_ARCHIVE), ['PASS']);
    // The organization trail's own finding once; the account that could not be entered adds
    // one UNKNOWN for its unknown trails.
    assert.deepEqual(
      sharded.report.findings.filter((finding) => finding.control === 'CloudTrail.4').map((finding) => [finding.resource.accountId, finding.status]),
      [
        [MANAGEMENT, 'FAIL'],
        [UNREACHABLE, 'UNKNOWN'],
      ],
    );
  });

  it('a subset of the shards is incomplete: exit 3 at best, the absent accounts UNKNOWN, never a clean PASS', async () => {
    const second = save('alone-2.json', [memberSet(), logArchiveSet()], { index: 2, count: 2 });
    const alone = await evaluateFiles([second], 'alone');
    const absent = alone.report.findings.filter((finding) => finding.resource.accountId === MANAGEMENT || finding.resource.accountId === OUTSIDER);
    assert.ok(absent.length > 0 && absent.every((finding) => finding.status === 'UNKNOWN'), JSON.stringify(absent));
    // The member's coverage depends on the absent management account's organization trail.
    const member = alone.report.findings.filter((finding) => finding.control === 'CloudTrail.1' && finding.resource.accountId === MEMBER);
    assert.deepEqual(member.map((finding) => finding.status), ['UNKNOWN']);
    assert.notEqual(alone.code, 0);
  });

  it('refuses overlapping shards with exit 2, naming both files, and writes no report', async () => {
    const first = save('overlap-1.json', [managementSet(), memberSet()], { index: 1, count: 2 });
    const second = save('overlap-2.json', [memberSet(), logArchiveSet()], { index: 2, count: 2 });
    const result = await runCli(['evaluate', first, second, '--format', 'json', '--output-dir', 'overlap'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.ok(result.stderr.includes(first) && result.stderr.includes(second) && result.stderr.includes(MEMBER), result.stderr);
    assert.throws(() => readFileSync(join(dir, 'overlap', 'trailaudit.json')));
  });
});
