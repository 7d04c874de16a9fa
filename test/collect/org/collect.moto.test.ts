/**
 * The organization collector against a real moto_server that is one organization: the management
 * account (moto's own, the caller), a log-archive account and two members, each created with
 * organizations:CreateAccount and entered with sts:AssumeRole into OrganizationAccountAccessRole
 * (moto gives each its own isolated state). Each account has a trail and a bucket of its own; the
 * management account has an organization trail delivering to the log-archive account's bucket.
 *
 * The per-account sets are checked before merging (collectAccounts), so that what each account
 * collected, and the calls made, are seen directly. What moto cannot show (an organization trail's
 * shadow in members, a denied AssumeRole) is covered in collect.mock.test.ts (test/MOTO_GAPS.md).
 */
import { strict as assert } from 'node:assert';
import { CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import type { BucketFacts, FactNeed, FactSet, TrailFacts } from '../../../src/facts/model.js';
import { isGap, isUnknown } from '../../../src/facts/model.js';
import { collectAccounts, openOrganizationRun, type OrganizationCollectOptions } from '../../../src/collect/org/collect.js';
import type { AccountPlan } from '../../../src/collect/org/options.js';
import { DEFAULT_ROLE_NAME, DEFAULT_ROLE_SESSION_NAME } from '../../../src/collect/org/options.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../../support/moto/clients.js';
import { useMoto } from '../../../support/moto/mocha.js';

const REGION = 'us-east-1';
const NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['trails', 'trailStatus', 'eventSelectors', 'trailTags', 'bucketPublicAccess', 'bucketLogging']);

interface SeededOrganization {
  readonly logArchive: string;
  readonly members: readonly string[];
  readonly logBucket: string;
}

async function credentialsFor(endpoint: string, accountId: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
  try {
    const response = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${DEFAULT_ROLE_NAME}`, RoleSessionName: 'seed' }));
    const issued = response.Credentials;
    assert.ok(issued?.AccessKeyId !== undefined && issued.SecretAccessKey !== undefined);
    return { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, ...(issued.SessionToken === undefined ? {} : { sessionToken: issued.SessionToken }) };
  } finally {
    sts.destroy();
  }
}

/** A trail of the account into a bucket of its own (or into `bucket`, created elsewhere). */
async function trailWithBucket(endpoint: string, credentials: AwsCredentialIdentity, name: string, options: { bucket?: string; organization?: boolean } = {}): Promise<void> {
  const s3 = new S3Client({ endpoint, region: REGION, credentials, forcePathStyle: true });
  const cloudTrail = new CloudTrailClient({ endpoint, region: REGION, credentials });
  try {
    const bucket = options.bucket ?? `${name}-logs`;
    if (options.bucket === undefined) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    await cloudTrail.send(
      new CreateTrailCommand({ Name: name, S3BucketName: bucket, IsMultiRegionTrail: true, IsOrganizationTrail: options.organization === true }),
    );
    await cloudTrail.send(new StartLoggingCommand({ Name: name }));
  } finally {
    s3.destroy();
    cloudTrail.destroy();
  }
}

async function seedOrganization(endpoint: string): Promise<SeededOrganization> {
  const organizations = new OrganizationsClient({ endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
  try {
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const create = async (name: string): Promise<string> => {
      const created = await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      const id = created.CreateAccountStatus?.AccountId;
      assert.ok(id !== undefined, `account ${name} created`);
      return id;
    };
    const logArchive = await create('log-archive');
    const members = [await create('member-a'), await create('member-b')];
    const logBucket = 'org-log-archive';
    const archiveCredentials = await credentialsFor(endpoint, logArchive);
    await trailWithBucket(endpoint, archiveCredentials, 'archive-trail');
    const archiveS3 = new S3Client({ endpoint, region: REGION, credentials: archiveCredentials, forcePathStyle: true });
    await archiveS3.send(new CreateBucketCommand({ Bucket: logBucket }));
    // A public policy, so that the owner's read is seen to be a real one (a PASS would be wrong).
    await archiveS3.send(
      new PutBucketPolicyCommand({
        Bucket: logBucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${logBucket}/*` }] }),
      }),
    );
    archiveS3.destroy();
    for (const [index, member] of members.entries()) {
      await trailWithBucket(endpoint, await credentialsFor(endpoint, member), `member-trail-${String(index)}`);
    }
    // The management account (moto's default, the caller): its own trail and the organization trail.
    await trailWithBucket(endpoint, MOTO_CREDENTIALS, 'management-trail');
    await trailWithBucket(endpoint, MOTO_CREDENTIALS, 'organization-trail', { bucket: logBucket, organization: true });
    return { logArchive, members, logBucket };
  } finally {
    organizations.destroy();
  }
}

