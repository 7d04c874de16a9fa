/**
 * The organization collector against mocked SDK clients (aws-sdk-client-mock), ONLY for what moto
 * cannot produce (test/MOTO_GAPS.md): moto never denies sts:AssumeRole (a missing role or a wrong
 * external id succeed), and never shows an organization trail in a member's DescribeTrails (AWS
 * shows a shadow copy there). Everything else is covered against moto in collect.moto.test.ts.
 *
 * Which account a call is made in is told by the credentials of the client that sends it: the
 * caller's are `caller`, an assumed role's access key is `AK-<account id>`.
 */
import { strict as assert } from 'node:assert';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, ListTagsCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { GetBucketLocationCommand, GetBucketLoggingCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { FactNeed, FactSet, TrailFacts } from '../../../src/facts/model.js';
import { isGap, isUnknown } from '../../../src/facts/model.js';
import { collectAccounts, openOrganizationRun, type OrganizationCollectOptions } from '../../../src/collect/org/collect.js';
import type { AccountPlan } from '../../../src/collect/org/options.js';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const DENIED = '333333333333';
const REGION = 'us-east-1';
const CALLER = { accessKeyId: 'caller', secretAccessKey: 'caller' };
const NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['trails', 'trailStatus', 'eventSelectors', 'trailTags']);
const ORG_TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${MANAGEMENT}:trail/organization`;

let ct: AwsClientStub<CloudTrailClient>;
let sts: AwsClientStub<STSClient>;

function awsError(code: string, status: number, message = `${code} (mocked)`): Error {
  return Object.assign(new Error(message), { name: code, Code: code, $fault: 'client', $metadata: { httpStatusCode: status, attempts: 1 } });
}

async function accountOf(getClient: () => { config: { credentials: () => Promise<{ accessKeyId: string }> } }): Promise<string> {
  const { accessKeyId } = await getClient().config.credentials();
  return accessKeyId === CALLER.accessKeyId ? MANAGEMENT : accessKeyId.replace(/^AK-/, '');
}

function trail(owner: string, name: string, extra: Partial<Trail> = {}): Trail {
  return {
    Name: name,
    S3BucketName: `${name}-logs`,
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: true,
    HomeRegion: REGION,
    TrailARN: `arn:aws:cloudtrail:${REGION}:${owner}:trail/${name}`,
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
    ...extra,
  };
}

function planOf(inScope: readonly string[], audited: readonly string[] = inScope): AccountPlan {
  return { organizationId: 'o-mock', managementAccountId: MANAGEMENT, inScope: inScope.map((id) => ({ id })), audited: audited.map((id) => ({ id })), skipped: [] };
}

function options(needs: ReadonlySet<FactNeed> = NEEDS): OrganizationCollectOptions {
  return {
    needs,
    regions: [REGION],
    // Never contacted (every client is mocked): a second guard against real AWS.
    endpointUrl: 'http://127.0.0.1:9',
    credentials: CALLER,
    organization: { org: true, roleName: 'AuditRole', roleSessionName: 'trailaudit', externalId: 'ext-1' },
  };
}

async function collect(plan: AccountPlan, needs: ReadonlySet<FactNeed> = NEEDS): Promise<{ sets: Map<string, FactSet>; calls: Record<string, number> }> {
  const run = await openOrganizationRun(options(needs));
  try {
    const sets = await collectAccounts(run, plan);
    return { sets: new Map(sets.map((set) => [set.account.id, set])), calls: run.scheduler.apiCalls() };
  } finally {
    run.close();
  }
}

describe('organization collector (mocked AWS: what moto cannot show)', () => {
  /** Detail calls by account and trail ARN. */
  let detailCalls: string[];
  const assumed: { RoleArn?: string; ExternalId?: string; RoleSessionName?: string; DurationSeconds?: number }[] = [];

  beforeEach(() => {
    detailCalls = [];
    assumed.length = 0;
    ct = mockClient(CloudTrailClient);
    sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).callsFake((input: (typeof assumed)[number]) => {
      assumed.push(input);
      const account = /iam::(\d{12}):/.exec(input.RoleArn ?? '')?.[1] ?? '';
      if (account === DENIED) {
        throw awsError('AccessDenied', 403, `User: arn:aws:iam::${MANAGEMENT}:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn ?? ''}`);
      }
      return { Credentials: { AccessKeyId: `AK-${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3600_000) } };
    });
    sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      return { Account: account, Arn: `arn:aws:sts::${account}:assumed-role/AuditRole/trailaudit`, UserId: 'x' };
    });
    ct.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      // AWS lists the organization trail in every member as a shadow copy (its ARN is the owner's).
      const organizationTrail = trail(MANAGEMENT, 'organization', { IsOrganizationTrail: true });
      return { trailList: account === MANAGEMENT ? [organizationTrail] : [organizationTrail, trail(account, `own-${account}`)] };
    });
    const detail = (operation: string) => async (input: { Name?: string; TrailName?: string }, getClient: unknown) => {
      detailCalls.push(`${operation} ${await accountOf(getClient as never)} ${input.Name ?? input.TrailName ?? ''}`);
      return operation === 'status' ? { IsLogging: true } : { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] };
    };
    ct.on(GetTrailStatusCommand).callsFake(detail('status'));
    ct.on(GetEventSelectorsCommand).callsFake(detail('selectors'));
    ct.on(ListTagsCommand).callsFake(async (input: { ResourceIdList?: string[] }, getClient) => {
      const account = await accountOf(getClient);
      detailCalls.push(...(input.ResourceIdList ?? []).map((arn) => `tags ${account} ${arn}`));
      return { ResourceTagList: (input.ResourceIdList ?? []).map((arn) => ({ ResourceId: arn, TagsList: [] })) };
    });
  });

  afterEach(() => {
    ct.restore();
    sts.restore();
  });

  // moto never denies AssumeRole: a member whose role cannot be assumed.
  it('keeps a member whose role cannot be assumed as unreachable (access_denied, naming the role), and collects the others', async () => {
    const { sets, calls } = await collect(planOf([MANAGEMENT, MEMBER, DENIED]));
    assert.deepEqual([...sets.keys()].sort(), [MANAGEMENT, MEMBER, DENIED]);
    const denied = sets.get(DENIED) as FactSet;
    const detail = denied.account.unreachable;
    assert.ok(detail !== undefined, 'unreachable set');
    assert.equal(detail.reason, 'access_denied');
    assert.equal(detail.operation, 'sts:AssumeRole');
    assert.equal(detail.account, DENIED);
    assert.match(detail.message, new RegExp(`arn:aws:iam::${DENIED}:role/AuditRole`));
    assert.match(detail.message, /AccessDenied/);
    assert.deepEqual(denied.regions.map((region) => region.name), [REGION]);
    assert.deepEqual(denied.trails, []);
    assert.equal(sets.get(MEMBER)?.account.unreachable, undefined);
    assert.ok((sets.get(MEMBER) as FactSet).trails.length > 0);
    // The role, external id, session name and duration asked for; one AssumeRole per member.
    assert.equal(calls['sts:AssumeRole'], 2);
    assert.deepEqual(
      assumed.map((input) => [input.RoleArn, input.ExternalId, input.RoleSessionName, input.DurationSeconds]).sort(),
      [
        [`arn:aws:iam::${MEMBER}:role/AuditRole`, 'ext-1', 'trailaudit', 3600],
        [`arn:aws:iam::${DENIED}:role/AuditRole`, 'ext-1', 'trailaudit', 3600],
      ],
    );
  });

  // moto never shows an organization trail in members: the member's shadow copy.
  it("describes the organization trail once, in its owner account; the member's shadow copy makes no detail call", async () => {
    const { sets } = await collect(planOf([MANAGEMENT, MEMBER]));
    const orgDetails = detailCalls.filter((call) => call.endsWith(ORG_TRAIL_ARN)).sort();
    assert.deepEqual(orgDetails, [`selectors ${MANAGEMENT} ${ORG_TRAIL_ARN}`, `status ${MANAGEMENT} ${ORG_TRAIL_ARN}`, `tags ${MANAGEMENT} ${ORG_TRAIL_ARN}`]);
    // The member's own trail is described by the member.
    assert.ok(detailCalls.includes(`status ${MEMBER} arn:aws:cloudtrail:${REGION}:${MEMBER}:trail/own-${MEMBER}`));
    const shadow = (sets.get(MEMBER) as FactSet).trails.find((item): item is TrailFacts => !isGap(item) && item.arn === ORG_TRAIL_ARN);
    assert.ok(shadow, 'the member lists the organization trail');
    for (const fact of [shadow.status, shadow.eventSelectors, shadow.tags]) {
      assert.ok(isUnknown(fact), 'not read in the member');
      assert.equal(fact.$unknown.reason, 'cross_account');
      assert.equal(fact.$unknown.account, MANAGEMENT);
    }
    const owned = (sets.get(MANAGEMENT) as FactSet).trails.find((item): item is TrailFacts => !isGap(item) && item.arn === ORG_TRAIL_ARN);
    assert.equal(owned?.isLogging, true);
  });

  // moto never shows an organization trail in members: its bucket is not read from the member either.
  it("reads the organization trail's bucket in its owner account only, not from every member", async () => {
    const s3 = mockClient(S3Client);
    const bucketCalls: string[] = [];
    try {
      s3.on(ListBucketsCommand).callsFake(async (_input, getClient) => {
        const account = await accountOf(getClient);
        return { Buckets: account === MANAGEMENT ? [{ Name: 'organization-logs', BucketRegion: REGION }] : [{ Name: `own-${account}-logs`, BucketRegion: REGION }] };
      });
      const record = (operation: string) => async (input: { Bucket?: string }, getClient: unknown) => {
        bucketCalls.push(`${operation} ${await accountOf(getClient as never)} ${input.Bucket ?? ''}`);
        return {};
      };
      s3.on(GetBucketLocationCommand).callsFake(record('location'));
      s3.on(GetBucketLoggingCommand).callsFake(record('logging'));
      const { sets } = await collect(planOf([MANAGEMENT, MEMBER]), new Set<FactNeed>(['trails', 'bucketLogging']));
      assert.deepEqual(bucketCalls.filter((call) => call.endsWith(' organization-logs')), [`logging ${MANAGEMENT} organization-logs`]);
      assert.ok(bucketCalls.includes(`logging ${MEMBER} own-${MEMBER}-logs`));
      assert.deepEqual(
        (sets.get(MEMBER) as FactSet).buckets.map((bucket) => (isGap(bucket) ? 'gap' : bucket.name)),
        [`own-${MEMBER}-logs`],
      );
    } finally {
      s3.restore();
    }
  });

  it('reads an organization trail in the member as before when its owner is not in scope (--accounts member)', async () => {
    const { sets } = await collect(planOf([MEMBER]));
    assert.ok(detailCalls.includes(`status ${MEMBER} ${ORG_TRAIL_ARN}`), 'status read from the member');
    // Tags of another account's trail are still not the member's to read.
    assert.ok(!detailCalls.includes(`tags ${MEMBER} ${ORG_TRAIL_ARN}`));
    const shadow = (sets.get(MEMBER) as FactSet).trails.find((item): item is TrailFacts => !isGap(item) && item.arn === ORG_TRAIL_ARN);
    assert.equal(shadow?.isLogging, true);
  });

  it('makes an account unreachable when its role leads to another account', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: `AK-${DENIED}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3600_000) } });
    const { sets } = await collect(planOf([MEMBER]));
    const detail = sets.get(MEMBER)?.account.unreachable;
    assert.ok(detail !== undefined);
    assert.match(detail.message, new RegExp(`are those of account ${DENIED}`));
    assert.deepEqual(sets.get(MEMBER)?.trails, []);
  });
});
