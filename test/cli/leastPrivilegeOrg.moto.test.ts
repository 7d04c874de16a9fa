/**
 * An organization audit with exactly what `iam-policy --org` prints, on a moto that enforces IAM
 * (test/helpers/enforcingMoto.ts): the caller, an IAM user of the management account, holds the
 * printed statements; the member's audit role holds only the TrailauditAudit statement. Every
 * verdict of both accounts is decided (but CloudTrail.10: moto has no CloudTrail Lake, MOTO_GAPS).
 * A member role without cloudtrail:DescribeTrails is refused by moto itself, and the member's
 * verdicts are UNKNOWN (access_denied) while the management account's are unchanged.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_ACCOUNT_ID, motoClientConfig } from '../../support/moto/clients.js';
import { memberCredentials, seedOrganization, type MemberCredentials } from '../../support/moto/organization.js';
import type { MotoServer } from '../../support/moto/server.js';
import { roleWithPolicy, startEnforcingMoto, userWithPolicy } from '../helpers/enforcingMoto.js';
import { runCli } from './runCli.js';

interface Finding {
  control: string;
  status: string;
  reason?: string | null;
  resource: { accountId: string | null };
}
interface Policy {
  Version: string;
  Statement: { Sid: string; Action: string[] }[];
}

/**
 * The organization (CreateOrganization, ListRoots, CreateAccount), AssumeRole into the member,
 * a bucket and a trail in each account, two member roles and two callers.
 */
const SETUP_CALLS = 3 + 1 + 2 * 2 + 2 * 2 + 2 * 3;

describe('iam-policy --org is enough for an organization audit, on a moto that enforces IAM', function () {
  this.timeout(240_000);
  let moto: MotoServer;
  let work: string;
  let member: string;
  const callers = new Map<string, Record<string, string>>();

  async function seedTrail(credentials: MemberCredentials | undefined, bucket: string): Promise<void> {
    const config = credentials === undefined ? motoClientConfig(moto.endpoint, 'us-east-1') : { ...motoClientConfig(moto.endpoint, 'us-east-1'), credentials };
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const cloudtrail = new CloudTrailClient(config);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await cloudtrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: bucket, IsMultiRegionTrail: true }));
    } finally {
      s3.destroy();
      cloudtrail.destroy();
    }
  }

  async function printed(roleName: string): Promise<Policy> {
    const result = await runCli(['iam-policy', '--org', '--role-name', roleName], { cwd: work });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Policy;
  }

  before(async () => {
    moto = await startEnforcingMoto(SETUP_CALLS);
    work = mkdtempSync(join(tmpdir(), 'trailaudit-leastprivilege-org-'));
    const org = await seedOrganization(moto.endpoint, { accounts: [{ name: 'workload' }] });
    member = org.accountId('workload');
    const memberAccess = await memberCredentials(moto.endpoint, member);
    await seedTrail(undefined, 'management-logs');
    await seedTrail(memberAccess, 'workload-logs');
    const full = await printed('TrailauditAudit');
    const auditStatement = full.Statement.filter((statement) => statement.Sid === 'TrailauditAudit');
    assert.equal(auditStatement.length, 1);
    const narrow = auditStatement.map((statement) => ({ ...statement, Action: statement.Action.filter((action) => action !== 'cloudtrail:DescribeTrails') }));
    await roleWithPolicy(moto.endpoint, memberAccess, 'TrailauditAudit', MOTO_ACCOUNT_ID, { Version: full.Version, Statement: auditStatement });
    await roleWithPolicy(moto.endpoint, memberAccess, 'NarrowAudit', MOTO_ACCOUNT_ID, { Version: full.Version, Statement: narrow });
    callers.set('TrailauditAudit', await userWithPolicy(moto.endpoint, 'caller', full));
    callers.set('NarrowAudit', await userWithPolicy(moto.endpoint, 'narrow-caller', await printed('NarrowAudit')));
  });
  after(async () => {
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function audit(roleName: string): Promise<Finding[]> {
    const out = `out-${roleName}`;
    const result = await runCli(['audit', '--org', '--role-name', roleName, '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', out], { cwd: work, env: callers.get(roleName) ?? {} });
    assert.ok(result.code === 1 || result.code === 3, result.stderr);
    return (JSON.parse(readFileSync(join(work, out, 'trailaudit.json'), 'utf8')) as { findings: Finding[] }).findings;
  }

  const undecided = (findings: readonly Finding[], account: string): string[] =>
    findings.filter((finding) => finding.resource.accountId === account && finding.status === 'UNKNOWN' && finding.control !== 'CloudTrail.10').map((finding) => `${finding.control} ${finding.reason ?? ''}`);

  it('with exactly the printed statements, every verdict of both accounts is decided; a member role without DescribeTrails makes the member UNKNOWN (access_denied), not the caller', async () => {
    const granted = await audit('TrailauditAudit');
    assert.deepEqual(undecided(granted, MOTO_ACCOUNT_ID), []);
    assert.deepEqual(undecided(granted, member), []);
    assert.ok(granted.some((finding) => finding.resource.accountId === member && finding.status === 'FAIL'), 'the member was audited');

    const narrowed = await audit('NarrowAudit');
    assert.deepEqual(undecided(narrowed, MOTO_ACCOUNT_ID), []);
    const denied = narrowed.filter((finding) => finding.resource.accountId === member && finding.control === 'CloudTrail.1');
    assert.deepEqual(denied.map((finding) => [finding.status, finding.reason]), [['UNKNOWN', 'access_denied']]);
    assert.ok(!narrowed.some((finding) => finding.resource.accountId === member && finding.status === 'PASS' && ['CloudTrail.1', 'CloudTrail.4'].includes(finding.control)));
  });
});
