/**
 * The live readers of the KMS key kinds, Security Hub and bucket location against a real
 * moto_server (keys, aliases, key state, rotation and key policy are real there). What moto cannot
 * produce (denied and cross-account keys, rotation refused for a key type or state, throttling,
 * Lake event data stores) is in kmsSecurityHub.mock.test.ts; see test/MOTO_GAPS.md.
 */
import { strict as assert } from 'node:assert';
import { CreateTrailCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, EnableKeyRotationCommand, ScheduleKeyDeletionCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { BucketFacts, FactNeed, FactSet, KmsKeyFacts, SecurityHubFacts, Unknown } from '../../src/facts/model.js';
import { isGap, isUnknown } from '../../src/facts/model.js';
import { collectLive } from '../../src/collect/live/index.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, cloudTrailClient, kmsClient, s3Client } from '../../support/moto/clients.js';
import { cloudTrailKeyPolicy } from '../../support/moto/kmsKeyPolicy.js';
import { useMoto } from '../../support/moto/mocha.js';
import { assertValidSnapshot } from './snapshotRoundTrip.js';
import { createBucket } from '../../support/moto/s3.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const KMS_NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['kmsKeys', 'kmsKeyPolicies', 'kmsKeyRotation']);
/** A key id no key has: moto's CreateTrail accepts it (MOTO_NOTES, "More services"). */
const MISSING_KEY = `arn:aws:kms:us-east-1:${MOTO_ACCOUNT_ID}:key/00000000-0000-4000-8000-000000000000`;

function keys(facts: FactSet): KmsKeyFacts[] {
  return (facts.kmsKeys ?? []).filter((k): k is KmsKeyFacts => !isGap(k));
}

function keyById(facts: FactSet, id: string): KmsKeyFacts {
  const found = keys(facts).find((k) => k.ref.id === id);
  assert.ok(found, `key ${id} collected (have ${keys(facts).map((k) => k.ref.id).join(', ')})`);
  return found;
}

function known<T>(value: T | Unknown | undefined): T {
  assert.ok(value !== undefined && !isUnknown(value), `fact known, got ${JSON.stringify(value)}`);
  return value;
}

function trailArn(region: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${MOTO_ACCOUNT_ID}:trail/${name}`;
}

function kmsCalls(facts: FactSet): Record<string, number> {
  return Object.fromEntries(Object.entries(facts.stats.apiCalls).filter(([action]) => action.startsWith('kms:')));
}

describe('live KMS keys, Security Hub and bucket location against moto', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const clients: { destroy(): void }[] = [];
  const tracked = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  const kms = (region: string): KMSClient => tracked(kmsClient(moto.endpoint, region));
  const cloudTrail = (region: string): CloudTrailClient => tracked(cloudTrailClient(moto.endpoint, region));

  after(() => {
    clients.forEach((client) => {
      client.destroy();
    });
  });

  async function trailWithKey(region: string, name: string, bucket: string, kmsKeyId: string): Promise<void> {
    await cloudTrail(region).send(new CreateTrailCommand({ Name: name, S3BucketName: bucket, KmsKeyId: kmsKeyId }));
  }

  /** The new key's ARN (what AWS's DescribeTrails shows) and id (moto's DisableKey fails on an ARN: MOTO_GAPS). */
  async function createKeyWithId(region: string, policy?: string): Promise<{ arn: string; id: string }> {
    const created = await kms(region).send(new CreateKeyCommand(policy === undefined ? {} : { Policy: policy }));
    assert.ok(created.KeyMetadata?.Arn !== undefined && created.KeyMetadata.KeyId !== undefined);
    return { arn: created.KeyMetadata.Arn, id: created.KeyMetadata.KeyId };
  }

  async function createKey(region: string, policy?: string): Promise<string> {
    return (await createKeyWithId(region, policy)).arn;
  }

  async function collect(needs: ReadonlySet<FactNeed>): Promise<FactSet> {
    return collectLive({ needs, regions: REGIONS, endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
  }

  it('reads each key once in its Region: state, rotation and policy; a missing key; an alias; a key shared by two trails', async () => {
    const s3 = tracked(s3Client(moto.endpoint, 'us-east-1'));
    await createBucket(s3, 'kms-logs', 'us-east-1');
    const { arn: enabled, id: enabledId } = await createKeyWithId('us-east-1', cloudTrailKeyPolicy(MOTO_ACCOUNT_ID));
    await kms('us-east-1').send(new EnableKeyRotationCommand({ KeyId: enabledId }));
    const { arn: disabled, id: disabledId } = await createKeyWithId('us-east-1');
    await kms('us-east-1').send(new DisableKeyCommand({ KeyId: disabledId }));
    const { arn: pending, id: pendingId } = await createKeyWithId('us-east-1');
    await kms('us-east-1').send(new ScheduleKeyDeletionCommand({ KeyId: pendingId, PendingWindowInDays: 7 }));
    const aliased = await createKey('eu-west-1');
    await kms('eu-west-1').send(new CreateAliasCommand({ AliasName: 'alias/ct-logs', TargetKeyId: aliased }));

    await trailWithKey('us-east-1', 'shared-1', 'kms-logs', enabled);
    await trailWithKey('us-east-1', 'shared-2', 'kms-logs', enabled);
    await trailWithKey('us-east-1', 'disabled', 'kms-logs', disabled);
    await trailWithKey('us-east-1', 'pending', 'kms-logs', pending);
    await trailWithKey('us-east-1', 'missing', 'kms-logs', MISSING_KEY);
    // An alias name resolves in the trail's home Region; a second trail names the same key by ARN.
    await trailWithKey('eu-west-1', 'by-alias', 'kms-logs', 'alias/ct-logs');
    await trailWithKey('eu-west-1', 'by-arn', 'kms-logs', aliased);
    await cloudTrail('us-east-1').send(new CreateTrailCommand({ Name: 'plain', S3BucketName: 'kms-logs' }));

    const facts = await collect(KMS_NEEDS);
    assert.deepEqual(facts.collected, ['trails', 'kmsKeys', 'kmsKeyPolicies', 'kmsKeyRotation']);
    assert.deepEqual(
      keys(facts).map((k) => k.ref.id),
      [enabled, disabled, pending, MISSING_KEY, aliased].sort(),
      'one item per key; the trail without a key names none',
    );

    const shared = keyById(facts, enabled);
    assert.deepEqual(shared.ref, { type: 'AWS::KMS::Key', id: enabled, accountId: MOTO_ACCOUNT_ID, region: 'us-east-1' });
    assert.deepEqual(shared.trailArns, [trailArn('us-east-1', 'shared-1'), trailArn('us-east-1', 'shared-2')]);
    assert.deepEqual(shared.configuredAs, [enabled]);
    assert.equal(shared.exists, true);
    assert.equal(shared.keyState, 'Enabled');
    assert.equal(shared.keyManager, 'CUSTOMER');
    assert.equal(shared.keySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(shared.rotationEnabled, true);
    assert.match(known(shared.policy) ?? '', /cloudtrail\.amazonaws\.com/u);

    const off = keyById(facts, disabled);
    assert.equal(off.keyState, 'Disabled');
    assert.equal(off.rotationEnabled, false);
    // moto's default key policy: the account root only (the verdict is TrailHealth.3's).
    const offPolicy = JSON.parse(known(off.policy) ?? '') as { Statement: { Principal: unknown }[] };
    assert.deepEqual(offPolicy.Statement.map((statement) => statement.Principal), [{ AWS: `arn:aws:iam::${MOTO_ACCOUNT_ID}:root` }]);

    assert.equal(keyById(facts, pending).keyState, 'PendingDeletion');

    const gone = keyById(facts, MISSING_KEY);
    assert.equal(gone.exists, false);
    assert.equal(gone.keyState, null);
    assert.deepEqual(gone.trailArns, [trailArn('us-east-1', 'missing')]);
    for (const fact of [gone.policy, gone.rotationEnabled]) {
      assert.ok(isUnknown(fact));
      assert.equal(fact.$unknown.reason, 'not_found');
    }

    const alias = keyById(facts, aliased);
    assert.equal(alias.region, 'eu-west-1');
    assert.deepEqual(alias.configuredAs, ['alias/ct-logs', aliased].sort());
    assert.deepEqual(alias.aliases, ['alias/ct-logs']);
    assert.deepEqual(alias.trailArns, [trailArn('eu-west-1', 'by-alias'), trailArn('eu-west-1', 'by-arn')].sort());

    // DescribeKey once per identifier (5 distinct ARNs + the alias), policy and rotation once per
    // existing key ARN (4); nothing for the missing key after its NotFoundException.
    assert.deepEqual(kmsCalls(facts), { 'kms:DescribeKey': 6, 'kms:GetKeyPolicy': 4, 'kms:GetKeyRotationStatus': 4 });
    assert.deepEqual(Object.keys(facts.stats.apiCalls).sort(), ['cloudtrail:DescribeTrails', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'sts:GetCallerIdentity']);
    assertValidSnapshot(facts);
  });

  it('asks only DescribeKey when neither the policy nor the rotation is needed', async () => {
    const s3 = tracked(s3Client(moto.endpoint, 'us-east-1'));
    await createBucket(s3, 'kms-only-logs', 'us-east-1');
    const key = await createKey('us-east-1');
    await trailWithKey('us-east-1', 'only', 'kms-only-logs', key);
    const facts = await collect(new Set<FactNeed>(['kmsKeys']));
    assert.deepEqual(kmsCalls(facts), { 'kms:DescribeKey': 1 });
    const item = keyById(facts, key);
    assert.equal(item.keyState, 'Enabled');
    assert.equal('policy' in item, false);
    assert.equal('rotationEnabled' in item, false);
  });

  it('calls nothing of KMS or Security Hub when no enabled check needs them, and writes neither collection', async () => {
    const s3 = tracked(s3Client(moto.endpoint, 'us-east-1'));
    await createBucket(s3, 'quiet-logs', 'us-east-1');
    await trailWithKey('us-east-1', 'quiet', 'quiet-logs', await createKey('us-east-1'));
    const facts = await collect(new Set<FactNeed>(['trails', 'trailStatus', 'eventSelectors', 'trailTags', 'bucketPublicAccess', 'bucketLogging']));
    const services = new Set(Object.keys(facts.stats.apiCalls).map((action) => action.slice(0, action.indexOf(':'))));
    assert.deepEqual([...services].sort(), ['cloudtrail', 's3', 'sts']);
    assert.equal(facts.kmsKeys, undefined);
    assert.equal(facts.securityHubs, undefined);
  });

  it('reads Security Hub once per audited Region: enabled in one, not subscribed in the other', async () => {
    const hub = tracked(new SecurityHubClient({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS }));
    await hub.send(new EnableSecurityHubCommand({}));
    const facts = await collect(new Set<FactNeed>(['securityHub']));
    assert.deepEqual(facts.stats.apiCalls, { 'securityhub:DescribeHub': 2, 'sts:GetCallerIdentity': 1 });
    assert.deepEqual(facts.collected, ['securityHub']);
    const hubs: readonly SecurityHubFacts[] = facts.securityHubs ?? [];
    assert.deepEqual(
      hubs.map((h) => [h.ref.id, h.region, h.enabled]),
      [
        [`arn:aws:securityhub:eu-west-1:${MOTO_ACCOUNT_ID}:hub/default`, 'eu-west-1', true],
        [`arn:aws:securityhub:us-east-1:${MOTO_ACCOUNT_ID}:hub/default`, 'us-east-1', false],
      ],
    );
    const [west, east] = hubs;
    assert.ok(west !== undefined && east !== undefined);
    assert.equal(west.hubArn, `arn:aws:securityhub:eu-west-1:${MOTO_ACCOUNT_ID}:hub/default`);
    assert.match(west.subscribedAt ?? '', /^\d{4}-\d\d-\d\d/u);
    assert.equal(east.hubArn, undefined);
    assertValidSnapshot(facts);
  });

  it('with only bucketLocation, locates the buckets (a deleted one is not_found) and reads nothing else of them', async () => {
    const s3 = tracked(s3Client(moto.endpoint, 'eu-west-1'));
    await createBucket(s3, 'located-logs', 'eu-west-1');
    await cloudTrail('us-east-1').send(new CreateTrailCommand({ Name: 'located', S3BucketName: 'located-logs' }));
    // moto's CreateTrail wants the bucket to exist; deleting it afterwards is the real-world case.
    await createBucket(s3, 'deleted-logs-bucket', 'eu-west-1');
    await cloudTrail('us-east-1').send(new CreateTrailCommand({ Name: 'orphan', S3BucketName: 'deleted-logs-bucket' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'deleted-logs-bucket' }));
    const facts = await collect(new Set<FactNeed>(['bucketLocation']));
    assert.deepEqual(facts.collected, ['trails', 'bucketLocation']);
    // moto's ListBuckets has no BucketRegion: one location call per bucket (MOTO_GAPS 16).
    assert.deepEqual(facts.stats.apiCalls, {
      'cloudtrail:DescribeTrails': 2,
      's3:GetBucketLocation': 2,
      's3:ListAllMyBuckets': 1,
      'sts:GetCallerIdentity': 1,
    });
    const byName = new Map(facts.buckets.filter((b): b is BucketFacts => !isGap(b)).map((b) => [b.name, b]));
    const located = byName.get('located-logs');
    assert.ok(located);
    assert.equal(located.region, 'eu-west-1');
    assert.equal(located.ownerAccountId, MOTO_ACCOUNT_ID);
    assert.equal('acl' in located, false);
    assert.equal('logging' in located, false);
    const orphan = byName.get('deleted-logs-bucket');
    assert.ok(orphan);
    const region = orphan.region as Unknown;
    assert.ok(isUnknown(region));
    assert.equal(region.$unknown.reason, 'not_found');
    assert.deepEqual(orphan.trailArns, [trailArn('us-east-1', 'orphan')]);
  });
});
