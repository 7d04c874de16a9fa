/**
 * TrailHealth.1 and TrailHealth.2 against delivery errors and stale deliveries, which moto cannot
 * produce: its GetTrailStatus never reports a delivery error and says "now" for every delivery
 * time (MOTO_NOTES 8, test/MOTO_GAPS.md row 8). The live collector reads AWS-shaped answers from
 * aws-sdk-client-mock, and the built-in checks evaluate what it collected, as an audit does.
 */
import { strict as assert } from 'node:assert';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, type GetTrailStatusCommandOutput } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetBucketLocationCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { collectLive } from '../../src/collect/live/index.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { EnabledCheck } from '../../src/engine/evaluate.js';
import type { CheckDefinition, Finding } from '../../src/engine/types.js';
import { withDependencies } from '../../src/facts/kinds/index.js';
import { loadChecks } from '../../src/load/loadChecks.js';

const ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const HOUR = 3_600_000;
const CHECKS = loadChecks().filter((check) => check.id === 'TrailHealth.1' || check.id === 'TrailHealth.2');

let ct: AwsClientStub<CloudTrailClient>;
let s3: AwsClientStub<S3Client>;
let logs: AwsClientStub<CloudWatchLogsClient>;
let sts: AwsClientStub<STSClient>;

const trailArn = (name: string): string => `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${name}`;

function defaults(check: CheckDefinition): EnabledCheck['params'] {
  return Object.fromEntries(Object.entries(check.parameters).map(([name, definition]) => [name, definition.default]));
}

/** One logging trail per status; each delivers to the same existing bucket and log group. */
async function auditTrails(statuses: Readonly<Record<string, Partial<GetTrailStatusCommandOutput>>>): Promise<readonly Finding[]> {
  ct.on(DescribeTrailsCommand).resolves({
    trailList: Object.keys(statuses).map((name) => ({
      Name: name,
      TrailARN: trailArn(name),
      HomeRegion: REGION,
      S3BucketName: 'trail-logs',
      IsMultiRegionTrail: false,
      IsOrganizationTrail: false,
      LogFileValidationEnabled: true,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:trail-events:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/ct-logs`,
    })),
  });
  ct.on(GetTrailStatusCommand).callsFake((input: { Name?: string }) => {
    const name = (input.Name ?? '').slice((input.Name ?? '').lastIndexOf('/') + 1);
    return { IsLogging: true, ...statuses[name] };
  });
  const needs = withDependencies(CHECKS.flatMap((check) => check.needs));
  const facts = await collectLive({ needs, regions: [REGION], endpointUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' }, maxAttempts: 1 });
  return evaluate({ checks: CHECKS.map((check) => ({ check, params: defaults(check) })), facts, suppressions: [], today: new Date().toISOString().slice(0, 10) }).findings;
}

function status(findings: readonly Finding[], control: string, name: string): Finding {
  const finding = findings.find((candidate) => candidate.control === control && candidate.resource.id === trailArn(name));
  assert.ok(finding, `${control} ${name}`);
  return finding;
}

describe('trail delivery health from AWS-shaped status answers (aws-sdk-client-mock: moto never reports delivery errors)', () => {
  beforeEach(() => {
    ct = mockClient(CloudTrailClient);
    s3 = mockClient(S3Client);
    logs = mockClient(CloudWatchLogsClient);
    sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor` });
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'trail-logs', BucketRegion: REGION }] });
    s3.on(GetBucketLocationCommand).resolves({});
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: 'trail-events', arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:trail-events:*` }] });
  });
  afterEach(() => {
    ct.restore();
    s3.restore();
    logs.restore();
    sts.restore();
  });

  it('fails S3 delivery on an error, a stale delivery or a digest error, and passes a fresh clean one', async () => {
    const now = Date.now();
    const fresh = new Date(now - HOUR);
    const findings = await auditTrails({
      healthy: { LatestDeliveryTime: fresh, LatestDigestDeliveryTime: fresh, LatestCloudWatchLogsDeliveryTime: fresh, StartLoggingTime: new Date(now - 100 * HOUR) },
      denied: { LatestDeliveryTime: fresh, LatestDeliveryError: 'AccessDenied', StartLoggingTime: new Date(now - 100 * HOUR) },
      stale: { LatestDeliveryTime: new Date(now - 48 * HOUR), StartLoggingTime: new Date(now - 100 * HOUR) },
      digest: { LatestDeliveryTime: fresh, LatestDigestDeliveryError: 'KMS.DisabledException', StartLoggingTime: new Date(now - 100 * HOUR) },
      blindAlarms: {
        LatestDeliveryTime: fresh,
        LatestCloudWatchLogsDeliveryTime: fresh,
        LatestCloudWatchLogsDeliveryError: 'Access denied. Check the trust relationships for your role.',
        StartLoggingTime: new Date(now - 100 * HOUR),
      },
    });
    assert.equal(status(findings, 'TrailHealth.1', 'healthy').status, 'PASS');
    const denied = status(findings, 'TrailHealth.1', 'denied');
    assert.equal(denied.status, 'FAIL');
    assert.match(denied.message, /AccessDenied/u);
    assert.equal(status(findings, 'TrailHealth.1', 'stale').status, 'FAIL');
    const digest = status(findings, 'TrailHealth.1', 'digest');
    assert.equal(digest.status, 'FAIL');
    assert.match(digest.message, /KMS\.DisabledException|digest/iu);
    assert.equal(status(findings, 'TrailHealth.2', 'healthy').status, 'PASS');
    const blind = status(findings, 'TrailHealth.2', 'blindAlarms');
    assert.equal(blind.status, 'FAIL');
    assert.match(blind.message, /trust relationships/u);
  });

  it('never passes a status that could not be read', async () => {
    ct.on(GetTrailStatusCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } }));
    ct.on(DescribeTrailsCommand).resolves({
      trailList: [{ Name: 'main', TrailARN: trailArn('main'), HomeRegion: REGION, S3BucketName: 'trail-logs', IsMultiRegionTrail: false }],
    });
    const needs = withDependencies(CHECKS.flatMap((check) => check.needs));
    const facts = await collectLive({ needs, regions: [REGION], endpointUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' }, maxAttempts: 1 });
    const { findings } = evaluate({ checks: CHECKS.map((check) => ({ check, params: defaults(check) })), facts, suppressions: [], today: '2026-12-06' });
    const finding = status(findings, 'TrailHealth.1', 'main');
    assert.equal(finding.status, 'UNKNOWN');
    assert.equal(finding.reason, 'access_denied');
  });
});
