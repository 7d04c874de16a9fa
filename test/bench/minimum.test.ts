import { strict as assert } from 'node:assert';
import { compareCalls, minimumCalls, minimumOrganizationCalls } from '../../bench/minimum.js';
import { ORGANIZATION_SHAPES, type SeededOrganizationShape } from '../../bench/seedOrganization.js';
import { SHAPES, type SeededShape } from '../../bench/seedShape.js';

const shape: SeededShape = {
  spec: SHAPES.medium,
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  trails: 45,
  multiRegionTrails: 2,
  trailsByHomeRegion: { 'us-east-1': 41, 'eu-west-1': 4 },
  trailBuckets: 7,
  trailBucketsWithPolicy: 3,
  publicTrailBuckets: 2,
  publicAclTrailBuckets: 1,
  loggingTrailBuckets: 2,
  allBuckets: 9,
  eventDataStores: 0,
  logGroups: 3,
  monitoredLogGroups: 2,
  alarmPages: 2,
  alarmTopics: 1,
  kmsKeys: 2,
  seedMs: 0,
};

describe('benchmark minimum-call formula', () => {
  it('derives the minimum from the shape alone', () => {
    const minimum = minimumCalls(shape);
    assert.equal(minimum['cloudtrail:DescribeTrails'], 3);
    assert.equal(minimum['cloudtrail:GetTrailStatus'], 45);
    // 41 trails at home in us-east-1 need 3 batches of 20; eu-west-1 one.
    assert.equal(minimum['cloudtrail:ListTags'], 4);
    assert.equal(minimum['s3:GetBucketAcl'], 7);
    // Each log group, topic and key once; Security Hub once per Region.
    assert.equal(minimum['logs:DescribeLogGroups'], 3);
    assert.equal(minimum['logs:DescribeMetricFilters'], 2);
    assert.equal(minimum['sns:ListSubscriptionsByTopic'], 1);
    assert.equal(minimum['kms:GetKeyRotationStatus'], 2);
    assert.equal(minimum['securityhub:DescribeHub'], 3);
    assert.equal(minimum['s3:GetBucketPolicyStatus'], 3);
    // Only where a public ACL or policy could be neutralised by them.
    assert.equal(minimum['s3:GetBucketPublicAccessBlock'], 2);
    assert.equal(minimum['s3:GetBucketOwnershipControls'], 1);
    assert.equal(minimum['s3:ListAllMyBuckets'], 1);
    assert.equal(minimum['ec2:DescribeRegions'], undefined);
  });

  it('flags calls above and below the minimum, and operations nobody needed', () => {
    const rows = compareCalls(
      { 'cloudtrail:DescribeTrails': 4, 'cloudtrail:GetTrailStatus': 1, 'ec2:DescribeRegions': 1 },
      { 'cloudtrail:DescribeTrails': 3, 'cloudtrail:GetTrailStatus': 2, 'cloudtrail:GetEventDataStore': 0 },
      { 'cloudtrail:DescribeTrails': 6 },
    );
    assert.deepEqual(
      rows.map((row) => [row.operation, row.actual, row.minimum, row.wire, row.verdict]),
      [
        ['cloudtrail:DescribeTrails', 4, 3, 6, 'EXCESS'],
        ['cloudtrail:GetTrailStatus', 1, 2, 0, 'BELOW'],
        ['ec2:DescribeRegions', 1, 0, 0, 'EXCESS'],
      ],
    );
  });

  it('describes the organization trail once and enters each member with one AssumeRole', () => {
    const accountIds = Array.from({ length: 41 }, (_, i) => String(100000000000 + i));
    const organization: SeededOrganizationShape = {
      spec: ORGANIZATION_SHAPES['org-50'],
      regions: ['us-east-1', 'eu-west-1'],
      organizationId: 'o-example',
      managementAccountId: accountIds[0] ?? '',
      logArchiveAccountId: accountIds[1] ?? '',
      accountIds,
      memberTrails: 40,
      multiRegionMemberTrails: 27,
      trailBuckets: 41,
      seedMs: 0,
    };
    const minimum = minimumOrganizationCalls(organization);
    // 41 accounts: three pages of at most 20.
    assert.equal(minimum['organizations:ListAccounts'], 3);
    assert.equal(minimum['organizations:DescribeOrganization'], 1);
    // Not the caller: it audits its own account with its own credentials.
    assert.equal(minimum['sts:AssumeRole'], 40);
    assert.equal(minimum['sts:GetCallerIdentity'], 41);
    // Regional listings in every account and Region.
    assert.equal(minimum['cloudtrail:DescribeTrails'], 82);
    assert.equal(minimum['securityhub:DescribeHub'], 82);
    // 40 member trails and the organization trail, each described once.
    assert.equal(minimum['cloudtrail:GetTrailStatus'], 41);
    assert.equal(minimum['cloudtrail:GetEventSelectors'], 28);
    // 40 member buckets and the log archive's, each read once; the management account owns none.
    assert.equal(minimum['s3:GetBucketAcl'], 41);
    // Plus the management account's ownership probe of the log archive's bucket.
    assert.equal(minimum['s3:GetBucketLocation'], 42);
    assert.equal(minimum['s3:GetAccountPublicAccessBlock'], 40);
    assert.equal(minimum['s3:ListAllMyBuckets'], 41);
  });
});
