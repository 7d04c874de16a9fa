import { strict as assert } from 'node:assert';
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  GetBucketAclCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { ALL_USERS, LOG_DELIVERY } from '../../support/moto/s3.js';
import { cloudTrailClient, MOTO_ACCOUNT_ID, s3Client, s3ControlClient } from '../../support/moto/clients.js';
import { seedDemoAccount, type DemoAccount, type DemoTrail } from '../../demo/seed.js';
import { useMoto } from '../../support/moto/mocha.js';

function trailNamed(account: DemoAccount, name: string): DemoTrail {
  const trail = account.trails.find((candidate) => candidate.name === name);
  assert.ok(trail, `demo account has no trail ${name}`);
  return trail;
}

describe('demo account seeding (moto)', function () {
  // Seeding once is enough: every test only reads.
  const moto = useMoto({ resetEachTest: false });
  let account: DemoAccount;

  before(async function () {
    this.timeout(60_000);
    account = await seedDemoAccount(moto.endpoint);
  });

  it('creates every described trail in its home region, with the described settings', async () => {
    for (const region of account.regions) {
      const cloudtrail = cloudTrailClient(moto.endpoint, region);
      const { trailList = [] } = await cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      cloudtrail.destroy();
      const expected = account.trails.filter((trail) => trail.homeRegion === region || trail.multiRegion);
      assert.deepEqual(
        trailList.map((trail) => trail.TrailARN).sort(),
        expected.map((trail) => trail.arn).sort(),
        `trails visible in ${region}`,
      );
      for (const described of trailList) {
        const seeded = account.trails.find((trail) => trail.arn === described.TrailARN);
        assert.ok(seeded);
        assert.equal(described.HomeRegion, seeded.homeRegion);
        assert.equal(described.IsMultiRegionTrail, seeded.multiRegion);
        assert.equal(described.S3BucketName, seeded.bucket);
        assert.equal(described.LogFileValidationEnabled, seeded.logFileValidation, `${seeded.name} validation`);
        assert.equal(described.KmsKeyId ?? null, seeded.kmsKeyId, `${seeded.name} KMS key`);
        assert.equal(described.CloudWatchLogsLogGroupArn ?? null, seeded.cloudWatchLogsLogGroupArn);
      }
    }
    assert.equal(trailNamed(account, 'legacy-eu').multiRegion, false);
    assert.equal(trailNamed(account, 'legacy-eu').logFileValidation, false);
    assert.equal(trailNamed(account, 'legacy-eu').kmsKeyId, null);
  });

  it('leaves exactly the stopped trail not logging', async () => {
    for (const trail of account.trails) {
      // Asked in the home region: moto resolves a single-region trail's ARN only there.
      const cloudtrail = cloudTrailClient(moto.endpoint, trail.homeRegion);
      const status = await cloudtrail.send(new GetTrailStatusCommand({ Name: trail.arn }));
      cloudtrail.destroy();
      assert.equal(status.IsLogging, trail.name !== 'dr-standby', `${trail.name} logging`);
      assert.equal(status.IsLogging, trail.logging);
    }
  });

  it('tags every trail but the untagged one', async () => {
    for (const trail of account.trails) {
      const cloudtrail = cloudTrailClient(moto.endpoint, trail.homeRegion);
      const { ResourceTagList = [] } = await cloudtrail.send(new ListTagsCommand({ ResourceIdList: [trail.arn] }));
      cloudtrail.destroy();
      const tags = Object.fromEntries((ResourceTagList[0]?.TagsList ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
      assert.deepEqual(tags, trail.tags, `${trail.name} tags`);
    }
    assert.deepEqual(trailNamed(account, 'app-audit').tags, {});
    assert.equal(trailNamed(account, 'org-main').tags.owner, 'security-team');
  });

  it('puts a basic selector excluding KMS and advanced selectors where described', async () => {
    const excluding = trailNamed(account, 'all-but-kms');
    const advanced = trailNamed(account, 'finance-data-events');
    const cloudtrail = cloudTrailClient(moto.endpoint, 'us-east-1');
    try {
      const basic = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: excluding.arn }));
      assert.deepEqual(basic.EventSelectors?.[0]?.ExcludeManagementEventSources, ['kms.amazonaws.com']);
      assert.equal(basic.EventSelectors[0].IncludeManagementEvents, true);
      const fields = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: advanced.arn }));
      const selectors = fields.AdvancedEventSelectors ?? [];
      assert.equal(selectors.length, 2);
      const categories = selectors.flatMap((selector) =>
        (selector.FieldSelectors ?? []).filter((field) => field.Field === 'eventCategory').flatMap((field) => field.Equals ?? []),
      );
      assert.deepEqual(categories.sort(), ['Data', 'Management']);
    } finally {
      cloudtrail.destroy();
    }
  });

  it('makes the public bucket public by ACL and by policy, and keeps the central bucket private', async () => {
    const publicBucket = account.buckets.find((bucket) => bucket.publicVia.length > 0);
    assert.ok(publicBucket);
    assert.deepEqual(publicBucket.publicVia, ['acl', 'policy']);
    const s3 = s3Client(moto.endpoint, publicBucket.region);
    try {
      const acl = await s3.send(new GetBucketAclCommand({ Bucket: publicBucket.name }));
      const allUsers = (acl.Grants ?? []).filter((grant) => grant.Grantee?.URI === ALL_USERS);
      assert.deepEqual(allUsers.map((grant) => grant.Permission), ['READ']);
      const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: publicBucket.name }));
      const document = JSON.parse(policy.Policy ?? '{}') as { Statement?: { Principal?: unknown; Condition?: unknown }[] };
      assert.ok(
        (document.Statement ?? []).some((statement) => statement.Principal === '*' && statement.Condition === undefined),
        'a Principal "*" statement without condition',
      );

      const central = trailNamed(account, 'org-main').bucket;
      const centralAcl = await s3.send(new GetBucketAclCommand({ Bucket: central }));
      assert.equal((centralAcl.Grants ?? []).some((grant) => grant.Grantee?.URI === ALL_USERS), false);
      const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: central }));
      assert.deepEqual(block.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
    } finally {
      s3.destroy();
    }
  });

  it('enables server access logging exactly where described', async () => {
    const s3 = s3Client(moto.endpoint, 'us-east-1');
    try {
      for (const bucket of account.buckets) {
        const logging = await s3.send(new GetBucketLoggingCommand({ Bucket: bucket.name }));
        assert.equal(logging.LoggingEnabled?.TargetBucket ?? null, bucket.accessLogTarget, `${bucket.name} logging`);
      }
    } finally {
      s3.destroy();
    }
    const targets = new Set(account.buckets.flatMap((bucket) => (bucket.accessLogTarget === null ? [] : [bucket.accessLogTarget])));
    assert.equal(targets.size, 1);
    const s3Target = s3Client(moto.endpoint, 'us-east-1');
    try {
      for (const target of targets) {
        const acl = await s3Target.send(new GetBucketAclCommand({ Bucket: target }));
        const delivery = (acl.Grants ?? []).filter((grant) => grant.Grantee?.URI === LOG_DELIVERY).map((grant) => grant.Permission);
        assert.deepEqual(delivery.sort(), ['READ_ACP', 'WRITE']);
      }
    } finally {
      s3Target.destroy();
    }
    const withoutLogging = account.buckets.filter((bucket) => bucket.accessLogTarget === null && bucket.purpose.includes('access logging'));
    assert.ok(withoutLogging.length >= 2);
  });

  it('turns account-level Block Public Access off explicitly', async () => {
    const control = s3ControlClient(moto.endpoint, 'us-east-1');
    try {
      const block = await control.send(new GetAccountPublicAccessBlockCommand({ AccountId: MOTO_ACCOUNT_ID }));
      assert.equal(block.PublicAccessBlockConfiguration?.BlockPublicAcls, false);
      assert.equal(block.PublicAccessBlockConfiguration.RestrictPublicBuckets, false);
    } finally {
      control.destroy();
    }
  });

  it('describes the expected failures by real resource ids', () => {
    const resources = new Set([
      ...account.trails.map((trail) => trail.arn),
      ...account.buckets.map((bucket) => `arn:aws:s3:::${bucket.name}`),
      // Account-level findings (CloudWatch.x, S3.22/S3.23) and the per-Region Security Hub findings.
      account.accountId,
      ...account.regions.map((region) => `arn:aws:securityhub:${region}:${account.accountId}:hub/default`),
    ]);
    for (const failure of account.expectedFailures) {
      assert.ok(resources.has(failure.resource), `${failure.control} names a seeded resource`);
    }
    assert.deepEqual(
      account.expectedFailures.filter((failure) => failure.suppressed).map((failure) => [failure.control, failure.resource]),
      [['CloudTrail.4', trailNamed(account, 'legacy-eu').arn]],
    );
  });
});
