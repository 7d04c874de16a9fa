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
/** The bucket, its policy, the trail and its logging; then two users of three calls each. */
const SETUP_CALLS = 4 + 2 * 3;
const REMOVED = ['cloudtrail:GetEventSelectors', 's3:GetBucketLogging'];

describe('iam-policy is enough for an audit, on a moto that enforces IAM', function () {
  this.timeout(180_000);
  let moto: MotoServer;
  let work: string;

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
    s3.destroy();
    cloudtrail.destroy();
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
    const printed = await runCli(['iam-policy'], { cwd: work });
    assert.equal(printed.code, 0, printed.stderr);
    const policy = JSON.parse(printed.stdout) as Policy;
    const [audit] = policy.Statement;
    assert.ok(audit !== undefined && REMOVED.every((action) => audit.Action.includes(action)));
    const reduced: Policy = { ...policy, Statement: [{ ...audit, Action: audit.Action.filter((action) => !REMOVED.includes(action)) }] };
    // Both users before any audit: the setup calls are counted from the server's start.
    const auditor = await userWithPolicy(moto.endpoint, 'auditor', policy);
    const narrow = await userWithPolicy(moto.endpoint, 'narrow', reduced);
    const full = await auditAs(auditor, 'full');
    const partial = await auditAs(narrow, 'partial');

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
});
