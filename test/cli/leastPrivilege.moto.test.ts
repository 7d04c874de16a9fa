/**
 * The policy `trailaudit iam-policy` prints is enough for an audit, and every statement in it
 * matters: audits as IAM users on a moto_server that enforces IAM (test/helpers/enforcingMoto.ts).
 * With exactly the printed policy no verdict is UNKNOWN for a denial; with two actions removed,
 * moto itself answers AccessDenied and the verdicts that needed them are UNKNOWN
 * (access_denied), never PASS, and the summary names the calls.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { MotoServer } from '../../support/moto/server.js';
import { startEnforcingMoto, userWithPolicy } from '../helpers/enforcingMoto.js';
import { runCli } from './runCli.js';

interface Finding {
  control: string;
  status: string;
  reason?: string;
}
interface Policy {
  Statement: { Sid: string; Action: string[] }[];
}

const BUCKET = 'org-trail-logs';
/** The bucket, its policy, the trail, its logging and Security Hub; then four users of three calls each. */
const SETUP_CALLS = 5 + 4 * 3;
const REMOVED = ['cloudtrail:GetEventSelectors', 's3:GetBucketLogging'];

describe('iam-policy is enough for an audit, on a moto that enforces IAM', function () {
  this.timeout(180_000);
  let moto: MotoServer;
  let work: string;
  let policy: Policy;
  const users = new Map<string, Record<string, string>>();

  async function printedPolicy(...args: string[]): Promise<Policy> {
    const printed = await runCli(['iam-policy', ...args], { cwd: work });
    assert.equal(printed.code, 0, printed.stderr);
    return JSON.parse(printed.stdout) as Policy;
  }

  function without(from: Policy, removed: readonly string[]): Policy {
    for (const action of removed) {
      assert.ok(from.Statement.some((statement) => statement.Action.includes(action)), `${action} is in the printed policy`);
    }
    return { ...from, Statement: from.Statement.map((statement) => ({ ...statement, Action: statement.Action.filter((action) => !removed.includes(action)) })) };
  }

  before(async () => {
    moto = await startEnforcingMoto(SETUP_CALLS);
    work = mkdtempSync(join(tmpdir(), 'trailaudit-leastprivilege-'));
    const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const cloudtrail = new CloudTrailClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${BUCKET}` },
          { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
        ],
      }),
    }));
    await cloudtrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: BUCKET, IsMultiRegionTrail: true }));
    await cloudtrail.send(new StartLoggingCommand({ Name: 'main' }));
    const hub = new SecurityHubClient(config);
    await hub.send(new EnableSecurityHubCommand({}));
    hub.destroy();
    s3.destroy();
    cloudtrail.destroy();
    // Every user before any audit: the setup calls are counted from the server's start.
    policy = await printedPolicy();
    const withHub = await printedPolicy('--security-hub');
    const policies: [string, Policy][] = [['auditor', policy], ['narrow', without(policy, REMOVED)], ['importer', withHub], ['cannot-import', without(withHub, ['securityhub:BatchImportFindings'])]];
    for (const [name, document] of policies) {
      users.set(name, await userWithPolicy(moto.endpoint, name, document));
    }
  });
  after(async () => {
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function auditAs(env: Record<string, string>, out: string): Promise<{ findings: Finding[]; stderr: string }> {
    const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', out], { cwd: work, env });
    assert.ok(result.code === 1 || result.code === 3, result.stderr);
    const report = JSON.parse(readFileSync(join(work, out, 'trailaudit.json'), 'utf8')) as { findings: Finding[] };
    return { findings: report.findings, stderr: result.stderr };
  }

  it('exactly the printed policy: no verdict is UNKNOWN for a denial; without two of its actions the verdicts needing them are UNKNOWN (access_denied)', async () => {
    const full = await auditAs(users.get('auditor') ?? {}, 'full');
    const partial = await auditAs(users.get('narrow') ?? {}, 'partial');

    assert.deepEqual(full.findings.filter((finding) => finding.reason === 'access_denied').map((finding) => finding.control), []);
    assert.doesNotMatch(full.stderr, /access denied|AccessDenied/iu);
    const status = (findings: Finding[], control: string): string | undefined => findings.find((finding) => finding.control === control)?.status;
    // Event selectors decide CloudTrail.1, the log bucket's access logging CloudTrail.7.
    for (const control of ['CloudTrail.1', 'CloudTrail.7']) {
      assert.notEqual(status(full.findings, control), 'UNKNOWN', `${control} with the whole policy`);
      const denied = partial.findings.find((finding) => finding.control === control);
      assert.equal(denied?.status, 'UNKNOWN', `${control} without ${REMOVED.join(', ')}`);
      assert.equal(denied.reason, 'access_denied');
    }
    for (const action of REMOVED) {
      assert.match(partial.stderr, new RegExp(action.replace('.', '\\.'), 'u'), `the summary names ${action}`);
    }
  });

  it('audit --security-hub as a user holding iam-policy --security-hub imports; without BatchImportFindings it is exit 2 naming the action', async () => {
    const imported = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'hub', '--security-hub'], { cwd: work, env: users.get('importer') ?? {} });
    assert.ok(imported.code === 1 || imported.code === 3, imported.stderr);
    const hub = new SecurityHubClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: users.get('importer')?.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: users.get('importer')?.AWS_SECRET_ACCESS_KEY ?? '' } });
    const held = (await hub.send(new GetFindingsCommand({}))).Findings ?? [];
    hub.destroy();
    const report = JSON.parse(readFileSync(join(work, 'hub', 'trailaudit.json'), 'utf8')) as { findings: Finding[] };
    assert.equal(held.length, report.findings.filter((finding) => finding.status !== 'NOT_APPLICABLE').length);

    const refused = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'refused', '--security-hub'], { cwd: work, env: users.get('cannot-import') ?? {} });
    assert.equal(refused.code, 2, refused.stderr);
    // moto answers the JSON service's denial in XML; the message still names the action to grant.
    assert.match(refused.stderr, /access denied: the importing principal needs securityhub:BatchImportFindings/u);
  });
});
