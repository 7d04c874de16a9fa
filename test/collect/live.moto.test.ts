/**
 * The live collector end to end against a real moto_server: resources are created with the real
 * SDK v3 clients (region-specific, dummy credentials, loopback endpoint), then collected.
 * Where moto differs from AWS (test/MOTO_GAPS.md), the AWS behaviour is covered in live.mock.test.ts.
 */
import { strict as assert } from 'node:assert';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  PutBucketAclCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand as PutBucketPublicAccessBlockCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import type { BucketFacts, FactNeed, FactSet, TrailFacts, Unknown } from '../../src/facts/model.js';
import { FACT_NEEDS, isGap, isUnknown } from '../../src/facts/model.js';
import { createS3ControlClient } from '../../src/collect/live/clients.js';
import { needsReadBy } from '../../src/facts/kinds/index.js';
import { collectLive, permissionsFor, type LiveCollectOptions } from '../../src/collect/live/index.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { startLatencyProxy } from '../../bench/latencyProxy.js';

const ALL_NEEDS: ReadonlySet<FactNeed> = new Set(FACT_NEEDS);
const TRAIL_NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['trails', 'trailStatus', 'eventSelectors', 'trailTags']);
const REGIONS = ['us-east-1', 'eu-west-1'];

function arnOf(region: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${MOTO_ACCOUNT_ID}:trail/${name}`;
}

function trails(facts: FactSet): TrailFacts[] {
  return facts.trails.filter((t): t is TrailFacts => !isGap(t));
}

function trail(facts: FactSet, name: string): TrailFacts {
  const found = trails(facts).find((t) => t.name === name);
  assert.ok(found, `trail ${name} collected`);
  return found;
}

function bucket(facts: FactSet, name: string): BucketFacts {
  const found = facts.buckets.find((b): b is BucketFacts => !isGap(b) && b.name === name);
  assert.ok(found, `bucket ${name} collected`);
  return found;
}

function known<T>(value: T | Unknown | undefined): T {
  assert.ok(value !== undefined, 'fact collected');
  assert.ok(!isUnknown(value), `fact known, got ${JSON.stringify(value)}`);
  return value;
}

describe('live collector against moto', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const clients: { destroy(): void }[] = [];

  function cloudTrail(region: string): CloudTrailClient {
    const client = new CloudTrailClient({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    clients.push(client);
    return client;
  }

  function s3(region: string): S3Client {
    const client = new S3Client({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    clients.push(client);
    return client;
  }

  after(() => {
    for (const client of clients) {
      client.destroy();
    }
  });

  async function createBucket(name: string, region = 'us-east-1'): Promise<void> {
    await s3(region).send(
      new CreateBucketCommand({
        Bucket: name,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  }

  async function createTrail(
    region: string,
    name: string,
    bucketName: string,
    extra: { multiRegion?: boolean; logging?: boolean } = {},
  ): Promise<string> {
    const client = cloudTrail(region);
    const created = await client.send(
      new CreateTrailCommand({ Name: name, S3BucketName: bucketName, IsMultiRegionTrail: extra.multiRegion ?? false }),
    );
    if (extra.logging ?? true) {
      // moto: StartLogging works with the name only (MOTO_NOTES 7).
      await client.send(new StartLoggingCommand({ Name: name }));
    }
    assert.ok(created.TrailARN);
    return created.TrailARN;
  }

  async function collect(needs: ReadonlySet<FactNeed>, extra: Partial<LiveCollectOptions> = {}): Promise<FactSet> {
    return collectLive({ needs, regions: REGIONS, endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS, ...extra });
  }

  it('collects an account without trails: no trails, no buckets, no gaps', async () => {
    const facts = await collect(ALL_NEEDS);
    assert.equal(facts.schemaVersion, 1);
    assert.equal(facts.source, 'live');
    assert.deepEqual(facts.trails, []);
    assert.deepEqual(facts.buckets, []);
    // Every kind a live reader exists for, asked for by ALL_NEEDS.
    assert.deepEqual(facts.collected, needsReadBy('live'));
    assert.equal(facts.account.id, MOTO_ACCOUNT_ID);
    // One account per audit today: the accounts in scope are that one.
    assert.deepEqual(facts.accounts, [MOTO_ACCOUNT_ID]);
    assert.deepEqual(facts.account.ref, { type: 'AWS::::Account', id: MOTO_ACCOUNT_ID, accountId: MOTO_ACCOUNT_ID, region: 'global' });
    assert.deepEqual(
      facts.regions.map((r) => [r.name, r.ref.type, r.ref.region]),
      [
        ['eu-west-1', 'AWS::::Account', 'eu-west-1'],
        ['us-east-1', 'AWS::::Account', 'us-east-1'],
      ],
    );
    // No trail ⇒ no trail or bucket detail calls (ListBuckets starts in the first round trip).
    assert.deepEqual(Object.keys(facts.stats.apiCalls).sort(), [
      'cloudtrail:DescribeTrails',
      'cloudtrail:ListEventDataStores',
      's3:ListAllMyBuckets',
      // CIS 4.16 asks every audited Region, trails or not.
      'securityhub:DescribeHub',
      'sts:GetCallerIdentity',
    ]);
    assert.equal(facts.stats.apiCalls['cloudtrail:DescribeTrails'], 2);
  });

  it('records one multi-region trail once, with its shadow region, and reads it in its home region', async () => {
    await createBucket('multi-logs');
    const arn = await createTrail('us-east-1', 'org-wide', 'multi-logs', { multiRegion: true });
    const facts = await collect(TRAIL_NEEDS);
    assert.equal(facts.trails.length, 1);
    const t = trail(facts, 'org-wide');
    assert.equal(t.arn, arn);
    assert.equal(t.homeRegion, 'us-east-1');
    assert.equal(t.isMultiRegion, true);
    assert.equal(t.ownerAccountId, MOTO_ACCOUNT_ID);
    assert.equal(t.ownerInScope, true);
    assert.deepEqual(t.visibleInRegions, ['eu-west-1', 'us-east-1']);
    assert.deepEqual(t.shadowInRegions, ['eu-west-1']);
    assert.deepEqual(t.ref, { type: 'AWS::CloudTrail::Trail', id: arn, name: 'org-wide', accountId: MOTO_ACCOUNT_ID, region: 'us-east-1' });
    assert.equal(t.isLogging, true);
    // moto sends JSON null for unset fields; both null and omitted mean "not set".
    assert.equal(t.kmsKeyId, null);
    assert.equal(t.cloudWatchLogsLogGroupArn, null);
    assert.equal(t.s3BucketName, 'multi-logs');
    assert.equal(facts.stats.apiCalls['cloudtrail:GetTrailStatus'], 1);
    assert.equal(facts.stats.apiCalls['cloudtrail:GetEventSelectors'], 1);
    assert.equal(facts.stats.apiCalls['cloudtrail:ListTags'], 1);
  });

  it('collects single-region trails in two regions, one of them not logging', async () => {
    await createBucket('east-logs');
    await createBucket('west-logs', 'eu-west-1');
    await createTrail('us-east-1', 'east', 'east-logs');
    await createTrail('eu-west-1', 'west', 'west-logs', { logging: false });
    const facts = await collect(new Set<FactNeed>(['trailStatus']));
    assert.deepEqual(
      trails(facts).map((t) => [t.name, t.homeRegion, t.isMultiRegion, t.isLogging, t.visibleInRegions, t.shadowInRegions]),
      [
        ['west', 'eu-west-1', false, false, ['eu-west-1'], []],
        ['east', 'us-east-1', false, true, ['us-east-1'], []],
      ],
    );
    assert.deepEqual(known(trail(facts, 'west').status), { isLogging: false });
    assert.deepEqual(facts.collected, ['trails', 'trailStatus']);
    // Sorted by ARN.
    assert.deepEqual(
      facts.trails.map((t) => t.ref.id),
      [arnOf('eu-west-1', 'west'), arnOf('us-east-1', 'east')],
    );
  });

  it('normalises basic event selectors: ReadOnly, and All with KMS events excluded', async () => {
    await createBucket('sel-logs');
    await createTrail('us-east-1', 'read-only', 'sel-logs', { multiRegion: true });
    await createTrail('us-east-1', 'no-kms', 'sel-logs', { multiRegion: true });
    const client = cloudTrail('us-east-1');
    await client.send(
      new PutEventSelectorsCommand({
        TrailName: 'read-only',
        EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      }),
    );
    await client.send(
      new PutEventSelectorsCommand({
        TrailName: 'no-kms',
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }],
      }),
    );
    const facts = await collect(new Set<FactNeed>(['eventSelectors']));
    const readOnly = known(trail(facts, 'read-only').managementEvents);
    assert.equal(readOnly.source, 'basic');
    assert.equal(readOnly.read, true);
    assert.equal(readOnly.write, false);
    assert.equal(readOnly.allInOneSelector, false);
    const noKms = known(trail(facts, 'no-kms').managementEvents);
    assert.equal(noKms.read, true);
    assert.equal(noKms.write, true);
    assert.deepEqual(noKms.excludedSources, ['kms.amazonaws.com']);
    assert.equal(noKms.allInOneSelector, false);
    const selectors = known(trail(facts, 'no-kms').eventSelectors);
    assert.deepEqual(selectors.basic, [
      { readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'], dataResources: [] },
    ]);
  });

  it('normalises advanced event selectors', async () => {
    await createBucket('adv-logs');
    await createTrail('eu-west-1', 'advanced', 'adv-logs', { multiRegion: true });
    await cloudTrail('eu-west-1').send(
      new PutEventSelectorsCommand({
        TrailName: 'advanced',
        AdvancedEventSelectors: [
          { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
          {
            Name: 'S3 writes',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      }),
    );
    const facts = await collect(new Set<FactNeed>(['eventSelectors']));
    const t = trail(facts, 'advanced');
    const selectors = known(t.eventSelectors);
    assert.equal(selectors.advanced.length, 2);
    assert.deepEqual(selectors.advanced[0], { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] });
    const coverage = known(t.managementEvents);
    assert.equal(coverage.source, 'advanced');
    assert.equal(coverage.allInOneSelector, true);
  });

  it('treats a trail without selectors as the AWS default (moto returns empty lists)', async () => {
    await createBucket('def-logs');
    await createTrail('us-east-1', 'default', 'def-logs', { multiRegion: true });
    const facts = await collect(new Set<FactNeed>(['eventSelectors']));
    const t = trail(facts, 'default');
    assert.deepEqual(known(t.eventSelectors), { basic: [], advanced: [] });
    const coverage = known(t.managementEvents);
    assert.equal(coverage.source, 'default');
    assert.equal(coverage.read && coverage.write && coverage.allInOneSelector, true);
  });

  it('reads event selectors only of multi-region trails: a single-region one cannot satisfy CloudTrail.1', async () => {
    await createBucket('scope-logs');
    await createTrail('us-east-1', 'everywhere', 'scope-logs', { multiRegion: true });
    await createTrail('us-east-1', 'east-only', 'scope-logs');
    await createTrail('eu-west-1', 'west-only', 'scope-logs');
    // Selectors on a single-region trail that would exclude KMS events: not read, so not reported
    // as known either way.
    await cloudTrail('eu-west-1').send(
      new PutEventSelectorsCommand({
        TrailName: 'west-only',
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }],
      }),
    );
    const facts = await collect(new Set<FactNeed>(['eventSelectors']));
    assert.equal(facts.stats.apiCalls['cloudtrail:GetEventSelectors'], 1);
    assert.equal(known(trail(facts, 'everywhere').managementEvents).allInOneSelector, true);
    for (const name of ['east-only', 'west-only']) {
      const single = trail(facts, name);
      assert.equal(single.isMultiRegion, false);
      for (const fact of [single.eventSelectors, single.managementEvents]) {
        assert.ok(isUnknown(fact), `${name}: selectors stand as Unknown, got ${JSON.stringify(fact)}`);
        assert.equal(fact.$unknown.reason, 'unsupported');
        assert.match(fact.$unknown.message, /single-Region/);
      }
    }
  });

  it('reads tags in the home region and separates aws: system tags', async () => {
    await createBucket('tag-logs');
    const east = await createTrail('us-east-1', 'tagged', 'tag-logs');
    const west = await createTrail('eu-west-1', 'untagged', 'tag-logs');
    await cloudTrail('us-east-1').send(
      new AddTagsCommand({
        ResourceId: east,
        TagsList: [
          { Key: 'owner', Value: 'security' },
          { Key: 'env', Value: 'prod' },
          { Key: 'aws:cloudformation:stack-name', Value: 'audit' },
        ],
      }),
    );
    const facts = await collect(new Set<FactNeed>(['trailTags']));
    const tagged = trail(facts, 'tagged');
    assert.deepEqual(known(tagged.tags), { owner: 'security', env: 'prod', 'aws:cloudformation:stack-name': 'audit' });
    assert.deepEqual(known(tagged.userTagKeys), ['env', 'owner']);
    const untagged = trail(facts, 'untagged');
    assert.equal(untagged.arn, west);
    assert.deepEqual(known(untagged.tags), {});
    assert.deepEqual(known(untagged.userTagKeys), []);
    // One ListTags per home region.
    assert.equal(facts.stats.apiCalls['cloudtrail:ListTags'], 2);
  });

  it('finds a public ACL (AllUsers) and a public policy', async () => {
    await createBucket('acl-public');
    await createBucket('policy-public');
    await createTrail('us-east-1', 'acl', 'acl-public');
    await createTrail('us-east-1', 'policy', 'policy-public');
    const client = s3('us-east-1');
    await client.send(new PutBucketAclCommand({ Bucket: 'acl-public', ACL: 'public-read' }));
    await client.send(
      new PutBucketPolicyCommand({
        Bucket: 'policy-public',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-public/*' }],
        }),
      }),
    );
    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']));
    const acl = bucket(facts, 'acl-public');
    assert.ok(known(acl.acl).some((g) => g.uri === 'http://acs.amazonaws.com/groups/global/AllUsers' && g.permission === 'READ'));
    assert.equal(known(acl.policy), null);
    assert.equal(known(acl.policyStatusIsPublic), null);
    const aclVerdict = known(acl.publicAccess);
    assert.equal(aclVerdict.isPublic, true);
    assert.deepEqual(aclVerdict.via, ['acl']);

    const policy = bucket(facts, 'policy-public');
    assert.equal(typeof known(policy.policy), 'string');
    // moto's GetBucketPolicyStatus has no IsPublic: null, and the policy is analysed statically.
    assert.equal(known(policy.policyStatusIsPublic), null);
    const policyVerdict = known(policy.publicAccess);
    assert.equal(policyVerdict.isPublic, true);
    assert.deepEqual(policyVerdict.via, ['policy']);
    assert.deepEqual(policy.ref, { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::policy-public', name: 'policy-public', accountId: MOTO_ACCOUNT_ID, region: 'us-east-1' });
    assert.deepEqual(policy.trailArns, [arnOf('us-east-1', 'policy')]);
    // GetBucketPolicyStatus only for the bucket that has a policy.
    assert.equal(facts.stats.apiCalls['s3:GetBucketPolicyStatus'], 1);
  });

  it('reads Block Public Access and Object Ownership only where the ACL or policy could make the bucket public', async () => {
    const names = ['lazy-private', 'lazy-service-policy', 'lazy-acl', 'lazy-acl-enforced', 'lazy-policy'];
    for (const name of names) {
      await createBucket(name);
      await createTrail('us-east-1', name, name);
    }
    const client = s3('us-east-1');
    await client.send(new PutBucketAclCommand({ Bucket: 'lazy-acl', ACL: 'public-read' }));
    // A public grant left in the ACL, then ACLs disabled: the grant no longer applies.
    await client.send(new PutBucketAclCommand({ Bucket: 'lazy-acl-enforced', ACL: 'public-read' }));
    await client.send(
      new PutBucketOwnershipControlsCommand({ Bucket: 'lazy-acl-enforced', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }),
    );
    const put = (name: string, principal: unknown, condition?: object) =>
      client.send(
        new PutBucketPolicyCommand({
          Bucket: name,
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: principal, Action: 's3:PutObject', Resource: `arn:aws:s3:::${name}/*`, ...(condition === undefined ? {} : { Condition: condition }) }],
          }),
        }),
      );
    await put('lazy-service-policy', { Service: 'cloudtrail.amazonaws.com' }, { StringEquals: { 'aws:SourceAccount': MOTO_ACCOUNT_ID } });
    await put('lazy-policy', '*');

    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']));
    const calls = facts.stats.apiCalls;
    // The public ACLs need both (IgnorePublicAcls, BucketOwnerEnforced); the public policy needs
    // only Block Public Access (RestrictPublicBuckets); the private buckets need neither.
    assert.equal(calls['s3:GetBucketPublicAccessBlock'], 3);
    assert.equal(calls['s3:GetBucketOwnershipControls'], 2);
    for (const name of ['lazy-private', 'lazy-service-policy']) {
      const b = bucket(facts, name);
      assert.equal(known(b.publicAccess).isPublic, false, name);
      // Not read, and standing as Unknown so that no check can pass on a value nobody read.
      for (const setting of [b.publicAccessBlock, b.objectOwnership]) {
        assert.ok(isUnknown(setting), `${name}: settings not read`);
        assert.equal(setting.$unknown.reason, 'unsupported');
        assert.match(setting.$unknown.message, /^Not read: /);
      }
    }
    const acl = bucket(facts, 'lazy-acl');
    assert.equal(known(acl.publicAccess).isPublic, true);
    assert.equal(known(acl.publicAccessBlock), null);
    assert.equal(known(acl.objectOwnership), null);
    const enforced = bucket(facts, 'lazy-acl-enforced');
    assert.equal(known(enforced.objectOwnership), 'BucketOwnerEnforced');
    assert.equal(known(enforced.publicAccess).isPublic, false);
    assert.deepEqual(known(enforced.publicAccess).neutralisedBy, ['ObjectOwnership BucketOwnerEnforced']);
    const policy = bucket(facts, 'lazy-policy');
    assert.equal(known(policy.publicAccess).isPublic, true);
    assert.equal(known(policy.publicAccessBlock), null);
    assert.ok(isUnknown(policy.objectOwnership) && policy.objectOwnership.$unknown.reason === 'unsupported');
  });

  it('applies bucket and account Block Public Access (S3 Control through the host-prefix fix)', async () => {
    await createBucket('blocked-acl');
    await createBucket('blocked-policy', 'eu-west-1');
    await createTrail('us-east-1', 'blocked-acl', 'blocked-acl');
    await createTrail('eu-west-1', 'blocked-policy', 'blocked-policy');
    await s3('us-east-1').send(new PutBucketAclCommand({ Bucket: 'blocked-acl', ACL: 'public-read' }));
    await s3('us-east-1').send(
      new PutBucketPublicAccessBlockCommand({
        Bucket: 'blocked-acl',
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await s3('eu-west-1').send(
      new PutBucketPolicyCommand({
        Bucket: 'blocked-policy',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::blocked-policy/*' }],
        }),
      }),
    );
    const control = createS3ControlClient({ region: 'us-east-1', credentials: MOTO_CREDENTIALS }, moto.endpoint);
    clients.push(control);
    await control.send(
      new PutPublicAccessBlockCommand({
        AccountId: MOTO_ACCOUNT_ID,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );

    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess']));
    assert.deepEqual(known(facts.account.publicAccessBlock), {
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    const acl = bucket(facts, 'blocked-acl');
    assert.deepEqual(known(acl.publicAccessBlock), {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    assert.equal(known(acl.publicAccess).isPublic, false);
    assert.ok(known(acl.publicAccess).neutralisedBy.length > 0);
    const policy = bucket(facts, 'blocked-policy');
    assert.equal(policy.region, 'eu-west-1');
    assert.equal(known(policy.publicAccessBlock), null);
    assert.equal(known(policy.publicAccess).isPublic, false);
    assert.ok(known(policy.publicAccess).neutralisedBy.some((s) => s.includes('RestrictPublicBuckets')));
    assert.equal(facts.stats.apiCalls['s3:GetAccountPublicAccessBlock'], 1);
  });

  it('reads server access logging', async () => {
    await createBucket('trail-logs');
    await createBucket('access-logs');
    await createTrail('us-east-1', 'logged', 'trail-logs');
    // moto requires the target to grant the log-delivery group (MOTO_NOTES 15): the grants of
    // the canned ACL log-delivery-write, which the SDK's BucketCannedACL type does not list.
    const logDelivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';
    await s3('us-east-1').send(new PutBucketAclCommand({ Bucket: 'access-logs', GrantWrite: logDelivery, GrantReadACP: logDelivery }));
    await s3('us-east-1').send(
      new PutBucketLoggingCommand({
        Bucket: 'trail-logs',
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'access-logs', TargetPrefix: 'trail-logs/' } },
      }),
    );
    await createBucket('unlogged');
    await createTrail('us-east-1', 'unlogged', 'unlogged');
    const facts = await collect(new Set<FactNeed>(['bucketLogging']));
    assert.deepEqual(known(bucket(facts, 'trail-logs').logging), { targetBucket: 'access-logs', targetPrefix: 'trail-logs/' });
    assert.equal(known(bucket(facts, 'unlogged').logging), null);
    assert.equal(bucket(facts, 'trail-logs').publicAccess, undefined, 'public access not collected when not needed');
    assert.equal(facts.stats.apiCalls['s3:GetBucketAcl'], undefined);
  });

  it('reports a trail whose bucket was deleted as not_found on every bucket fact', async () => {
    await createBucket('gone-logs');
    await createTrail('us-east-1', 'orphan', 'gone-logs');
    await s3('us-east-1').send(new DeleteBucketCommand({ Bucket: 'gone-logs' }));
    const facts = await collect(new Set<FactNeed>(['bucketPublicAccess', 'bucketLogging']));
    const gone = bucket(facts, 'gone-logs');
    for (const field of ['region', 'ownerAccountId', 'acl', 'policy', 'policyStatusIsPublic', 'publicAccessBlock', 'objectOwnership', 'publicAccess', 'logging'] as const) {
      const value = gone[field];
      assert.ok(isUnknown(value), `${field} is unknown`);
      assert.equal(value.$unknown.reason, 'not_found');
      assert.match(value.$unknown.message, /orphan/);
      assert.match(value.$unknown.message, /does not exist/);
    }
    assert.deepEqual(gone.trailArns, [arnOf('us-east-1', 'orphan')]);
    assert.equal(gone.ref.accountId, null);
    // Only the probe: nothing is read from a bucket that is not there.
    assert.equal(facts.stats.apiCalls['s3:GetBucketLocation'], 1);
    assert.equal(facts.stats.apiCalls['s3:GetBucketAcl'], undefined);
    assert.equal(facts.stats.apiCalls['s3:GetAccountPublicAccessBlock'], undefined);
  });

  it('with only the trails need, calls GetCallerIdentity and DescribeTrails per region, nothing else', async () => {
    await createBucket('only-logs');
    await createTrail('us-east-1', 'only', 'only-logs', { multiRegion: true });
    const facts = await collect(new Set<FactNeed>(['trails']));
    assert.deepEqual(facts.stats.apiCalls, { 'cloudtrail:DescribeTrails': 2, 'sts:GetCallerIdentity': 1 });
    assert.deepEqual(facts.collected, ['trails']);
    const t = trail(facts, 'only');
    assert.equal(t.isLogging, undefined);
    assert.equal(t.eventSelectors, undefined);
    assert.equal(t.tags, undefined);
    assert.deepEqual(facts.buckets, []);
    assert.deepEqual(facts.eventDataStores, []);
  });

  it('with every need, makes each call the minimum number of times', async () => {
    // 23 trails homed in us-east-1 (one multi-region), 2 in eu-west-1; three buckets, one in eu-west-1.
    await createBucket('min-a');
    await createBucket('min-b');
    await createBucket('min-c', 'eu-west-1');
    await createTrail('us-east-1', 'min-multi', 'min-a', { multiRegion: true });
    for (let i = 0; i < 22; i += 1) {
      await createTrail('us-east-1', `min-${String(i).padStart(2, '0')}`, i % 2 === 0 ? 'min-a' : 'min-b', { logging: false });
    }
    await createTrail('eu-west-1', 'min-west-1', 'min-c');
    await createTrail('eu-west-1', 'min-west-2', 'min-a');
    const progress: { done: number; total: number }[] = [];
    const facts = await collect(ALL_NEEDS, { onProgress: (p) => progress.push({ done: p.done, total: p.total }) });
    assert.equal(trails(facts).length, 25);
    assert.equal(facts.buckets.length, 3);
    const calls = facts.stats.apiCalls;
    assert.deepEqual(calls, {
      'cloudtrail:DescribeTrails': 2,
      // Only the multi-region trail: selectors cannot make a single-region trail count.
      'cloudtrail:GetEventSelectors': 1,
      'cloudtrail:GetTrailStatus': 25,
      'cloudtrail:ListEventDataStores': 2,
      // ceil(23 / 20) in us-east-1 + ceil(2 / 20) in eu-west-1
      'cloudtrail:ListTags': 3,
      's3:GetAccountPublicAccessBlock': 1,
      's3:GetBucketAcl': 3,
      // moto's ListBuckets has no BucketRegion: one location call per bucket.
      's3:GetBucketLocation': 3,
      's3:GetBucketLogging': 3,
      // No bucket grants anything public, so Block Public Access and Object Ownership cannot
      // change a verdict and are not read (the next test covers buckets where they can).
      's3:GetBucketPolicy': 3,
      's3:ListAllMyBuckets': 1,
      'securityhub:DescribeHub': 2,
      'sts:GetCallerIdentity': 1,
    });
    assert.deepEqual(bucket(facts, 'min-a').trailArns.length, 13);
    assert.equal(bucket(facts, 'min-c').region, 'eu-west-1');
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    assert.equal(progress.length, total);
    assert.deepEqual(progress.at(-1), { done: total, total });
    assert.ok(facts.stats.durationMs >= 0);

    // The iam-policy proof: every call made is in the printed policy.
    const policy = new Set(permissionsFor(ALL_NEEDS));
    for (const action of Object.keys(calls)) {
      assert.ok(policy.has(action), `${action} is in permissionsFor(all needs)`);
    }
  });

  it('reports event data stores on moto as gaps, never as "no stores"', async () => {
    const facts = await collect(new Set<FactNeed>(['eventDataStores']), { maxAttempts: 1 });
    assert.deepEqual(facts.collected, ['eventDataStores']);
    assert.equal(facts.eventDataStores.length, 2);
    for (const item of facts.eventDataStores) {
      assert.ok(isGap(item));
      assert.equal(item.$gap.reason, 'error');
      assert.equal(item.$gap.operation, 'cloudtrail:ListEventDataStores');
      assert.match(item.$gap.message, /HTML/);
      assert.match(item.ref.id, /^arn:aws:cloudtrail:(us-east-1|eu-west-1):123456789012:eventdatastore\/\*$/);
    }
    assert.deepEqual(facts.stats.apiCalls, { 'cloudtrail:ListEventDataStores': 2, 'sts:GetCallerIdentity': 1 });
  });

  it('discovers the enabled regions when none are given', async () => {
    const facts = await collectLive({ needs: new Set<FactNeed>(['trails']), endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
    const names = facts.regions.map((r) => r.name);
    assert.ok(names.includes('us-east-1') && names.includes('eu-west-1'));
    assert.deepEqual(names, [...names].sort());
    assert.equal(facts.stats.apiCalls['ec2:DescribeRegions'], 1);
    assert.equal(facts.stats.apiCalls['cloudtrail:DescribeTrails'], names.length);
  });

  // moto's DescribeRegions lists us-gov-* and cn-* Regions to an aws-partition caller (MOTO_GAPS).
  it("keeps discovered Regions in the caller's partition and says which were left out", async () => {
    const notices: string[] = [];
    const facts = await collectLive({
      needs: new Set<FactNeed>(['trails']),
      endpointUrl: moto.endpoint,
      credentials: MOTO_CREDENTIALS,
      onNotice: (message) => notices.push(message),
    });
    const names = facts.regions.map((r) => r.name);
    assert.equal(facts.account.partition, 'aws');
    assert.deepEqual(names.filter((name) => /^(cn|us-gov)-/u.test(name)), []);
    assert.equal(facts.stats.apiCalls['cloudtrail:DescribeTrails'], names.length, 'no call to another partition');
    assert.equal(notices.length, 1);
    assert.match(notices[0] ?? '', /outside the caller's partition aws: .*cn-north-1/u);
    assert.match(notices[0] ?? '', /us-gov-west-1/u);
  });

  it("records the caller's principal ARN, so reports say who ran the audit", async () => {
    const facts = await collectLive({ needs: new Set<FactNeed>(['trails']), regions: ['us-east-1'], endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
    assert.match(facts.account.principalArn ?? '', /^arn:aws:(iam|sts)::123456789012:/u);
  });

  // moto closes every connection after one response, so keep-alive is observed through the
  // bench's proxy, which (like AWS) keeps client connections open.
  it('shares one keep-alive connection pool between the clients of every service and region', async () => {
    await createBucket('pool-east');
    await createBucket('pool-west', 'eu-west-1');
    await createTrail('us-east-1', 'pool-east', 'pool-east');
    await createTrail('eu-west-1', 'pool-west', 'pool-west');
    const proxy = await startLatencyProxy(moto.endpoint, 0);
    const proxyPort = Number(new URL(proxy.endpoint).port);
    let connections = 0;
    const onSocket = (message: unknown): void => {
      const { socket } = message as { socket: Socket };
      socket.once('connect', () => {
        if (socket.remotePort === proxyPort) {
          connections += 1;
        }
      });
    };
    subscribe('net.client.socket', onSocket);
    try {
      // One request at a time: a single warm connection can serve them all.
      const facts = await collectLive({ needs: ALL_NEEDS, regions: REGIONS, endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS, concurrency: 1 });
      assert.equal(trails(facts).length, 2);
      // STS, CloudTrail and S3 in two regions, S3 Control: six clients, one connection.
      assert.equal(connections, 1);
    } finally {
      unsubscribe('net.client.socket', onSocket);
      await proxy.close();
    }
  });

  it('honours AWS_ENDPOINT_URL when no endpoint is given, and a concurrency of 1', async () => {
    await createBucket('env-logs');
    await createTrail('eu-west-1', 'env', 'env-logs');
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    try {
      const facts = await collectLive({ needs: ALL_NEEDS, regions: REGIONS, credentials: MOTO_CREDENTIALS, concurrency: 1, maxAttempts: 1 });
      assert.equal(trail(facts, 'env').isLogging, true);
      assert.equal(known(bucket(facts, 'env-logs').publicAccess).isPublic, false);
    } finally {
      if (saved === undefined) {
        delete process.env.AWS_ENDPOINT_URL;
      } else {
        process.env.AWS_ENDPOINT_URL = saved;
      }
    }
  });
});
