/**
 * The live collector against mocked SDK clients (aws-sdk-client-mock), ONLY for AWS behaviour
 * that moto cannot produce: denied and throttled calls, disabled regions, other accounts' trails
 * and buckets, GetBucketPolicyStatus answers, AWS's default selector response and CloudTrail Lake.
 * Each test says which moto gap it stands in for (test/MOTO_GAPS.md).
 *
 * The mocks replace `send` on every client instance, so no request leaves the process; the
 * endpoint is still set to an unused loopback port as a second guard against real AWS.
 */
import { strict as assert } from 'node:assert';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListEventDataStoresCommand,
  ListTagsCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand as GetBucketPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { BucketFacts, EventDataStoreFacts, FactNeed, FactSet, TrailFacts, TrailGap, Unknown } from '../../src/facts/model.js';
import { FACT_NEEDS, isGap, isUnknown } from '../../src/facts/model.js';
import { CollectionError, collectLive, type LiveCollectOptions } from '../../src/collect/live/index.js';

const ACCOUNT = '222222222222';
const MANAGEMENT_ACCOUNT = '111111111111';
const DUMMY = { accessKeyId: 'mock', secretAccessKey: 'mock' };
const ALL_NEEDS: ReadonlySet<FactNeed> = new Set(FACT_NEEDS);

// The mocks replace `send` on the client prototypes, so they are installed only while this file's
// tests run (mocha loads every test file first; module-level mocks would leak into the moto tests).
let ct: AwsClientStub<CloudTrailClient>;
let s3: AwsClientStub<S3Client>;
let s3control: AwsClientStub<S3ControlClient>;
let sts: AwsClientStub<STSClient>;
let ec2: AwsClientStub<EC2Client>;

/** An error shaped like the SDK's service exceptions. */
function awsError(code: string, status: number, message = `${code} (mocked)`, attempts = 1): Error {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts },
  });
}

function trailArn(region: string, name: string, account = ACCOUNT): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

function awsTrail(region: string, name: string, extra: Partial<Trail> = {}): Trail {
  // The shape AWS returns: optional strings omitted, booleans always present.
  return {
    Name: name,
    S3BucketName: `${name}-logs`,
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: false,
    HomeRegion: region,
    TrailARN: trailArn(region, name),
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
    ...extra,
  };
}

/** Region of the client a mocked command was sent through. */
async function regionOf(getClient: () => { config: { region: unknown } }): Promise<string> {
  const region = getClient().config.region;
  return typeof region === 'function' ? await (region as () => Promise<string>)() : String(region);
}

function describeTrailsByRegion(byRegion: Record<string, readonly Trail[] | Error>): void {
  ct.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
    const answer = byRegion[await regionOf(getClient)] ?? [];
    if (answer instanceof Error) {
      throw answer;
    }
    return { trailList: answer };
  });
}

/** Status, selectors and tags that succeed for every trail (overridden per test). */
function healthyTrailDetails(): void {
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  ct.on(GetEventSelectorsCommand).resolves({
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
  });
  ct.on(ListTagsCommand).callsFake((input: { ResourceIdList?: string[] }) => ({
    ResourceTagList: (input.ResourceIdList ?? []).map((id) => ({ ResourceId: id, TagsList: [{ Key: 'owner', Value: 'sec' }] })),
  }));
}

async function collect(needs: ReadonlySet<FactNeed>, regions: readonly string[], extra: Partial<LiveCollectOptions> = {}): Promise<FactSet> {
  return collectLive({ needs, regions, endpointUrl: 'http://127.0.0.1:9', credentials: DUMMY, maxAttempts: 1, ...extra });
}

function trailFacts(facts: FactSet): TrailFacts[] {
  return facts.trails.filter((t): t is TrailFacts => !isGap(t));
}

function gaps(facts: FactSet): TrailGap[] {
  return facts.trails.filter((t): t is TrailGap => isGap(t));
}

function unknownOf(value: unknown): Unknown['$unknown'] {
  assert.ok(isUnknown(value), `expected an Unknown, got ${JSON.stringify(value)}`);
  return value.$unknown;
}

