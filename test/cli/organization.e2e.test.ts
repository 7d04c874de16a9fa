/**
 * Issue 13 end to end: the built CLI audits a moto organization (support/moto/exampleOrganization.ts:
 * management with an organization trail, a log-archive account holding its bucket, two members
 * under nested OUs) as a user would, and the organization joins show in `trailaudit.json`:
 * coverage credited by the organization trail, its findings once in the management account, the
 * log-archive bucket read with its owner's credentials, account filters, and shards evaluated
 * together equal to one unsharded run.
 *
 * moto never denies AssumeRole: a loopback proxy in front of it answers one member's AssumeRole
 * with STS's AccessDenied (test/helpers/denyingProxy.ts). moto never shows a member the
 * organization trail's shadow copy: that AWS behaviour is tested with aws-sdk-client-mock
 * elsewhere (test/MOTO_GAPS.md, "Organizations").
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import {
  EXAMPLE_ORGANIZATION_REGIONS,
  expectedVerdicts,
  missingVerdicts,
  seedExampleOrganization,
  type ExampleOrganization,
} from '../../support/moto/exampleOrganization.js';
import { useMoto } from '../../support/moto/mocha.js';
import { MEMBER_ROLE_NAME } from '../../support/moto/organization.js';
import { assumeRoleAccessDenied, startDenyingProxy } from '../helpers/denyingProxy.js';
import { runCli, type CliResult } from './runCli.js';

interface Unknown {
  reason: string;
  message: string;
  account?: string;
}
interface ReportFinding {
  control: string;
  status: string;
  message: string;
  evidence: unknown;
  unknowns: Unknown[];
  resource: { id: string; accountId: string | null; region: string };
}
interface Report {
  scope: {
    accounts: string[];
    regions: string[];
    inputs: string[];
    organization?: {
      id: string | null;
      managementAccountId: string | null;
      skipped: { accountId: string; reason: string; message: string }[];
      unreachable: unknown[];
    };
  };
  stats: { apiCalls: Record<string, number> };
  findings: ReportFinding[];
}
interface Run {
  readonly result: CliResult;
  readonly report: Report;
}

/**
 * What must be equal between a sharded and an unsharded evaluation of one organization. moto
 * reports "now" as every trail's latest delivery (MOTO_NOTES 8), which TrailHealth.1 quotes: times
 * are masked, nothing else.
 */
function comparable(findings: readonly ReportFinding[]): string[] {
  const timeless = (message: string): string => message.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/gu, '<time>');
  return findings
    .map((finding) => JSON.stringify([finding.control, finding.resource.accountId, finding.resource.region, finding.resource.id, finding.status, timeless(finding.message)]))
    .sort();
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

/** A user-facing error never shows a stack trace. */
function assertNoStack(result: CliResult): void {
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/u, result.stderr);
}