function planOf(ids: readonly string[], audited: readonly string[] = ids): AccountPlan {
  const sorted = [...ids].sort();
  return {
    organizationId: null,
    managementAccountId: MOTO_ACCOUNT_ID,
    inScope: sorted.map((id) => ({ id })),
    audited: [...audited].sort().map((id) => ({ id })),
    skipped: [],
  };
}

function trailsOf(facts: FactSet): TrailFacts[] {
  return facts.trails.filter((trail): trail is TrailFacts => !isGap(trail));
}

function bucketOf(facts: FactSet, name: string): BucketFacts {
  const found = facts.buckets.find((bucket): bucket is BucketFacts => !isGap(bucket) && bucket.name === name);
  assert.ok(found, `bucket ${name} in account ${facts.account.id}`);
  return found;
}

describe('organization collector (moto organization)', function () {
  this.timeout(60_000);
  const moto = useMoto();

  function options(extra: Partial<OrganizationCollectOptions['organization']> = {}): OrganizationCollectOptions {
    return {
      needs: NEEDS,
      regions: [REGION],
      endpointUrl: moto.endpoint,
      credentials: MOTO_CREDENTIALS,
      organization: { org: true, roleName: DEFAULT_ROLE_NAME, roleSessionName: DEFAULT_ROLE_SESSION_NAME, accountConcurrency: 2, ...extra },
    };
  }

  it('collects each account with its own credentials, the organization trail and the log-archive bucket once', async () => {
    const seeded = await seedOrganization(moto.endpoint);
    const all = [MOTO_ACCOUNT_ID, seeded.logArchive, ...seeded.members];
    const run = await openOrganizationRun(options());
    let sets: FactSet[];
    let calls: Record<string, number>;
    try {
      sets = await collectAccounts(run, planOf(all));
      calls = run.scheduler.apiCalls();
    } finally {
      run.close();
    }
    assert.deepEqual(
      sets.map((set) => set.account.id),
      [...all].sort(),
    );
    const byAccount = new Map(sets.map((set) => [set.account.id, set]));
    // Isolation: each account lists only its own trails (moto shows no organization trail in members).
    const names = (id: string): string[] => trailsOf(byAccount.get(id) as FactSet).map((trail) => trail.name).sort();
    assert.deepEqual(names(MOTO_ACCOUNT_ID), ['management-trail', 'organization-trail']);
    assert.deepEqual(names(seeded.logArchive), ['archive-trail']);
    assert.deepEqual(names(seeded.members[0] as string), ['member-trail-0']);
    assert.deepEqual(names(seeded.members[1] as string), ['member-trail-1']);
    for (const set of sets) {
      assert.equal(set.account.unreachable, undefined, `account ${set.account.id} entered`);
      for (const trail of trailsOf(set)) {
        assert.equal(trail.ownerAccountId, set.account.id);
        assert.equal(trail.isLogging, true, `${trail.name} read in its own account`);
      }
    }
    // One AssumeRole per account other than the caller's, one identity per account (the caller's,
    // read before discovery, is not asked again by its own account's collection).
    assert.equal(calls['sts:AssumeRole'], 3);
    assert.equal(calls['sts:GetCallerIdentity'], 4);
    // Each trail's details once: 5 trails in all.
    assert.equal(calls['cloudtrail:GetTrailStatus'], 5);
    assert.equal(calls['cloudtrail:GetEventSelectors'], 5);
    // One ListBuckets per account: the log-archive bucket's owner is found in its own listing.
    assert.equal(calls['s3:ListAllMyBuckets'], 4);

    // The organization trail's bucket is the log archive's: read with its credentials, a real verdict.
    const management = byAccount.get(MOTO_ACCOUNT_ID) as FactSet;
    const logBucket = bucketOf(management, seeded.logBucket);
    assert.equal(logBucket.ownerAccountId, seeded.logArchive);
    assert.equal(isUnknown(logBucket.policy), false, 'the policy was read by its owner');
    assert.ok(typeof logBucket.policy === 'string' && logBucket.policy.includes('Principal'), 'the policy text');
    // Its public policy is judged with the owner's account-level Block Public Access, read with
    // the owner's credentials and carried on the bucket: public (CloudTrail.6 FAIL), not Unknown.
    assert.deepEqual(logBucket.accountPublicAccessBlock, null, "the owner's account-level block (none configured)");
    assert.ok(!isUnknown(logBucket.publicAccess) && logBucket.publicAccess?.isPublic === true, JSON.stringify(logBucket.publicAccess));
    assert.deepEqual(logBucket.trailArns, [`arn:aws:cloudtrail:${REGION}:${MOTO_ACCOUNT_ID}:trail/organization-trail`]);
    // Each member's own bucket is its own.
    assert.equal(bucketOf(byAccount.get(seeded.members[0] as string) as FactSet, 'member-trail-0-logs').ownerAccountId, seeded.members[0]);
  });

  it('leaves a bucket whose owner is not audited UNKNOWN (cross_account), and reads it through --log-archive-account', async () => {
    const seeded = await seedOrganization(moto.endpoint);
    const all = [MOTO_ACCOUNT_ID, seeded.logArchive, ...seeded.members];
    const shardWithoutArchive = async (logArchiveAccounts?: readonly string[]): Promise<{ set: FactSet; calls: Record<string, number> }> => {
      const run = await openOrganizationRun(options(logArchiveAccounts === undefined ? {} : { logArchiveAccounts }));
      try {
        const sets = await collectAccounts(run, planOf(all, [MOTO_ACCOUNT_ID]));
        assert.equal(sets.length, 1);
        return { set: sets[0] as FactSet, calls: run.scheduler.apiCalls() };
      } finally {
        run.close();
      }
    };
    const alone = await shardWithoutArchive();
    const unread = bucketOf(alone.set, seeded.logBucket);
    assert.ok(isUnknown(unread.ownerAccountId) && unread.ownerAccountId.$unknown.reason === 'cross_account');
    // The message says what an organization audit can do about it.
    assert.match(unread.ownerAccountId.$unknown.message, /--log-archive-account/u);
    assert.equal(alone.calls['sts:AssumeRole'], undefined);

    const withArchive = await shardWithoutArchive([seeded.logArchive]);
    const read = bucketOf(withArchive.set, seeded.logBucket);
    assert.equal(read.ownerAccountId, seeded.logArchive);
    assert.equal(isUnknown(read.policy), false);
    // The log archive is not audited in this shard: its block travels with the bucket.
    assert.ok(!isUnknown(read.publicAccess) && read.publicAccess?.isPublic === true, JSON.stringify(read.publicAccess));
    // Entered for its buckets alone: one AssumeRole and one ListBuckets more.
    assert.equal(withArchive.calls['sts:AssumeRole'], 1);
    assert.equal(withArchive.calls['s3:ListAllMyBuckets'], 2);
    assert.equal(withArchive.calls['cloudtrail:DescribeTrails'], 1);
  });
});
