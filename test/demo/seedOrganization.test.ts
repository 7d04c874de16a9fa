/**
 * The example organization (support/moto/exampleOrganization.ts), used by `npm run demo` and the
 * organization end-to-end tests, is seeded as it describes itself: read back through the AWS APIs
 * with each account's own credentials.
 */
import { strict as assert } from 'node:assert';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ListAccountsCommand, ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetBucketLoggingCommand, GetPublicAccessBlockCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { expectedVerdicts, seedExampleOrganization, type ExampleOrganization } from '../../support/moto/exampleOrganization.js';
import { memberCredentials } from '../../support/moto/organization.js';
import { useMoto } from '../../support/moto/mocha.js';

describe('example organization seeding (moto)', function () {
  const moto = useMoto({ resetEachTest: false });
  let org: ExampleOrganization;
  const closers: { destroy: () => void }[] = [];

  before(async function () {
    this.timeout(60_000);
    org = await seedExampleOrganization(moto.endpoint);
  });
  after(() => {
    for (const client of closers.splice(0)) {
      client.destroy();
    }
  });

  const cloudtrail = (credentials: AwsCredentialIdentity): CloudTrailClient => {
    const client = new CloudTrailClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
    closers.push(client);
    return client;
  };
  const bucketNames = async (credentials: AwsCredentialIdentity): Promise<string[]> => {
    const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
    closers.push(s3);
    const { Buckets: buckets = [] } = await s3.send(new ListBucketsCommand({}));
    return buckets.map((bucket) => bucket.Name ?? '');
  };

  it('creates four ACTIVE accounts, the members under nested OUs', async () => {
    const organizations = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    closers.push(organizations);
    const { Accounts: accounts = [] } = await organizations.send(new ListAccountsCommand({}));
    assert.deepEqual(
      accounts.map((account) => [account.Id, account.Name, account.Status]).sort(),
      [org.management, org.logArchive, org.prod, org.sandbox].map((account) => [account.id, account.name, 'ACTIVE']).sort(),
    );
    const parentOf = async (childId: string): Promise<string | undefined> =>
      (await organizations.send(new ListParentsCommand({ ChildId: childId }))).Parents?.[0]?.Id;
    assert.equal(await parentOf(org.prod.id), org.ous.prod);
    assert.equal(await parentOf(org.ous.prod), org.ous.workloads);
    assert.equal(await parentOf(org.sandbox.id), org.ous.workloads);
    assert.equal(await parentOf(org.ous.workloads), org.rootId);
    assert.equal(await parentOf(org.logArchive.id), org.rootId);
  });

  it('puts the logging organization trail in the management account, its bucket in the log-archive account', async () => {
    const { trailList = [] } = await cloudtrail(MOTO_CREDENTIALS).send(new DescribeTrailsCommand({}));
    assert.deepEqual(trailList.map((trail) => trail.TrailARN), [org.organizationTrail.arn]);
    assert.equal(trailList[0]?.IsOrganizationTrail, true);
    assert.equal(trailList[0].IsMultiRegionTrail, true);
    assert.equal(trailList[0].LogFileValidationEnabled, true);
    assert.equal(trailList[0].KmsKeyId ?? null, null, 'no SSE-KMS: the seeded CloudTrail.2 failure');
    assert.equal((await cloudtrail(MOTO_CREDENTIALS).send(new GetTrailStatusCommand({ Name: org.organizationTrail.arn }))).IsLogging, true);

    const logArchive = await memberCredentials(moto.endpoint, org.logArchive.id);
    assert.deepEqual(await bucketNames(logArchive), [org.organizationTrail.bucket]);
    assert.deepEqual(await bucketNames(MOTO_CREDENTIALS), [], 'the management account owns no bucket');
    const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials: logArchive, forcePathStyle: true });
    closers.push(s3);
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: org.organizationTrail.bucket }));
    assert.equal(block.PublicAccessBlockConfiguration?.RestrictPublicBuckets, true);
    const logging = await s3.send(new GetBucketLoggingCommand({ Bucket: org.organizationTrail.bucket }));
    assert.equal(logging.LoggingEnabled, undefined, 'no server access logging: the seeded CloudTrail.7 failure');
  });

  it('gives workloads-prod its own trail without log file validation, and the sandbox nothing', async () => {
    const prod = await memberCredentials(moto.endpoint, org.prod.id);
    const { trailList = [] } = await cloudtrail(prod).send(new DescribeTrailsCommand({}));
    assert.deepEqual(trailList.map((trail) => [trail.TrailARN, trail.LogFileValidationEnabled, trail.S3BucketName]), [[org.prodTrail.arn, false, org.prodTrail.bucket]]);
    assert.deepEqual(await bucketNames(prod), [org.prodTrail.bucket]);

    const sandbox = await memberCredentials(moto.endpoint, org.sandbox.id);
    // moto never shows a member the organization trail (test/MOTO_GAPS.md, Organizations O2).
    assert.deepEqual((await cloudtrail(sandbox).send(new DescribeTrailsCommand({}))).trailList ?? [], []);
    assert.deepEqual(await bucketNames(sandbox), []);
  });

  it('names only seeded accounts and resources in its expected verdicts', () => {
    const accounts = new Set([org.management.id, org.logArchive.id, org.prod.id, org.sandbox.id]);
    const resources = new Set([...accounts, org.organizationTrail.arn, org.prodTrail.arn, `arn:aws:s3:::${org.organizationTrail.bucket}`]);
    for (const verdict of expectedVerdicts(org)) {
      assert.ok(accounts.has(verdict.accountId), `${verdict.control}: account ${verdict.accountId}`);
      assert.ok(resources.has(verdict.resource), `${verdict.control}: resource ${verdict.resource}`);
    }
    assert.ok(expectedVerdicts(org).some((verdict) => verdict.status === 'FAIL' && verdict.accountId === org.prod.id), 'a FAIL in a member');
  });
});