describe('organization audit (CLI end to end against a moto organization)', function () {
  this.timeout(120_000);
  // Seeded once: every run below only reads the organization.
  const moto = useMoto({ resetEachTest: false });
  let work: string;
  let org: ExampleOrganization;
  let everyAccount: string[];
  /** The unsharded `--org` audit, shared by the tests that compare with it. */
  let whole: Run;

  async function audit(name: string, args: readonly string[]): Promise<Run> {
    const output = join(work, name);
    const result = await runCli(
      ['audit', '--endpoint-url', moto.endpoint, '--regions', EXAMPLE_ORGANIZATION_REGIONS.join(','), '--format', 'json', '--output-dir', output, ...args],
      { cwd: work },
    );
    assertNoStack(result);
    assert.ok([0, 1, 3].includes(result.code ?? -1), `audit ${args.join(' ')} exited ${String(result.code)}: ${result.stderr}`);
    return { result, report: JSON.parse(readFileSync(join(output, 'trailaudit.json'), 'utf8')) as Report };
  }

  const findingsOf = (report: Report, control: string): ReportFinding[] => report.findings.filter((finding) => finding.control === control);

  before(async function () {
    this.timeout(60_000);
    work = mkdtempSync(join(tmpdir(), 'trailaudit-org-e2e-'));
    org = await seedExampleOrganization(moto.endpoint);
    everyAccount = sorted([org.management.id, org.logArchive.id, org.prod.id, org.sandbox.id]);
    whole = await audit('whole', ['--org', '--role-name', MEMBER_ROLE_NAME]);
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('audits every account of the organization in one report, naming the organization', () => {
    const { report, result } = whole;
    assert.deepEqual(sorted(report.scope.accounts), everyAccount);
    assert.equal(report.scope.organization?.id, org.organizationId);
    assert.equal(report.scope.organization.managementAccountId, org.management.id);
    assert.deepEqual(report.scope.organization.skipped, []);
    assert.deepEqual(report.scope.organization.unreachable, []);
    for (const finding of report.findings) {
      assert.ok(finding.resource.accountId !== null && everyAccount.includes(finding.resource.accountId), `${finding.control} ${finding.resource.id}: accountId ${String(finding.resource.accountId)}`);
    }
    // The seeded misconfigurations (CloudTrail.2 on the organization trail, CloudTrail.4 in workloads-prod) fail the run.
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(missingVerdicts(report.findings, expectedVerdicts(org)), []);
  });

  it('credits every member with the organization trail for CloudTrail.1 and CloudTrail.3, naming it', () => {
    const { report } = whole;
    const cloudTrail1 = findingsOf(report, 'CloudTrail.1');
    assert.deepEqual(sorted(cloudTrail1.map((finding) => finding.resource.accountId ?? '')), everyAccount, 'one CloudTrail.1 finding per account');
    for (const finding of cloudTrail1) {
      assert.equal(finding.status, 'PASS', `${String(finding.resource.accountId)}: ${finding.message}`);
    }
    // The sandbox has no trail of its own: only the organization trail can be its evidence.
    const sandbox = cloudTrail1.find((finding) => finding.resource.accountId === org.sandbox.id);
    assert.ok(sandbox);
    assert.match(JSON.stringify(sandbox.evidence) + sandbox.message, /organization-trail/u);

    const cloudTrail3 = findingsOf(report, 'CloudTrail.3');
    for (const account of everyAccount) {
      const perRegion = cloudTrail3.filter((finding) => finding.resource.accountId === account);
      assert.deepEqual(sorted(perRegion.map((finding) => finding.resource.region)), sorted(EXAMPLE_ORGANIZATION_REGIONS), `CloudTrail.3 per Region of ${account}`);
      assert.deepEqual([...new Set(perRegion.map((finding) => finding.status))], ['PASS'], `${account}: ${perRegion.map((finding) => finding.message).join('; ')}`);
    }
  });

  it("reports the organization trail's own controls once, in the management account", () => {
    const { report } = whole;
    const onOrganizationTrail = report.findings.filter((finding) => finding.resource.id === org.organizationTrail.arn);
    const controls = onOrganizationTrail.map((finding) => finding.control);
    for (const control of ['CloudTrail.2', 'CloudTrail.4', 'CloudTrail.5', 'CloudTrail.9']) {
      assert.equal(controls.filter((id) => id === control).length, 1, `${control} on the organization trail: ${controls.join(', ')}`);
    }
    assert.deepEqual([...new Set(onOrganizationTrail.map((finding) => finding.resource.accountId))], [org.management.id]);
    assert.equal(onOrganizationTrail.find((finding) => finding.control === 'CloudTrail.4')?.status, 'PASS', 'log file validation is on');
    assert.equal(onOrganizationTrail.find((finding) => finding.control === 'CloudTrail.2')?.status, 'FAIL', 'no SSE-KMS');
  });

  it('reads the log-archive bucket with the log-archive account: real CloudTrail.6/7 verdicts, no cross_account', () => {
    const { report } = whole;
    const bucket = `arn:aws:s3:::${org.organizationTrail.bucket}`;
    for (const control of ['CloudTrail.6', 'CloudTrail.7']) {
      const onBucket = findingsOf(report, control).filter((finding) => finding.resource.id === bucket);
      assert.equal(onBucket.length, 1, `${control} once on the log-archive bucket`);
      assert.equal(onBucket[0]?.resource.accountId, org.logArchive.id);
      assert.ok(['PASS', 'FAIL'].includes(onBucket[0].status), `${control}: ${onBucket[0].status} ${onBucket[0].message}`);
    }
    const crossAccount = report.findings.filter((finding) => finding.unknowns.some((unknown) => unknown.reason === 'cross_account'));
    assert.deepEqual(crossAccount.map((finding) => `${finding.control} ${finding.resource.id}`), []);
  });

  it('describes the organization trail once and assumes one role per member (stats.apiCalls)', () => {
    const calls = whole.report.stats.apiCalls;
    const members = everyAccount.length - 1;
    // Two trails in the organization (the organization trail and workloads-prod's): one detail call each.
    assert.equal(calls['cloudtrail:GetTrailStatus'], 2, JSON.stringify(calls));
    assert.equal(calls['cloudtrail:GetEventSelectors'], 2, JSON.stringify(calls));
    assert.equal(calls['cloudtrail:ListTags'], 2, JSON.stringify(calls));
    assert.equal(calls['sts:AssumeRole'], members, JSON.stringify(calls));
    // Two trail buckets, each described once, by its owner.
    assert.equal(calls['s3:GetBucketLogging'], 2, JSON.stringify(calls));
    assert.equal(calls['organizations:ListAccounts'], 1, 'four accounts fit one page');
  });

  it('passes the organization joins alone (CloudTrail.1, .3, .6 across every account): exit 0', async () => {
    const { result, report } = await audit('joins', ['--org', '--checks', 'CloudTrail.1,CloudTrail.3,CloudTrail.6']);
    assert.equal(result.code, 0, `${result.stderr}\n${report.findings.filter((finding) => finding.status !== 'PASS').map((finding) => `${finding.control} ${finding.resource.id} ${finding.status} ${finding.message}`).join('\n')}`);
    assert.ok(report.findings.length >= everyAccount.length * (1 + EXAMPLE_ORGANIZATION_REGIONS.length) + 2);
  });

  it('--accounts without the log archive: its bucket is UNKNOWN(cross_account), exit 3', async () => {
    // With --org, --accounts narrows the organization's own listing, which confirms the sandbox is a member.
    const { result, report } = await audit('explicit', ['--org', '--accounts', `${org.sandbox.id},${org.management.id}`, '--checks', 'CloudTrail.1,CloudTrail.6']);
    assert.deepEqual(sorted(report.scope.accounts), sorted([org.management.id, org.sandbox.id]));
    assert.equal(result.code, 3, result.stderr);
    const [bucket] = findingsOf(report, 'CloudTrail.6').filter((finding) => finding.resource.id === `arn:aws:s3:::${org.organizationTrail.bucket}`);
    assert.equal(bucket?.status, 'UNKNOWN');
    assert.ok(bucket.unknowns.some((unknown) => unknown.reason === 'cross_account'), JSON.stringify(bucket.unknowns));
    // S3 does not tell a non-owner who owns a bucket: the message says how to bring the owner in.
    assert.match(bucket.message, /belongs to another account/u);
    assert.match(JSON.stringify(bucket.unknowns), /add its owner to the audit.*--log-archive-account/u);
    // The sandbox is still credited by the management account's organization trail.
    const sandbox = findingsOf(report, 'CloudTrail.1').find((finding) => finding.resource.accountId === org.sandbox.id);
    assert.equal(sandbox?.status, 'PASS', sandbox?.message);
  });

  it('a member whose role cannot be assumed is reported UNKNOWN(access_denied) naming the role, not dropped: exit 3', async () => {
    const roleArn = `arn:aws:iam::${org.sandbox.id}:role/${MEMBER_ROLE_NAME}`;
    const proxy = await startDenyingProxy(moto.endpoint, (_, body) =>
      body.includes('AssumeRole') && decodeURIComponent(body).includes(roleArn) ? assumeRoleAccessDenied(roleArn) : null,
    );
    try {
      const output = join(work, 'denied');
      const result = await runCli(
        ['audit', '--org', '--endpoint-url', proxy.url, '--regions', EXAMPLE_ORGANIZATION_REGIONS.join(','), '--checks', 'CloudTrail.1,CloudTrail.3', '--format', 'json', '--output-dir', output],
        { cwd: work },
      );
      assertNoStack(result);
      assert.ok(proxy.denied() >= 1, 'the AssumeRole into the sandbox reached the proxy');
      assert.equal(result.code, 3, result.stderr);
      const report = JSON.parse(readFileSync(join(output, 'trailaudit.json'), 'utf8')) as Report;
      assert.deepEqual(sorted(report.scope.accounts), everyAccount, 'the sandbox is still in scope');
      const unreachable = report.scope.organization?.unreachable as { accountId: string; reason: string; message: string }[];
      assert.deepEqual(unreachable.map((account) => [account.accountId, account.reason]), [[org.sandbox.id, 'access_denied']]);
      assert.match(unreachable[0]?.message ?? '', new RegExp(roleArn, 'u'));
      const sandbox = report.findings.filter((finding) => finding.resource.accountId === org.sandbox.id);
      assert.deepEqual(sorted(sandbox.map((finding) => `${finding.control} ${finding.status}`)), [
        'CloudTrail.1 UNKNOWN',
        ...EXAMPLE_ORGANIZATION_REGIONS.map(() => 'CloudTrail.3 UNKNOWN'),
      ]);
      for (const finding of sandbox) {
        assert.deepEqual(finding.unknowns.map((unknown) => unknown.reason), ['access_denied']);
        assert.match(JSON.stringify(finding.unknowns), new RegExp(roleArn, 'u'));
      }
      const others = report.findings.filter((finding) => finding.resource.accountId !== org.sandbox.id);
      assert.deepEqual([...new Set(others.map((finding) => finding.status))], ['PASS'], 'the other accounts are audited as before');
    } finally {
      await proxy.close();
    }
  });

  it('--ou audits only the accounts under the OU, recursively', async () => {
    const workloads = await audit('ou-workloads', ['--org', '--ou', org.ous.workloads, '--checks', 'CloudTrail.4']);
    assert.deepEqual(sorted(workloads.report.scope.accounts), sorted([org.prod.id, org.sandbox.id]));
    assert.deepEqual(
      [...new Set(workloads.report.findings.map((finding) => finding.resource.accountId))],
      [org.prod.id],
      'the only trail under Workloads is workloads-prod’s (the organization trail is the management account’s)',
    );
    assert.equal(workloads.result.code, 1, 'workloads-prod’s trail fails CloudTrail.4');
    const prod = await audit('ou-prod', ['--org', '--ou', org.ous.prod, '--checks', 'CloudTrail.4']);
    assert.deepEqual(prod.report.scope.accounts, [org.prod.id]);
  });

  it('--exclude-accounts leaves an account out and lists it as skipped', async () => {
    const { report } = await audit('exclude', ['--org', '--exclude-accounts', org.sandbox.id, '--checks', 'CloudTrail.1']);
    assert.deepEqual(sorted(report.scope.accounts), everyAccount.filter((id) => id !== org.sandbox.id));
    assert.deepEqual(
      report.scope.organization?.skipped.map((skipped) => [skipped.accountId, skipped.reason]),
      [[org.sandbox.id, 'excluded']],
    );
    assert.equal(report.findings.some((finding) => finding.resource.accountId === org.sandbox.id), false);
  });

  it('--accounts-file audits the listed accounts', async () => {
    writeFileSync(join(work, 'accounts.txt'), `# accounts to audit\n${org.logArchive.id}\n\n${org.prod.id}\n`);
    const { report } = await audit('file', ['--accounts-file', 'accounts.txt', '--checks', 'CloudTrail.1']);
    assert.deepEqual(sorted(report.scope.accounts), sorted([org.logArchive.id, org.prod.id]));
    assert.deepEqual(sorted(findingsOf(report, 'CloudTrail.1').map((finding) => finding.resource.accountId ?? '')), sorted([org.logArchive.id, org.prod.id]));
  });

  it('two shards evaluated together give the findings of one unsharded run', async () => {
    const snapshots: string[] = [];
    const parts: string[][] = [];
    for (const index of [1, 2]) {
      const output = join(work, `shard-${index}`);
      const result = await runCli(
        [
          'audit',
          '--org',
          '--shard',
          `${index}/2`,
          '--save-snapshot',
          `shard-${index}.json`,
          // The log archive may be audited in the other shard: each shard still reads its bucket.
          '--log-archive-account',
          org.logArchive.id,
          '--endpoint-url',
          moto.endpoint,
          '--regions',
          EXAMPLE_ORGANIZATION_REGIONS.join(','),
          '--format',
          'json',
          '--output-dir',
          output,
        ],
        { cwd: work },
      );
      assertNoStack(result);
      if (result.code === 2) {
        // Accounts are parted by id (mod N) and moto's ids are random: with four accounts, one run
        // in eight leaves a part empty, which the collector refuses, naming the shard.
        assert.match(result.stderr, new RegExp(`shard ${index}/2`, 'u'), result.stderr);
        continue;
      }
      assert.ok([0, 1, 3].includes(result.code ?? -1), result.stderr);
      snapshots.push(`shard-${index}.json`);
      parts.push((JSON.parse(readFileSync(join(output, 'trailaudit.json'), 'utf8')) as Report).scope.accounts);
    }
    assert.ok(parts.every((accounts) => accounts.length > 0), JSON.stringify(parts));
    assert.deepEqual(sorted(parts.flat()), everyAccount, 'the shards are disjoint and cover the organization');

    const evaluated = await runCli(['evaluate', ...snapshots, '--format', 'json', '--output-dir', 'evaluated'], { cwd: work });
    assertNoStack(evaluated);
    assert.equal(evaluated.code, whole.result.code, evaluated.stderr);
    const report = JSON.parse(readFileSync(join(work, 'evaluated', 'trailaudit.json'), 'utf8')) as Report;
    assert.deepEqual(sorted(report.scope.accounts), everyAccount);
    assert.equal(report.scope.organization?.id, org.organizationId);
    assert.deepEqual(comparable(report.findings), comparable(whole.report.findings));
  });
});

describe('organization audit with a closed account (CLI end to end against moto)', function () {
  this.timeout(120_000);
  // A server of its own: closing an account changes the organization the other tests read.
  const moto = useMoto({ resetEachTest: false });
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-org-closed-'));
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('lists a SUSPENDED (closed) account as skipped and audits the others', async () => {
    const org = await seedExampleOrganization(moto.endpoint);
    // moto's CloseAccount marks the account SUSPENDED at once (AWS: PENDING_CLOSURE first, then SUSPENDED).
    const organizations = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    try {
      await organizations.send(new CloseAccountCommand({ AccountId: org.sandbox.id }));
    } finally {
      organizations.destroy();
    }
    const result = await runCli(
      ['audit', '--org', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--checks', 'CloudTrail.1', '--format', 'json', '--output-dir', 'out'],
      { cwd: work },
    );
    assertNoStack(result);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as Report;
    assert.deepEqual(sorted(report.scope.accounts), sorted([org.management.id, org.logArchive.id, org.prod.id]));
    const skipped = report.scope.organization?.skipped ?? [];
    assert.deepEqual(skipped.map((account) => [account.accountId, account.reason]), [[org.sandbox.id, 'suspended']]);
    assert.match(skipped[0]?.message ?? '', /SUSPENDED/u);
    assert.equal(report.findings.some((finding) => finding.resource.accountId === org.sandbox.id), false);
  });
});
