/**
 * Issue 14 end to end: the built CLI imports an audit into Security Hub on moto_server, as a user
 * runs it (`audit --security-hub`, `security-hub import`, `--dry-run`), and what Security Hub then
 * holds is read back with GetFindings. moto upserts by Id, pages GetFindings and keeps accounts and
 * Regions apart, which is all these tests rely on; it ignores every GetFindings filter, so the
 * read-back here filters on the client (test/MOTO_GAPS.md). Throttling, FailedFindings and a hub
 * that is not enabled are AWS behaviours moto lacks: test/securityhub/importRun.mock.test.ts.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, StartLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { enableSecurityHub, heldFindings } from '../../support/moto/securityHub.js';
import { useMoto } from '../../support/moto/mocha.js';
import { MEMBER_ROLE_NAME, memberCredentials, seedOrganization } from '../../support/moto/organization.js';
import { assumeRoleAccessDenied, startDenyingProxy } from '../helpers/denyingProxy.js';
import { runCli, type CliResult } from './runCli.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const HUB_REGION = 'us-east-1';
const STATUS: Readonly<Record<string, string>> = { PASS: 'PASSED', FAIL: 'FAILED', UNKNOWN: 'NOT_AVAILABLE' };

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}
interface ReportFinding {
  checkId: string;
  status: string;
  resource: { id: string; accountId: string | null; region: string };
}
interface Report {
  scope: { accounts: string[] };
  finishedAt: string;
  findings: ReportFinding[];
}

const SUMMARY = /Security Hub: (\d+) imported \((\d+) passed, (\d+) failed, (\d+) not available\), (\d+) archived, (\d+) kept outside this run's scope, in (\d+) account\(s\) \/ (\d+) Region\(s\)/u;

function assertNoStack(result: CliResult): void {
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/u, result.stderr);
}

interface Sendable {
  readonly checkId: string;
  readonly status: string;
  readonly account: string;
  /** The Id the README documents: trailaudit/<check>/<account>/<resource Region>/<resource id>. */
  readonly id: string;
}

/**
 * The report's findings Security Hub should hold: every PASS / FAIL / UNKNOWN, in its resource's
 * account (one whose owner is not known, e.g. another account's bucket: the audited account's).
 */
function sendable(report: Report): Sendable[] {
  return report.findings
    .filter((f) => f.status !== 'NOT_APPLICABLE')
    .map((f) => {
      const account = f.resource.accountId ?? report.scope.accounts[0] ?? '';
      return { checkId: f.checkId, status: f.status, account, id: `trailaudit/${f.checkId}/${account}/${f.resource.region}/${f.resource.id}` };
    });
}

function heldIdentity(finding: AwsSecurityFinding): string {
  return finding.Id ?? '';
}

