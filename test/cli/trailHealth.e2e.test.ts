/**
 * Issue 12's "done means", end to end: the built CLI audits moto accounts seeded with broken trail
 * health (deleted bucket and log group; disabled, pending-deletion, missing, non-rotating and
 * CloudTrail-less keys) and S3 data-event selectors, and must give FAIL where the truth is FAIL
 * and PASS only where everything holds. Delivery errors, which moto never reports, are covered
 * with aws-sdk-client-mock in the collector tests and by the case tables.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateKeyCommand, DisableKeyCommand, EnableKeyRotationCommand, PutKeyPolicyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { cloudTrailClient, kmsClient, motoClientConfig, MOTO_ACCOUNT_ID, s3Client } from '../../support/moto/clients.js';
import { cloudTrailKeyPolicy } from '../../support/moto/kmsKeyPolicy.js';
import { useMoto } from '../../support/moto/mocha.js';
import { runCli } from './runCli.js';

interface Finding {
  control: string;
  status: string;
  reason: string | null;
  message: string;
  resource: { id: string };
}

const REGION = 'us-east-1';
const trailArn = (name: string): string => `arn:aws:cloudtrail:${REGION}:${MOTO_ACCOUNT_ID}:trail/${name}`;
const logGroupArn = (name: string): string => `arn:aws:logs:${REGION}:${MOTO_ACCOUNT_ID}:log-group:${name}:*`;

describe('trail health and S3 data events (CLI end to end against moto)', function () {
  this.timeout(90_000);
  const moto = useMoto();
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-health-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  async function audit(checks: string): Promise<Finding[]> {
    const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', `${REGION},eu-west-1`, '--checks', checks, '--format', 'json', '--output-dir', 'out'], {
      cwd: work,
    });
    assert.ok([0, 1, 3].includes(result.code ?? -1), `audit exit ${String(result.code)}: ${result.stderr}`);
    return (JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as { findings: Finding[] }).findings;
  }
  const verdict = (findings: readonly Finding[], control: string, resource: string): Finding => {
    const found = findings.find((finding) => finding.control === control && finding.resource.id === resource);
    assert.ok(found, `${control} has a finding for ${resource}: ${JSON.stringify(findings.filter((f) => f.control === control).map((f) => [f.resource.id, f.status]))}`);
    return found;
  };

  /** A key in the given state; returns its ARN. */
  async function key(state: 'usable' | 'disabled' | 'pending-deletion' | 'root-only' | 'no-rotation'): Promise<string> {
    const kms = kmsClient(moto.endpoint, REGION);
    try {
      const created = await kms.send(new CreateKeyCommand({ Description: state }));
      const arn = created.KeyMetadata?.Arn ?? '';
      const id = created.KeyMetadata?.KeyId ?? '';
      if (state !== 'root-only') {
        await kms.send(new PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy: cloudTrailKeyPolicy(MOTO_ACCOUNT_ID) }));
      }
      if (state !== 'no-rotation') {
        await kms.send(new EnableKeyRotationCommand({ KeyId: id }));
      }
      if (state === 'disabled') {
        await kms.send(new DisableKeyCommand({ KeyId: id }));
      }
      if (state === 'pending-deletion') {
        await kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
      }
      return arn;
    } finally {
      kms.destroy();
    }
  }

  async function trail(name: string, settings: { bucket: string; kmsKeyId?: string; logGroup?: string; multiRegion?: boolean }): Promise<void> {
    const cloudtrail = cloudTrailClient(moto.endpoint, REGION);
    try {
      await cloudtrail.send(
        new CreateTrailCommand({
          Name: name,
          S3BucketName: settings.bucket,
          IsMultiRegionTrail: settings.multiRegion ?? false,
          ...(settings.kmsKeyId === undefined ? {} : { KmsKeyId: settings.kmsKeyId }),
          ...(settings.logGroup === undefined
            ? {}
            : { CloudWatchLogsLogGroupArn: logGroupArn(settings.logGroup), CloudWatchLogsRoleArn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/ct-logs` }),
        }),
      );
      await cloudtrail.send(new StartLoggingCommand({ Name: name }));
    } finally {
      cloudtrail.destroy();
    }
  }

  async function bucket(name: string): Promise<void> {
    const s3 = s3Client(moto.endpoint, REGION);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    } finally {
      s3.destroy();
    }
  }

  it('TrailHealth.1/2: a deleted bucket and a missing log group FAIL; working delivery PASSes', async () => {
    await bucket('logs-ok');
    await bucket('logs-gone');
    const logs = new CloudWatchLogsClient(motoClientConfig(moto.endpoint, REGION));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'ct-ok' }));
    logs.destroy();
    await trail('healthy', { bucket: 'logs-ok', logGroup: 'ct-ok' });
    await trail('bucket-deleted', { bucket: 'logs-gone' });
    await trail('log-group-missing', { bucket: 'logs-ok', logGroup: 'ct-never-created' });
    const s3 = s3Client(moto.endpoint, REGION);
    await s3.send(new DeleteBucketCommand({ Bucket: 'logs-gone' }));
    s3.destroy();

    const findings = await audit('TrailHealth.1,TrailHealth.2');
    assert.equal(verdict(findings, 'TrailHealth.1', trailArn('healthy')).status, 'PASS');
    const gone = verdict(findings, 'TrailHealth.1', trailArn('bucket-deleted'));
    assert.equal(gone.status, 'FAIL', gone.message);
    assert.match(gone.message, /logs-gone/u);
    assert.equal(verdict(findings, 'TrailHealth.2', trailArn('healthy')).status, 'PASS');
    const missing = verdict(findings, 'TrailHealth.2', trailArn('log-group-missing'));
    assert.equal(missing.status, 'FAIL', missing.message);
    // No log group configured: nothing to deliver to, so nothing to judge.
    assert.equal(verdict(findings, 'TrailHealth.2', trailArn('bucket-deleted')).status, 'NOT_APPLICABLE');
  });

  it('TrailHealth.3/4: disabled, pending-deletion, missing, CloudTrail-less and non-rotating keys; a good key PASSes', async () => {
    await bucket('logs');
    const keys = {
      good: await key('usable'),
      disabled: await key('disabled'),
      pending: await key('pending-deletion'),
      rootOnly: await key('root-only'),
      noRotation: await key('no-rotation'),
      missing: `arn:aws:kms:${REGION}:${MOTO_ACCOUNT_ID}:key/00000000-1111-2222-3333-444444444444`,
    };
    for (const [name, kmsKeyId] of Object.entries(keys)) {
      await trail(`key-${name}`, { bucket: 'logs', kmsKeyId });
    }
    await trail('no-key', { bucket: 'logs' });

    const findings = await audit('TrailHealth.3,TrailHealth.4');
    const status = (control: string, name: string): string => verdict(findings, control, trailArn(name)).status;
    assert.equal(status('TrailHealth.3', 'key-good'), 'PASS');
    for (const broken of ['key-disabled', 'key-pending', 'key-rootOnly', 'key-missing']) {
      const finding = verdict(findings, 'TrailHealth.3', trailArn(broken));
      assert.equal(finding.status, 'FAIL', `${broken}: ${finding.message}`);
    }
    assert.match(verdict(findings, 'TrailHealth.3', trailArn('key-disabled')).message, /Disabled/u);
    assert.match(verdict(findings, 'TrailHealth.3', trailArn('key-pending')).message, /PendingDeletion/u);
    assert.match(verdict(findings, 'TrailHealth.3', trailArn('key-rootOnly')).message, /cloudtrail\.amazonaws\.com/u);
    assert.equal(status('TrailHealth.3', 'no-key'), 'NOT_APPLICABLE');
    assert.equal(status('TrailHealth.4', 'key-good'), 'PASS');
    assert.equal(status('TrailHealth.4', 'key-noRotation'), 'FAIL');
    assert.notEqual(status('TrailHealth.4', 'key-missing'), 'PASS');
    assert.equal(status('TrailHealth.4', 'no-key'), 'NOT_APPLICABLE');
  });

  it('S3.22/S3.23 from a basic write-only selector on every bucket', async () => {
    await bucket('logs');
    await trail('data', { bucket: 'logs', multiRegion: true });
    const cloudtrail = cloudTrailClient(moto.endpoint, REGION);
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'data',
        EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
      }),
    );
    cloudtrail.destroy();
    const findings = await audit('S3.22,S3.23');
    assert.equal(verdict(findings, 'S3.22', MOTO_ACCOUNT_ID).status, 'PASS');
    assert.equal(verdict(findings, 'S3.23', MOTO_ACCOUNT_ID).status, 'FAIL');
  });

  it('S3.22/S3.23 from advanced selectors: all S3 objects PASS, one bucket does not count', async () => {
    await bucket('logs');
    await trail('all-objects', { bucket: 'logs', multiRegion: true });
    await trail('one-bucket', { bucket: 'logs', multiRegion: true });
    const cloudtrail = cloudTrailClient(moto.endpoint, REGION);
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'one-bucket',
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::finance/'] },
            ],
          },
        ],
      }),
    );
    let findings = await audit('S3.22,S3.23');
    assert.equal(verdict(findings, 'S3.22', MOTO_ACCOUNT_ID).status, 'FAIL');
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'all-objects',
        AdvancedEventSelectors: [
          {
            Name: 'Log all S3 object events',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            ],
          },
        ],
      }),
    );
    cloudtrail.destroy();
    findings = await audit('S3.22,S3.23');
    assert.equal(verdict(findings, 'S3.22', MOTO_ACCOUNT_ID).status, 'PASS');
    assert.equal(verdict(findings, 'S3.23', MOTO_ACCOUNT_ID).status, 'PASS');
  });
});