describe('live collector: AWS behaviour moto cannot produce (mocked SDK)', () => {
  before(() => {
    ct = mockClient(CloudTrailClient);
    s3 = mockClient(S3Client);
    s3control = mockClient(S3ControlClient);
    sts = mockClient(STSClient);
    ec2 = mockClient(EC2Client);
  });

  beforeEach(() => {
    for (const mock of [ct, s3, s3control, sts, ec2]) {
      mock.reset();
    }
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:role/auditor`, UserId: 'AROAEXAMPLE' });
  });

  after(() => {
    for (const mock of [ct, s3, s3control, sts, ec2]) {
      mock.restore();
    }
  });

  // moto never denies anything: AccessDenied on DescribeTrails in one region.
  it('turns AccessDenied on DescribeTrails in one region into a gap; the other region is collected', async () => {
    describeTrailsByRegion({
      'us-east-1': [awsTrail('us-east-1', 'east')],
      'eu-west-1': awsError('AccessDeniedException', 400, 'User is not authorized to perform: cloudtrail:DescribeTrails'),
    });
    healthyTrailDetails();
    const facts = await collect(new Set<FactNeed>(['trailStatus']), ['us-east-1', 'eu-west-1']);
    assert.deepEqual(trailFacts(facts).map((t) => t.name), ['east']);
    const [gap, ...more] = gaps(facts);
    assert.ok(gap);
    assert.equal(more.length, 0);
    assert.deepEqual(gap.ref, {
      type: 'AWS::CloudTrail::Trail',
      id: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/*`,
      accountId: ACCOUNT,
      region: 'eu-west-1',
    });
    assert.equal(gap.$gap.reason, 'access_denied');
    assert.equal(gap.$gap.operation, 'cloudtrail:DescribeTrails');
    assert.equal(gap.$gap.region, 'eu-west-1');
    assert.match(gap.$gap.message, /eu-west-1/);
    assert.match(gap.$gap.message, /grant cloudtrail:DescribeTrails/);
    assert.equal(gap.homeRegion, 'eu-west-1');
    // us-east-1 was listed: a multi-region trail would have shown up there as a shadow.
    assert.equal(gap.isMultiRegion, false);
    assert.equal(unknownOf(gap.ownerInScope).reason, 'access_denied');
  });

  it('leaves isMultiRegion unknown when no region could be listed', async () => {
    describeTrailsByRegion({
      'us-east-1': awsError('AccessDeniedException', 400),
      'eu-west-1': awsError('AccessDeniedException', 400),
    });
    const facts = await collect(new Set<FactNeed>(['trails']), ['us-east-1', 'eu-west-1']);
    assert.equal(facts.trails.length, 2);
    for (const gap of gaps(facts)) {
      assert.equal(unknownOf(gap.isMultiRegion).reason, 'access_denied');
    }
  });

  // moto never denies anything: AccessDenied on GetEventSelectors for one trail only.
  it('marks only the denied trail’s selectors unknown', async () => {
    // Multi-region: only those have their selectors read.
    const multiRegion = { IsMultiRegionTrail: true };
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'open', multiRegion), awsTrail('us-east-1', 'locked', multiRegion)] });
    healthyTrailDetails();
    const locked = trailArn('us-east-1', 'locked');
    ct.on(GetEventSelectorsCommand, { TrailName: locked }).rejects(awsError('AccessDeniedException', 400));
    const facts = await collect(new Set<FactNeed>(['trailStatus', 'eventSelectors']), ['us-east-1']);
    const [lockedFacts, openFacts] = trailFacts(facts);
    assert.ok(lockedFacts && openFacts);
    assert.equal(lockedFacts.arn, locked);
    for (const value of [lockedFacts.eventSelectors, lockedFacts.managementEvents]) {
      const detail = unknownOf(value);
      assert.equal(detail.reason, 'access_denied');
      assert.equal(detail.operation, 'cloudtrail:GetEventSelectors');
      assert.match(detail.message, /trail arn:aws:cloudtrail:us-east-1:222222222222:trail\/locked/);
    }
    assert.equal(lockedFacts.isLogging, true, 'other facts of the trail are still read');
    assert.equal(isUnknown(openFacts.managementEvents), false);
  });

  // moto never throttles. With the SDK mocked, the error arrives as it would after the adaptive
  // retry strategy gave up (attempts in $metadata); the real retries are exercised in
  // retry.test.ts against a throttling endpoint.
  it('reports a call that stays throttled as throttled, for that trail only', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'busy', { IsMultiRegionTrail: true })] });
    healthyTrailDetails();
    ct.on(GetTrailStatusCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded', 5));
    const facts = await collect(new Set<FactNeed>(['trailStatus', 'eventSelectors']), ['us-east-1']);
    const [busy] = trailFacts(facts);
    assert.ok(busy);
    const detail = unknownOf(busy.isLogging);
    assert.equal(detail.reason, 'throttled');
    assert.equal(detail.operation, 'cloudtrail:GetTrailStatus');
    assert.match(detail.message, /after 5 attempts/);
    assert.equal(unknownOf(busy.status).reason, 'throttled');
    assert.equal(isUnknown(busy.managementEvents), false);
  });

  // moto's buckets all belong to its one account: a bucket in another account (403 on the probe).
  it('reports a bucket of another account as cross_account on every bucket fact, never as not public', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'member', { S3BucketName: 'central-logs' })] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'some-other-bucket', BucketRegion: 'us-east-1' }] });
    s3.on(GetBucketLocationCommand).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess', 'bucketLogging']), ['us-east-1']);
    const [central] = facts.buckets;
    assert.ok(central);
    assert.equal(central.name, 'central-logs');
    assert.deepEqual(central.trailArns, [trailArn('us-east-1', 'member')]);
    assert.equal(central.ref.accountId, null);
    for (const field of ['region', 'ownerAccountId', 'acl', 'policy', 'policyStatusIsPublic', 'publicAccessBlock', 'objectOwnership', 'publicAccess', 'logging'] as const) {
      const detail = unknownOf(central[field]);
      assert.equal(detail.reason, 'cross_account', field);
      assert.match(detail.message, /belongs to another account/);
      assert.match(detail.message, /member/);
    }
    // The probe pinned the owner, so a foreign bucket can only answer 403.
    const probes = s3.commandCalls(GetBucketLocationCommand);
    assert.equal(probes.length, 1);
    assert.equal(probes[0]?.args[0].input.ExpectedBucketOwner, ACCOUNT);
    // Nothing else is read from it, and our account's Block Public Access is irrelevant to it.
    assert.equal(s3.commandCalls(GetBucketAclCommand).length, 0);
    assert.equal(s3control.commandCalls(GetPublicAccessBlockCommand).length, 0);
  });

  it('does not guess ownership when ListBuckets is denied: a 403 probe is access_denied', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'member', { S3BucketName: 'central-logs' })] });
    s3.on(ListBucketsCommand).rejects(awsError('AccessDenied', 403));
    s3.on(GetBucketLocationCommand).rejects(awsError('AccessDenied', 403));
    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
    const detail = unknownOf(facts.buckets[0]?.publicAccess);
    assert.equal(detail.reason, 'access_denied');
    assert.match(detail.message, /s3:ListAllMyBuckets/);
    assert.match(detail.message, /another account/);
  });

  // Two signals decide ownership: with ListBuckets denied, a probe that answers is not proof (an
  // endpoint may ignore ExpectedBucketOwner, as moto does), so nothing is read from the bucket.
  it('does not take the ExpectedBucketOwner probe alone as proof when ListBuckets is denied: access_denied naming s3:ListAllMyBuckets', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'own', { S3BucketName: 'own-logs' })] });
    s3.on(ListBucketsCommand).rejects(awsError('AccessDenied', 403));
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketLoggingCommand).resolves({});
    const facts = await collect(new Set<FactNeed>(['bucketLogging', 'bucketPublicAccess']), ['us-east-1']);
    const [own] = facts.buckets;
    assert.ok(own);
    for (const field of ['region', 'ownerAccountId', 'logging', 'publicAccess'] as const) {
      const detail = unknownOf(own[field]);
      assert.equal(detail.reason, 'access_denied', field);
      assert.equal(detail.operation, 's3:ListAllMyBuckets', field);
      assert.match(detail.message, /Could not establish that bucket own-logs belongs to account/u);
    }
    assert.equal(s3.commandCalls(GetBucketLoggingCommand).length, 0);
    assert.equal(s3.commandCalls(GetBucketAclCommand).length, 0);
  });

  // Mock: moto never throttles. A listing that is throttled out is not a denial: the bucket's facts
  // keep the listing's own reason, so the summary does not ask for a permission the user has.
  it('keeps the listing\'s own reason when ListBuckets is throttled out (throttled, not access_denied)', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'own', { S3BucketName: 'own-logs' })] });
    s3.on(ListBucketsCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded', 5));
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
    const detail = unknownOf(facts.buckets[0]?.publicAccess);
    assert.equal(detail.reason, 'throttled');
    assert.equal(detail.operation, 's3:ListAllMyBuckets');
    assert.match(detail.message, /s3:ListAllMyBuckets could not be read \(throttled\)/u);
    assert.equal(s3.commandCalls(GetBucketAclCommand).length, 0);
  });

  it('reads a listed bucket whose region the probe gives (legacy EU constraint), with ExpectedBucketOwner on every call', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'own', { S3BucketName: 'own-logs' })] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'own-logs' }] });
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketLoggingCommand).resolves({});
    const facts = await collect(new Set<FactNeed>(['bucketLogging']), ['us-east-1']);
    const [own] = facts.buckets;
    assert.ok(own);
    assert.equal(own.region, 'eu-west-1', 'legacy EU constraint');
    assert.equal(own.ownerAccountId, ACCOUNT);
    assert.equal(own.logging, null);
    assert.equal(s3.commandCalls(GetBucketLoggingCommand)[0]?.args[0].input.ExpectedBucketOwner, ACCOUNT);
  });

  // moto has one account: an organization trail seen from a member account.
  it('reads an organization trail of another account by ARN in its home region, without ListTags', async () => {
    const orgArn = trailArn('us-east-1', 'org', MANAGEMENT_ACCOUNT);
    const orgTrail = awsTrail('us-east-1', 'org', { TrailARN: orgArn, IsOrganizationTrail: true, IsMultiRegionTrail: true, S3BucketName: 'org-logs' });
    describeTrailsByRegion({ 'us-east-1': [orgTrail], 'eu-west-1': [orgTrail] });
    const seen: string[] = [];
    ct.on(GetTrailStatusCommand).callsFake(async (input: { Name?: string }, getClient) => {
      seen.push(`status ${input.Name ?? ''} ${await regionOf(getClient)}`);
      return { IsLogging: true };
    });
    ct.on(GetEventSelectorsCommand).callsFake(async (input: { TrailName?: string }, getClient) => {
      seen.push(`selectors ${input.TrailName ?? ''} ${await regionOf(getClient)}`);
      return { AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] };
    });
    ct.on(ListTagsCommand).resolves({ ResourceTagList: [] });
    const facts = await collect(new Set<FactNeed>(['trailStatus', 'eventSelectors', 'trailTags']), ['us-east-1', 'eu-west-1']);
    assert.equal(facts.trails.length, 1);
    const [org] = trailFacts(facts);
    assert.ok(org);
    assert.equal(org.ownerAccountId, MANAGEMENT_ACCOUNT);
    assert.equal(org.ownerInScope, false);
    assert.equal(org.isOrganizationTrail, true);
    assert.equal(org.ref.accountId, MANAGEMENT_ACCOUNT);
    assert.deepEqual(org.shadowInRegions, ['eu-west-1']);
    assert.deepEqual(seen.sort(), [`selectors ${orgArn} us-east-1`, `status ${orgArn} us-east-1`]);
    assert.equal(org.isLogging, true);
    assert.equal(isUnknown(org.managementEvents), false);
    assert.equal(ct.commandCalls(ListTagsCommand).length, 0);
    const tags = unknownOf(org.tags);
    assert.equal(tags.reason, 'cross_account');
    assert.equal(tags.account, MANAGEMENT_ACCOUNT);
    assert.match(tags.message, /organization trail/);
  });

  // moto accepts every region: a region that is not enabled for the account.
  it('reports a region that is not enabled as region_disabled', async () => {
    describeTrailsByRegion({
      'us-east-1': [],
      'ap-east-1': awsError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.'),
    });
    const facts = await collect(new Set<FactNeed>(['trails']), ['us-east-1', 'ap-east-1']);
    const [gap] = gaps(facts);
    assert.ok(gap);
    assert.equal(gap.$gap.reason, 'region_disabled');
    assert.equal(gap.ref.region, 'ap-east-1');
    assert.match(gap.$gap.message, /ap-east-1 is not enabled/);
    assert.deepEqual(facts.regions.map((r) => r.name), ['ap-east-1', 'us-east-1']);
  });

  // moto's GetBucketPolicyStatus never answers IsPublic; AWS does, and it wins.
  it('uses GetBucketPolicyStatus IsPublic, and ListBuckets BucketRegion to route bucket calls', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'pub', { S3BucketName: 'pub-logs' })] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'pub-logs', BucketRegion: 'eu-west-1' }] });
    const bucketRegions: string[] = [];
    s3.on(GetBucketAclCommand).callsFake(async (_input, getClient) => {
      bucketRegions.push(await regionOf(getClient));
      return { Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' }] };
    });
    // Statically this pins a fixed account; the service's own analysis says public, and wins.
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::pub-logs/*' }],
    });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policy });
    s3.on(GetBucketPolicyStatusCommand).resolves({ PolicyStatus: { IsPublic: true } });
    s3.on(GetBucketPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    s3control.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
    const pub = facts.buckets[0] as BucketFacts | undefined;
    assert.ok(pub);
    assert.equal(pub.region, 'eu-west-1');
    assert.deepEqual(bucketRegions, ['eu-west-1']);
    assert.equal(s3.commandCalls(GetBucketLocationCommand).length, 0, 'BucketRegion made the location call unnecessary');
    assert.equal(pub.policyStatusIsPublic, true);
    // Public through its policy only: Block Public Access could neutralise that and is read;
    // Object Ownership only matters for a public ACL, so it is not.
    assert.equal(pub.publicAccessBlock, null);
    assert.equal(s3.commandCalls(GetBucketPublicAccessBlockCommand).length, 1);
    assert.equal(unknownOf(pub.objectOwnership).reason, 'unsupported');
    assert.equal(s3.commandCalls(GetBucketOwnershipControlsCommand).length, 0);
    assert.equal(facts.account.publicAccessBlock, null);
    const verdict = pub.publicAccess;
    assert.ok(verdict !== undefined && !isUnknown(verdict));
    assert.equal(verdict.isPublic, true);
    assert.deepEqual(verdict.via, ['policy']);
  });

  // moto cannot deny a call. An unreadable ACL or policy may be public, so the settings that could
  // neutralise it are read; when they do, the verdict is known despite the gap.
  describe('reads Block Public Access and Object Ownership when an ACL or policy could not be read', () => {
    function oneBucket(): void {
      describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'gap', { S3BucketName: 'gap-logs' })] });
      s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'gap-logs', BucketRegion: 'us-east-1' }] });
      s3.on(GetBucketAclCommand).resolves({ Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' }] });
      s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404));
      s3.on(GetBucketOwnershipControlsCommand).rejects(awsError('OwnershipControlsNotFoundError', 404));
      s3control.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    }

    it('ACL denied: both are read, and the bucket IgnorePublicAcls settles the verdict', async () => {
      oneBucket();
      s3.on(GetBucketAclCommand).rejects(awsError('AccessDenied', 403));
      s3.on(GetBucketPublicAccessBlockCommand).resolves({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      });
      const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
      const gap = facts.buckets[0] as BucketFacts | undefined;
      assert.ok(gap);
      assert.equal(s3.commandCalls(GetBucketOwnershipControlsCommand).length, 1);
      assert.equal(s3.commandCalls(GetBucketPublicAccessBlockCommand).length, 1);
      assert.equal(gap.objectOwnership, null);
      assert.equal(unknownOf(gap.acl).reason, 'access_denied');
      assert.equal(gap.publicAccess !== undefined && !isUnknown(gap.publicAccess) && gap.publicAccess.isPublic, false);
    });

    it('ACL denied and nothing neutralises it: UNKNOWN, never not public', async () => {
      oneBucket();
      s3.on(GetBucketAclCommand).rejects(awsError('AccessDenied', 403));
      s3.on(GetBucketPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
      const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
      const gap = facts.buckets[0] as BucketFacts | undefined;
      assert.ok(gap?.publicAccess !== undefined && !isUnknown(gap.publicAccess));
      assert.equal(unknownOf(gap.publicAccess.isPublic).reason, 'access_denied');
    });

    it('policy denied but its status answered not public: decided without Block Public Access', async () => {
      oneBucket();
      s3.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 403));
      s3.on(GetBucketPolicyStatusCommand).resolves({ PolicyStatus: { IsPublic: false } });
      const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
      const gap = facts.buckets[0] as BucketFacts | undefined;
      assert.ok(gap?.publicAccess !== undefined && !isUnknown(gap.publicAccess));
      assert.equal(unknownOf(gap.policy).reason, 'access_denied');
      assert.equal(gap.publicAccess.isPublic, false);
      assert.equal(s3.commandCalls(GetBucketPublicAccessBlockCommand).length, 0);
    });

    it('policy denied: Block Public Access is read, Object Ownership is not', async () => {
      oneBucket();
      s3.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 403));
      s3.on(GetBucketPolicyStatusCommand).rejects(awsError('AccessDenied', 403));
      s3.on(GetBucketPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
      const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
      const gap = facts.buckets[0] as BucketFacts | undefined;
      assert.ok(gap?.publicAccess !== undefined && !isUnknown(gap.publicAccess));
      assert.equal(s3.commandCalls(GetBucketPublicAccessBlockCommand).length, 1);
      assert.equal(s3.commandCalls(GetBucketOwnershipControlsCommand).length, 0);
      assert.equal(gap.publicAccessBlock, null);
      assert.equal(unknownOf(gap.publicAccess.isPublic).reason, 'access_denied');
    });
  });

  // moto always reports IsMultiRegionTrail. A listing without it (an odd shape) cannot rule the
  // trail out of CloudTrail.1, so its selectors are read as for a multi-region trail.
  it('reads the selectors of a trail whose multi-region flag is missing, and of no single-region trail', async () => {
    const shapeless = awsTrail('us-east-1', 'shapeless');
    delete shapeless.IsMultiRegionTrail;
    describeTrailsByRegion({ 'us-east-1': [shapeless, awsTrail('us-east-1', 'regional')] });
    healthyTrailDetails();
    const facts = await collect(new Set<FactNeed>(['eventSelectors']), ['us-east-1']);
    const read = ct.commandCalls(GetEventSelectorsCommand).map((call) => call.args[0].input.TrailName);
    assert.deepEqual(read, [trailArn('us-east-1', 'shapeless')]);
    const [regional, shapelessFacts] = trailFacts(facts);
    assert.equal(regional?.name, 'regional');
    assert.equal(unknownOf(regional.managementEvents).reason, 'unsupported');
    assert.equal(shapelessFacts?.name, 'shapeless');
    assert.equal(isUnknown(shapelessFacts.managementEvents), false);
  });

  // moto returns empty selector lists; AWS returns the default selector (CONTROLS §3.1.5).
  it('reads AWS’s default selector response as default coverage', async () => {
    describeTrailsByRegion({ 'us-east-2': [awsTrail('us-east-2', 'TrailName', { IsMultiRegionTrail: true })] });
    ct.on(GetEventSelectorsCommand).resolves({
      EventSelectors: [{ ExcludeManagementEventSources: [], IncludeManagementEvents: true, DataResources: [], ReadWriteType: 'All' }],
      TrailARN: trailArn('us-east-2', 'TrailName'),
    });
    const facts = await collect(new Set<FactNeed>(['eventSelectors']), ['us-east-2']);
    const [t] = trailFacts(facts);
    assert.ok(t?.managementEvents !== undefined && !isUnknown(t.managementEvents));
    assert.equal(t.managementEvents.source, 'default');
    assert.equal(t.managementEvents.allInOneSelector, true);
    // AWS omits unset optional strings: they read as "not set", like moto's nulls.
    assert.equal(t.kmsKeyId, null);
    assert.equal(t.cloudWatchLogsLogGroupArn, null);
  });

  // moto does not implement CloudTrail Lake (HTTP 500).
  it('collects event data stores: pagination, one GetEventDataStore per ARN in its region, KMS key or not', async () => {
    const storeArn = (region: string, id: string) => `arn:aws:cloudtrail:${region}:${ACCOUNT}:eventdatastore/${id}`;
    const encrypted = storeArn('us-east-1', 'enc');
    const deleting = storeArn('us-east-1', 'del');
    const plain = storeArn('eu-west-1', 'plain');
    ct.on(ListEventDataStoresCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      const region = await regionOf(getClient);
      if (region === 'us-east-1') {
        return input.NextToken === undefined
          ? { EventDataStores: [{ EventDataStoreArn: encrypted, Name: 'enc' }], NextToken: 'page-2' }
          : { EventDataStores: [{ EventDataStoreArn: deleting, Name: 'del' }] };
      }
      // A multi-region store listed again from another region is read once.
      return { EventDataStores: [{ EventDataStoreArn: plain, Name: 'plain' }, { EventDataStoreArn: encrypted, Name: 'enc' }] };
    });
    const getRegions: string[] = [];
    ct.on(GetEventDataStoreCommand).callsFake(async (input: { EventDataStore?: string }, getClient) => {
      getRegions.push(`${input.EventDataStore ?? ''} ${await regionOf(getClient)}`);
      switch (input.EventDataStore) {
        case encrypted:
          return { EventDataStoreArn: encrypted, Name: 'enc', Status: 'ENABLED', MultiRegionEnabled: true, OrganizationEnabled: false, KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/abc' };
        case deleting:
          return { EventDataStoreArn: deleting, Name: 'del', Status: 'PENDING_DELETION', MultiRegionEnabled: false, OrganizationEnabled: false };
        default:
          return { EventDataStoreArn: plain, Name: 'plain', Status: 'ENABLED', MultiRegionEnabled: false, OrganizationEnabled: false };
      }
    });
    const facts = await collect(new Set<FactNeed>(['eventDataStores']), ['us-east-1', 'eu-west-1']);
    const stores = facts.eventDataStores as EventDataStoreFacts[];
    assert.deepEqual(
      stores.map((s) => [s.name, s.region, s.status, s.kmsKeyId, s.multiRegionEnabled]),
      [
        ['plain', 'eu-west-1', 'ENABLED', null, false],
        ['del', 'us-east-1', 'PENDING_DELETION', null, false],
        ['enc', 'us-east-1', 'ENABLED', 'arn:aws:kms:us-east-1:222222222222:key/abc', true],
      ],
    );
    assert.deepEqual(stores[0]?.ref, { type: 'AWS::CloudTrail::EventDataStore', id: plain, name: 'plain', accountId: ACCOUNT, region: 'eu-west-1' });
    assert.deepEqual(getRegions.sort(), [`${plain} eu-west-1`, `${deleting} us-east-1`, `${encrypted} us-east-1`].sort());
    assert.deepEqual(facts.stats.apiCalls, {
      'cloudtrail:GetEventDataStore': 3,
      'cloudtrail:ListEventDataStores': 3,
      'sts:GetCallerIdentity': 1,
    });
  });

  it('pages ListTags as scheduled calls, each page counted, a trail\'s tags merged across pages', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'a'), awsTrail('us-east-1', 'b')] });
    ct.on(ListTagsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === undefined
        ? { ResourceTagList: [{ ResourceId: trailArn('us-east-1', 'a'), TagsList: [{ Key: 'owner', Value: 'sec' }] }], NextToken: 'page-2' }
        : {
            ResourceTagList: [
              { ResourceId: trailArn('us-east-1', 'a'), TagsList: [{ Key: 'aws:cloudformation:stack-name', Value: 's' }] },
              { ResourceId: trailArn('us-east-1', 'b'), TagsList: [] },
            ],
          },
    );
    const facts = await collect(new Set<FactNeed>(['trailTags']), ['us-east-1']);
    const [a, b] = trailFacts(facts);
    assert.deepEqual(a?.tags, { owner: 'sec', 'aws:cloudformation:stack-name': 's' });
    assert.deepEqual(a.userTagKeys, ['owner']);
    assert.deepEqual(b?.tags, {});
    assert.equal(ct.commandCalls(ListTagsCommand).length, 2);
    assert.equal(facts.stats.apiCalls['cloudtrail:ListTags'], 2);
  });

  it('keeps a store whose details are denied, with unknown fields', async () => {
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/secret`;
    ct.on(ListEventDataStoresCommand).resolves({ EventDataStores: [{ EventDataStoreArn: arn, Name: 'secret' }] });
    ct.on(GetEventDataStoreCommand).rejects(awsError('AccessDeniedException', 400));
    const facts = await collect(new Set<FactNeed>(['eventDataStores']), ['us-east-1']);
    const [store] = facts.eventDataStores as EventDataStoreFacts[];
    assert.ok(store);
    assert.equal(store.name, 'secret');
    assert.equal(unknownOf(store.kmsKeyId).operation, 'cloudtrail:GetEventDataStore');
  });

  // moto reports af-south-1 & co. as opt-in-not-required; AWS lists opt-in regions as not-opted-in.
  it('audits only the enabled regions DescribeRegions reports', async () => {
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
        { RegionName: 'eu-south-1', OptInStatus: 'opted-in' },
      ],
    });
    describeTrailsByRegion({});
    const facts = await collectLive({ needs: new Set<FactNeed>(['trails']), endpointUrl: 'http://127.0.0.1:9', credentials: DUMMY, maxAttempts: 1 });
    assert.deepEqual(facts.regions.map((r) => r.name), ['eu-south-1', 'us-east-1']);
    assert.equal(facts.stats.apiCalls['cloudtrail:DescribeTrails'], 2);
  });

  it('fails with CollectionError when the account identity cannot be read', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken', 403, 'The security token included in the request is expired'));
    describeTrailsByRegion({});
    await assert.rejects(collect(new Set<FactNeed>(['trails']), ['us-east-1']), (error: unknown) => {
      assert.ok(error instanceof CollectionError);
      assert.match(error.message, /sts:GetCallerIdentity/);
      return true;
    });
  });

  // A Region of another partition named in --regions (moto answers for any Region, so this is
  // where the refusal is checked): no trail of the caller's partition can cover it.
  it('refuses --regions outside the caller\'s partition (cn-north-1 for an aws caller) with CollectionError', async () => {
    describeTrailsByRegion({ 'us-east-1': [], 'cn-north-1': [] });
    await assert.rejects(collect(new Set<FactNeed>(['trails']), ['us-east-1', 'cn-north-1']), (error: unknown) => {
      assert.ok(error instanceof CollectionError);
      assert.match(error.message, /--regions names cn-north-1, outside the partition of the caller \(aws, arn:aws:/u);
      return true;
    });
  });

  it('fails with CollectionError when the enabled regions cannot be discovered', async () => {
    ec2.on(DescribeRegionsCommand).rejects(awsError('UnauthorizedOperation', 403));
    await assert.rejects(
      collectLive({ needs: ALL_NEEDS, endpointUrl: 'http://127.0.0.1:9', credentials: DUMMY, maxAttempts: 1 }),
      (error: unknown) => error instanceof CollectionError && /--regions/.test(error.message) && /ec2:DescribeRegions/.test(error.message),
    );
  });

  it('reports a trail deleted between listing and reading as not_found', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'gone')] });
    ct.on(GetTrailStatusCommand).rejects(awsError('TrailNotFoundException', 400, 'Unknown trail'));
    const facts = await collect(new Set<FactNeed>(['trailStatus']), ['us-east-1']);
    assert.equal(unknownOf(trailFacts(facts)[0]?.isLogging).reason, 'not_found');
  });

  it('never reports an unreadable bucket fact as not public', async () => {
    describeTrailsByRegion({ 'us-east-1': [awsTrail('us-east-1', 'mine', { S3BucketName: 'mine-logs' })] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'mine-logs', BucketRegion: 'us-east-1' }] });
    s3.on(GetBucketAclCommand).rejects(awsError('AccessDenied', 403));
    s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404));
    s3.on(GetBucketPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketOwnershipControlsCommand).rejects(awsError('OwnershipControlsNotFoundError', 404));
    s3control.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']), ['us-east-1']);
    const mine = facts.buckets[0] as BucketFacts;
    const acl = unknownOf(mine.acl);
    assert.equal(acl.reason, 'access_denied');
    assert.equal(acl.operation, 's3:GetBucketAcl');
    assert.equal(mine.policy, null);
    assert.equal(mine.policyStatusIsPublic, null);
    assert.equal(s3.commandCalls(GetBucketPolicyStatusCommand).length, 0, 'no policy, no status call');
    const verdict = mine.publicAccess;
    assert.ok(verdict !== undefined && !isUnknown(verdict));
    assert.equal(unknownOf(verdict.isPublic).reason, 'access_denied');
  });
});