describe('Security Hub import from the CLI (end to end against moto)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-securityhub-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const trailClient = (region: string, credentials: Credentials = MOTO_CREDENTIALS): CloudTrailClient =>
    new CloudTrailClient({ region, endpoint: moto.endpoint, credentials });

  /** A multi-Region trail without log file validation in us-east-1 (CloudTrail.4 FAIL), a single-Region one in eu-west-1. */
  async function seedAccount(credentials: Credentials = MOTO_CREDENTIALS, prefix = 'a'): Promise<void> {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: `${prefix}-trail-logs` }));
    s3.destroy();
    const east = trailClient('us-east-1', credentials);
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: `${prefix}-trail-logs`, IsMultiRegionTrail: true }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    east.destroy();
    const west = trailClient('eu-west-1', credentials);
    await west.send(new CreateTrailCommand({ Name: 'west', S3BucketName: `${prefix}-trail-logs`, EnableLogFileValidation: true }));
    west.destroy();
  }

  async function enableHub(credentials: Credentials = MOTO_CREDENTIALS): Promise<void> {
    await enableSecurityHub(moto.endpoint, REGIONS, credentials);
  }

  /** Our findings Security Hub holds for these credentials, every Region, every page (moto ignores filters). */
  async function held(credentials: Credentials = MOTO_CREDENTIALS): Promise<AwsSecurityFinding[]> {
    const found: AwsSecurityFinding[] = [];
    for (const region of REGIONS) {
      found.push(...(await heldFindings(moto.endpoint, region, credentials)).filter((f) => (f.GeneratorId ?? '').startsWith('trailaudit/')));
    }
    return found;
  }

  const active = (findings: readonly AwsSecurityFinding[]): AwsSecurityFinding[] => findings.filter((f) => f.RecordState === 'ACTIVE');

  async function audit(output: string, extra: readonly string[], regions: readonly string[] = REGIONS): Promise<{ result: CliResult; report: Report }> {
    const result = await runCli(
      ['audit', '--endpoint-url', moto.endpoint, '--regions', regions.join(','), '--format', 'json', '--output-dir', output, ...(extra.includes('--security-hub') ? ['--security-hub-region', HUB_REGION] : []), ...extra],
      { cwd: work },
    );
    assertNoStack(result);
    assert.ok([0, 1, 3].includes(result.code ?? -1), `exit ${String(result.code)}: ${result.stderr}`);
    return { result, report: JSON.parse(readFileSync(join(work, output, 'trailaudit.json'), 'utf8')) as Report };
  }

  function summary(result: CliResult): number[] {
    const match = SUMMARY.exec(result.stderr);
    assert.ok(match, `no Security Hub summary in: ${result.stderr}`);
    return match.slice(1).map(Number);
  }

  /** Security Hub holds each sendable finding of the report exactly once, ACTIVE, with its status and product. */
  function assertHoldsReport(findings: readonly AwsSecurityFinding[], report: Report, account = MOTO_ACCOUNT_ID): void {
    const expected = sendable(report).filter((f) => f.account === account);
    assert.ok(expected.length > 0);
    const mine = active(findings).filter((f) => f.AwsAccountId === account);
    assert.equal(new Set(mine.map((f) => `${f.ProductArn ?? ''} ${f.Id ?? ''}`)).size, mine.length, 'no duplicate');
    assert.deepEqual(mine.map(heldIdentity).sort(), expected.map((f) => f.id).sort());
    for (const finding of expected) {
      const [match] = mine.filter((h) => heldIdentity(h) === finding.id);
      assert.ok(match);
      assert.equal(match.Compliance?.Status, STATUS[finding.status], finding.id);
      assert.equal(match.GeneratorId, `trailaudit/${finding.checkId}`);
      assert.equal(match.ProductArn, `arn:aws:securityhub:${match.Region ?? ''}:${account}:product/${account}/default`);
      assert.ok(REGIONS.includes(match.Region ?? ''));
    }
  }

  it('audit --security-hub: each finding once with its status; a re-run adds no duplicate; a fix turns PASSED; a deleted trail is archived', async () => {
    await seedAccount();
    await enableHub();
    const first = await audit('first', ['--security-hub']);
    const firstHeld = await held();
    assertHoldsReport(firstHeld, first.report);
    const [imported, passed, failed, notAvailable, archived, kept, accounts] = summary(first.result);
    assert.equal(imported, sendable(first.report).length);
    assert.equal((passed ?? 0) + (failed ?? 0) + (notAvailable ?? 0), imported);
    assert.equal(failed, first.report.findings.filter((f) => f.status === 'FAIL').length);
    assert.deepEqual([archived, kept, accounts], [0, 0, 1]);

    const second = await audit('second', ['--security-hub']);
    const secondHeld = await held();
    assert.equal(secondHeld.length, firstHeld.length, 'a re-run adds nothing');
    assertHoldsReport(secondHeld, second.report);
    const createdAt = new Map(firstHeld.map((f) => [f.Id, f.CreatedAt]));
    assert.ok(secondHeld.every((f) => createdAt.get(f.Id) === f.CreatedAt && (f.UpdatedAt ?? '') > (firstHeld.find((g) => g.Id === f.Id)?.UpdatedAt ?? '')));

    const validation = (findings: readonly AwsSecurityFinding[]): AwsSecurityFinding | undefined =>
      findings.find((f) => f.GeneratorId === 'trailaudit/CloudTrail.4' && heldIdentity(f).includes(':trail/main'));
    assert.equal(validation(secondHeld)?.Compliance?.Status, 'FAILED');
    const east = trailClient('us-east-1');
    await east.send(new UpdateTrailCommand({ Name: 'main', EnableLogFileValidation: true }));
    east.destroy();
    await audit('fixed', ['--security-hub']);
    const fixedHeld = await held();
    assert.equal(validation(fixedHeld)?.Compliance?.Status, 'PASSED');
    assert.equal(validation(fixedHeld)?.RecordState, 'ACTIVE');

    const west = trailClient('eu-west-1');
    await west.send(new DeleteTrailCommand({ Name: 'west' }));
    west.destroy();
    const gone = await audit('deleted', ['--security-hub']);
    const goneHeld = await held();
    const ofWest = goneHeld.filter((f) => heldIdentity(f).includes(':trail/west'));
    assert.ok(ofWest.length > 0);
    assert.ok(ofWest.every((f) => f.RecordState === 'ARCHIVED'), JSON.stringify(ofWest.map((f) => [f.Id, f.RecordState])));
    assert.equal(summary(gone.result)[4], ofWest.length, 'the summary counts the archives');
    assertHoldsReport(goneHeld, gone.report);
  });

  it('a --regions or --checks run archives nothing outside its scope; --dry-run sends nothing and lists what it would keep', async () => {
    await seedAccount();
    await enableHub();
    await audit('full', ['--security-hub']);
    const west = trailClient('eu-west-1');
    await west.send(new DeleteTrailCommand({ Name: 'west' }));
    west.destroy();
    const westActive = async (): Promise<AwsSecurityFinding[]> => active(await held()).filter((f) => heldIdentity(f).includes(':trail/west'));
    const before = await westActive();
    assert.ok(before.some((f) => f.GeneratorId !== 'trailaudit/CloudTrail.4'), 'findings of other checks name the west trail');

    // Only CloudTrail.4 would run: its finding of the deleted trail would be archived, the other checks' kept.
    const beforeDry = JSON.stringify((await held()).map((f) => [f.Id, f.UpdatedAt, f.RecordState]).sort());
    const dryRun = await audit('dry', ['--security-hub', '--checks', 'CloudTrail.4', '--dry-run']);
    assert.match(dryRun.result.stdout, /^Security Hub dry run for this audit \(nothing was sent\):$/mu);
    assert.match(
      dryRun.result.stdout,
      new RegExp(`^  ${MOTO_ACCOUNT_ID} eu-west-1: \\d+ to import \\(\\d+ passed, \\d+ failed, \\d+ not available\\), 1 to archive, \\d+ kept outside this run's scope$`, 'mu'),
    );
    for (const finding of before) {
      const line =
        finding.GeneratorId === 'trailaudit/CloudTrail.4'
          ? `  archive ${finding.Id ?? ''} (${MOTO_ACCOUNT_ID} eu-west-1: its resource is no longer reported)`
          : `  keep    ${finding.Id ?? ''} (${MOTO_ACCOUNT_ID} eu-west-1: its check did not run)`;
      assert.ok(dryRun.result.stdout.includes(line), `${line} missing from:\n${dryRun.result.stdout}`);
    }
    assert.doesNotMatch(dryRun.result.stderr, SUMMARY, 'no import summary after a dry run');
    assert.equal(JSON.stringify((await held()).map((f) => [f.Id, f.UpdatedAt, f.RecordState]).sort()), beforeDry, 'the dry run sent nothing');

    const regional = await audit('regional', ['--security-hub'], ['us-east-1']);
    assert.equal(summary(regional.result)[4], 0, 'nothing archived');
    assert.deepEqual((await westActive()).map((f) => f.Id).sort(), before.map((f) => f.Id).sort());

    // Only CloudTrail.4 ran: its finding of the deleted trail goes, the other checks' stay.
    const checks = await audit('checks', ['--security-hub', '--checks', 'CloudTrail.4']);
    const after = await westActive();
    assert.deepEqual(after.map((f) => f.Id).sort(), before.filter((f) => f.GeneratorId !== 'trailaudit/CloudTrail.4').map((f) => f.Id).sort());
    assert.equal(summary(checks.result)[4], before.length - after.length);
  });

  it('security-hub import of a saved report; a report older than what Security Hub holds is refused', async () => {
    await seedAccount();
    await enableHub();
    const saved = await audit('saved', []);
    assert.doesNotMatch(saved.result.stderr, /Security Hub:/u, 'no import without --security-hub');
    assert.deepEqual(await held(), []);
    const file = join('saved', 'trailaudit.json');
    const imported = await runCli(['security-hub', 'import', file, '--endpoint-url', moto.endpoint, '--security-hub-region', HUB_REGION], { cwd: work });
    assertNoStack(imported);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(summary(imported)[0], sendable(saved.report).length);
    assertHoldsReport(await held(), saved.report);

    await audit('later', ['--security-hub']);
    const beforeRefusal = JSON.stringify((await held()).map((f) => [f.Id, f.UpdatedAt, f.RecordState]).sort());
    const old = await runCli(['security-hub', 'import', file, '--endpoint-url', moto.endpoint, '--security-hub-region', HUB_REGION], { cwd: work });
    assertNoStack(old);
    assert.equal(old.code, 2, old.stderr);
    assert.match(old.stderr, /saved\/trailaudit\.json observed its accounts at [^ ]+, before a later run whose findings Security Hub holds \(listed below\): nothing was imported/u);
    assert.match(old.stderr, /newer_run: .*Security Hub holds \d+ finding\(s\) of a run that observed this account and Region later/u);
    assert.equal(JSON.stringify((await held()).map((f) => [f.Id, f.UpdatedAt, f.RecordState]).sort()), beforeRefusal, 'nothing sent');
  });

  it('security-hub import with no Region anywhere in the credential chain says where account-level findings go', async () => {
    await seedAccount();
    await enableHub();
    await audit('chainless', []);
    const file = join('chainless', 'trailaudit.json');
    const noRegion = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: join(work, 'no-config') };
    const bare = await runCli(['security-hub', 'import', file, '--endpoint-url', moto.endpoint, '--dry-run'], { cwd: work, env: noRegion });
    assertNoStack(bare);
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stderr, /^trailaudit: no Region in the credential chain \(AWS_REGION, the profile's region\): account-level findings go to Security Hub in us-east-1; --security-hub-region chooses another\.$/mu);
    const chosen = await runCli(['security-hub', 'import', file, '--endpoint-url', moto.endpoint, '--dry-run', '--security-hub-region', 'eu-west-1'], { cwd: work, env: noRegion });
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.doesNotMatch(chosen.stderr, /no Region in the credential chain/u);
    const configured = await runCli(['security-hub', 'import', file, '--endpoint-url', moto.endpoint, '--dry-run'], { cwd: work, env: { AWS_REGION: 'us-east-1' } });
    assert.equal(configured.code, 0, configured.stderr);
    assert.doesNotMatch(configured.stderr, /no Region in the credential chain/u);
  });

  it('security-hub import refuses an infrastructure-code scan and two reports of one account, before any call', async () => {
    const dead = 'http://127.0.0.1:9';
    const live = {
      schemaVersion: 1,
      tool: { name: 'trailaudit', version: '0.1.0' },
      scope: { source: 'live', accounts: [MOTO_ACCOUNT_ID], regions: ['us-east-1'], inputs: [] },
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:00:01.000Z',
      failOn: 'informational',
      summary: {},
      stats: { apiCalls: {}, durationMs: 1 },
      controls: [],
      suppressions: [],
      findings: [],
    };
    writeFileSync(join(work, 'a.json'), JSON.stringify(live));
    copyFileSync(join(work, 'a.json'), join(work, 'b.json'));
    writeFileSync(join(work, 'scan.json'), JSON.stringify({ ...live, scope: { ...live.scope, source: 'cloudformation', accounts: [], inputs: ['t.yaml'] } }));
    const cases: [string[], RegExp][] = [
      [['scan.json'], /scan\.json is a scan of infrastructure code \(source cloudformation\).*only reports of live audits/u],
      [['a.json', 'b.json'], new RegExp(`a\\.json and b\\.json both audited account ${MOTO_ACCOUNT_ID}`, 'u')],
      [['missing.json'], /missing\.json/u],
      // The two spellings of the import role naming different roles: refused, not one silently preferred.
      [['a.json', '--role-name', 'A', '--security-hub-role-name', 'B'], /--role-name A and --security-hub-role-name B name different roles/u],
    ];
    for (const [files, message] of cases) {
      const result = await runCli(['security-hub', 'import', ...files, '--endpoint-url', dead], { cwd: work });
      assertNoStack(result);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /ECONNREFUSED|GetCallerIdentity/u, 'nothing was sent');
    }
  });

  it('audit usage errors: --dry-run or --security-hub-region without --security-hub, a bad Region or role name (exit 2, nothing sent)', async () => {
    const cases: [string[], RegExp][] = [
      [['--dry-run'], /--dry-run needs --security-hub/u],
      [['--security-hub-region', 'us-east-1'], /--security-hub-region needs --security-hub/u],
      [['--security-hub', '--security-hub-region', 'nowhere'], /"nowhere" is not an AWS Region name/u],
      [['--security-hub', '--security-hub-role-name', 'bad role'], /a role name must be 1-64 characters/u],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['audit', '--endpoint-url', 'http://127.0.0.1:9', '--regions', 'us-east-1', '--output-dir', 'out', ...args], { cwd: work });
      assertNoStack(result);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /ECONNREFUSED/u, 'nothing was sent');
    }
  });

  it('a --security-hub-region of another partition than the audited Regions is refused before any Security Hub call (exit 2, reports written)', async () => {
    await seedAccount();
    await enableHub();
    const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', REGIONS.join(','), '--format', 'json', '--output-dir', 'cn', '--security-hub', '--security-hub-region', 'cn-north-1'], { cwd: work });
    assertNoStack(result);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /the Security Hub Region cn-north-1 is in the aws-cn partition, but the run audited [a-z0-9-]+ \(aws\)/u);
    assert.ok(existsSync(join(work, 'cn', 'trailaudit.json')), 'the audit still wrote its report');
    assert.deepEqual(await held(), []);
  });

  it('an organization audit imports each member account\'s findings into that account\'s own Security Hub', async () => {
    const org = await seedOrganization(moto.endpoint, { accounts: [{ name: 'workload' }] });
    const member = org.accountId('workload');
    const memberCreds = await memberCredentials(moto.endpoint, member, MEMBER_ROLE_NAME);
    await seedAccount(MOTO_CREDENTIALS, 'mgmt');
    await seedAccount(memberCreds, 'member');
    await enableHub();
    await enableHub(memberCreds);
    const { result, report } = await audit('org', ['--accounts', `${MOTO_ACCOUNT_ID},${member}`, '--role-name', MEMBER_ROLE_NAME, '--security-hub']);
    assert.equal(summary(result)[6], 2, 'two accounts');
    const own = await held();
    const theirs = await held(memberCreds);
    assert.ok(own.every((f) => f.AwsAccountId === MOTO_ACCOUNT_ID), 'the management hub holds only its own findings');
    assert.ok(theirs.every((f) => f.AwsAccountId === member), "the member's hub holds only the member's findings");
    assertHoldsReport(own, report, MOTO_ACCOUNT_ID);
    assertHoldsReport(theirs, report, member);
  });

  it('an account whose import role cannot be assumed: the others are imported, the audit exits 2 listing what was not sent', async () => {
    const org = await seedOrganization(moto.endpoint, { accounts: [{ name: 'workload' }] });
    const member = org.accountId('workload');
    const memberCreds = await memberCredentials(moto.endpoint, member, MEMBER_ROLE_NAME);
    await seedAccount(MOTO_CREDENTIALS, 'mgmt');
    await seedAccount(memberCreds, 'member');
    // moto never denies AssumeRole: the proxy answers the import role's as STS would.
    const importRole = `arn:aws:iam::${member}:role/ImportRole`;
    const proxy = await startDenyingProxy(moto.endpoint, (_, body) =>
      body.includes('AssumeRole') && decodeURIComponent(body).includes(importRole) ? assumeRoleAccessDenied(importRole) : null,
    );
    try {
      const result = await runCli(
        ['audit', '--endpoint-url', proxy.url, '--regions', REGIONS.join(','), '--format', 'json', '--output-dir', 'out', '--accounts', `${MOTO_ACCOUNT_ID},${member}`,
          '--role-name', MEMBER_ROLE_NAME, '--security-hub', '--security-hub-region', HUB_REGION, '--security-hub-role-name', 'ImportRole'],
        { cwd: work },
      );
      assertNoStack(result);
      assert.equal(result.code, 2, result.stderr);
      const report = JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as Report;
      assertHoldsReport(await held(), report, MOTO_ACCOUNT_ID);
      assert.deepEqual(await held(memberCreds), [], 'nothing reached the member');
      assert.match(result.stderr, /the Security Hub import is incomplete \(2 problem\(s\)\):/u);
      for (const region of REGIONS) {
        assert.match(result.stderr, new RegExp(`^  ${member} ${region}: access: AccessDenied: .*ImportRole.* \\(\\d+ finding\\(s\\) not sent\\)$`, 'mu'));
      }
      const listed = result.stderr.split('\n').filter((line) => line.startsWith(`    trailaudit/`));
      assert.ok(listed.length > 0 && listed.every((line) => line.includes(`/${member}/`)), result.stderr);
      assert.equal(summary(result)[6], 1, 'the summary counts the one account imported');
    } finally {
      await proxy.close();
    }
  });
});
