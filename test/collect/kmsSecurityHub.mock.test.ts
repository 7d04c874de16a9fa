/**
 * The KMS key and Security Hub readers against mocked SDK clients (aws-sdk-client-mock), ONLY for
 * AWS behaviour moto cannot produce (test/MOTO_GAPS.md, "KMS and Security Hub"): another account's
 * key (moto is one account and never denies), denied and throttled calls, GetKeyRotationStatus
 * refused for a key type (moto answers false for an asymmetric key) or a key pending deletion
 * (moto answers), organization trails of another account, and Lake event data stores (moto does
 * not implement Lake). What moto does produce is tested in kmsSecurityHub.moto.test.ts.
 *
 * The mocks replace `send` on the client prototypes (no request leaves the process); the
 * endpoint is an unused loopback port as a second guard.
 */
import { strict as assert } from 'node:assert';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  ListEventDataStoresCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, type KeyMetadata } from '@aws-sdk/client-kms';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { FactNeed, FactSet, KmsKeyFacts, KmsKeyGap, Unknown } from '../../src/facts/model.js';
import { isGap, isUnknown } from '../../src/facts/model.js';
import { collectLive } from '../../src/collect/live/index.js';
import { assertValidSnapshot } from './snapshotRoundTrip.js';

const ACCOUNT = '222222222222';
const OTHER = '333333333333';
const MANAGEMENT = '111111111111';
const DUMMY = { accessKeyId: 'mock', secretAccessKey: 'mock' };
const KMS_NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['kmsKeys', 'kmsKeyPolicies', 'kmsKeyRotation']);

let ct: AwsClientStub<CloudTrailClient>;
let kms: AwsClientStub<KMSClient>;
let hub: AwsClientStub<SecurityHubClient>;
let sts: AwsClientStub<STSClient>;

function awsError(code: string, status: number, message = `${code} (mocked)`): Error {
  return Object.assign(new Error(message), { name: code, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, attempts: 1 } });
}

function keyArn(id: string, account = ACCOUNT, region = 'us-east-1'): string {
  return `arn:aws:kms:${region}:${account}:key/${id}`;
}

function trail(name: string, kmsKeyId: string | undefined, extra: Partial<Trail> = {}): Trail {
  return {
    Name: name,
    S3BucketName: `${name}-logs`,
    IsMultiRegionTrail: false,
    HomeRegion: 'us-east-1',
    TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`,
    ...(kmsKeyId === undefined ? {} : { KmsKeyId: kmsKeyId }),
    ...extra,
  };
}

function metadata(arn: string, extra: Partial<KeyMetadata> = {}): KeyMetadata {
  const parts = arn.split(':');
  return { Arn: arn, KeyId: arn.slice(arn.lastIndexOf('/') + 1), AWSAccountId: parts[4], KeyState: 'Enabled', KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', ...extra };
}

async function regionOf(getClient: () => { config: { region: unknown } }): Promise<string> {
  const region = getClient().config.region;
  return typeof region === 'function' ? await (region as () => Promise<string>)() : String(region);
}

async function collect(needs: ReadonlySet<FactNeed>, regions: readonly string[] = ['us-east-1']): Promise<FactSet> {
  return collectLive({ needs, regions, endpointUrl: 'http://127.0.0.1:9', credentials: DUMMY, maxAttempts: 1 });
}

function keyItems(facts: FactSet): KmsKeyFacts[] {
  return (facts.kmsKeys ?? []).filter((k): k is KmsKeyFacts => !isGap(k));
}

function onlyKey(facts: FactSet): KmsKeyFacts {
  const items = keyItems(facts);
  assert.equal(items.length, 1, JSON.stringify(facts.kmsKeys));
  const [item] = items;
  assert.ok(item);
  return item;
}

function unknownOf(value: unknown): Unknown['$unknown'] {
  assert.ok(isUnknown(value), `expected an Unknown, got ${JSON.stringify(value)}`);
  return value.$unknown;
}

describe('live KMS keys and Security Hub: AWS behaviour moto cannot produce (mocked SDK)', () => {
  before(() => {
    ct = mockClient(CloudTrailClient);
    kms = mockClient(KMSClient);
    hub = mockClient(SecurityHubClient);
    sts = mockClient(STSClient);
  });

  beforeEach(() => {
    for (const mock of [ct, kms, hub, sts]) {
      mock.reset();
    }
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:role/auditor`, UserId: 'AROAEXAMPLE' });
  });

  after(() => {
    for (const mock of [ct, kms, hub, sts]) {
      mock.restore();
    }
  });

  // moto has one account and never denies: a key of another account whose policy grants us nothing.
  it('reports another account\'s key that denies DescribeKey as cross_account naming its owner, and never asks for its policy', async () => {
    const foreign = keyArn('f00', OTHER, 'eu-west-1');
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('central', foreign)] });
    const regions: string[] = [];
    kms.on(DescribeKeyCommand).callsFake(async (_input, getClient) => {
      regions.push(await regionOf(getClient));
      throw awsError('AccessDeniedException', 400, `User: arn:aws:iam::${ACCOUNT}:role/auditor is not authorized to perform: kms:DescribeKey`);
    });
    const facts = await collect(KMS_NEEDS);
    const item = onlyKey(facts);
    assert.equal(item.ref.id, foreign);
    assert.equal(item.accountId, OTHER);
    // Asked in the key's own Region, from its ARN.
    assert.deepEqual(regions, ['eu-west-1']);
    for (const fact of [item.exists, item.keyState, item.policy, item.rotationEnabled]) {
      const detail = unknownOf(fact);
      assert.equal(detail.reason, 'cross_account');
      assert.equal(detail.account, OTHER);
    }
    assert.match(unknownOf(item.exists).message, new RegExp(`belongs to account ${OTHER}`, 'u'));
    assert.equal(kms.commandCalls(GetKeyPolicyCommand).length, 0);
    assert.equal(kms.commandCalls(GetKeyRotationStatusCommand).length, 0);
    assertValidSnapshot(facts);
  });

  // GetKeyPolicy is not a cross-account operation on AWS; moto cannot have a second account's key.
  it('reads a describable key of another account, its rotation by ARN, but not its policy (KMS does not allow that across accounts)', async () => {
    const foreign = keyArn('f01', OTHER);
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('central', foreign)] });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata(foreign) });
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
    const facts = await collect(KMS_NEEDS);
    const item = onlyKey(facts);
    assert.equal(item.keyState, 'Enabled');
    assert.equal(item.rotationEnabled, true);
    assert.deepEqual(kms.commandCalls(GetKeyRotationStatusCommand).map((call) => call.args[0].input.KeyId), [foreign]);
    const policy = unknownOf(item.policy);
    assert.equal(policy.reason, 'cross_account');
    assert.equal(policy.account, OTHER);
    assert.equal(policy.operation, 'kms:GetKeyPolicy');
    assert.equal(kms.commandCalls(GetKeyPolicyCommand).length, 0);
    assert.deepEqual(facts.stats.apiCalls['kms:GetKeyPolicy'], undefined);
  });

  // moto never denies: DescribeKey denied on the audited account's own key is a permission to grant.
  it('reports DescribeKey denied on an own key as access_denied, and does not ask more of that key', async () => {
    const own = keyArn('a01');
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main', own)] });
    kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException', 400));
    const item = onlyKey(await collect(KMS_NEEDS));
    for (const fact of [item.exists, item.keyState, item.keyManager, item.policy, item.rotationEnabled]) {
      const detail = unknownOf(fact);
      assert.equal(detail.reason, 'access_denied');
      assert.equal(detail.operation, 'kms:DescribeKey');
    }
    assert.match(unknownOf(item.exists).message, /grant kms:DescribeKey/u);
    assert.equal(kms.commandCalls(GetKeyPolicyCommand).length + kms.commandCalls(GetKeyRotationStatusCommand).length, 0);
  });

  // moto answers GetKeyRotationStatus for an asymmetric key (false) and for a key pending deletion.
  it('reads rotation as null for a key type that cannot rotate, Unknown for a key pending deletion, throttled as throttled', async () => {
    const asymmetric = keyArn('rsa');
    const pending = keyArn('pending');
    const busy = keyArn('busy');
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('rsa', asymmetric), trail('pending', pending), trail('busy', busy)] });
    kms.on(DescribeKeyCommand).callsFake((input: { KeyId?: string }) => {
      const arn = input.KeyId ?? '';
      return { KeyMetadata: metadata(arn, arn === pending ? { KeyState: 'PendingDeletion' } : arn === asymmetric ? { KeySpec: 'RSA_2048' } : {}) };
    });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: '{"Version":"2012-10-17","Statement":[]}' });
    kms.on(GetKeyRotationStatusCommand).callsFake((input: { KeyId?: string }) => {
      switch (input.KeyId) {
        case asymmetric:
          throw awsError('UnsupportedOperationException', 400, 'You cannot perform this operation on an asymmetric KMS key.');
        case pending:
          throw awsError('KMSInvalidStateException', 400, `${pending} is pending deletion.`);
        default:
          throw awsError('ThrottlingException', 400, 'Rate exceeded');
      }
    });
    const facts = await collect(KMS_NEEDS);
    const byId = new Map(keyItems(facts).map((k) => [k.ref.id, k]));
    assert.equal(byId.get(asymmetric)?.rotationEnabled, null);
    const state = unknownOf(byId.get(pending)?.rotationEnabled);
    assert.equal(state.reason, 'unsupported');
    assert.match(state.message, /PendingDeletion/u);
    assert.equal(byId.get(pending)?.keyState, 'PendingDeletion');
    assert.equal(unknownOf(byId.get(busy)?.rotationEnabled).reason, 'throttled');
    // The policy is still read for each of them.
    assert.equal(byId.get(busy)?.policy, '{"Version":"2012-10-17","Statement":[]}');
    assert.deepEqual(
      ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus'].map((action) => facts.stats.apiCalls[action]),
      [3, 3, 3],
    );
  });

  // moto lists no organization trail of another account in a member (MOTO_NOTES, Organizations).
  it("gives an organization trail's key, owned by the management account, one cross_account item and no call", async () => {
    const orgKey = keyArn('org', MANAGEMENT);
    const orgTrail = trail('org', orgKey, { TrailARN: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org`, IsOrganizationTrail: true, IsMultiRegionTrail: true });
    ct.on(DescribeTrailsCommand).resolves({ trailList: [orgTrail] });
    const facts = await collect(KMS_NEEDS, ['us-east-1', 'eu-west-1']);
    const item = onlyKey(facts);
    assert.equal(item.ref.id, orgKey);
    for (const fact of [item.exists, item.keyState, item.policy, item.rotationEnabled]) {
      const detail = unknownOf(fact);
      assert.equal(detail.reason, 'cross_account');
      assert.equal(detail.account, MANAGEMENT);
    }
    assert.match(unknownOf(item.exists).message, /organization trail/u);
    assert.equal(kms.calls().length, 0);
    assertValidSnapshot(facts);
  });

  // moto does not implement CloudTrail Lake (MOTO_NOTES 10).
  it('reads the keys of event data stores only when eventDataStoreKeys is collected, merged with a trail using the same key', async () => {
    const shared = keyArn('shared');
    const storeOnly = keyArn('store-only');
    const storeArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/s1`;
    const otherStore = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/s2`;
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main', shared)] });
    ct.on(ListEventDataStoresCommand).resolves({ EventDataStores: [{ EventDataStoreArn: storeArn, Name: 's1' }, { EventDataStoreArn: otherStore, Name: 's2' }] });
    ct.on(GetEventDataStoreCommand).callsFake((input: { EventDataStore?: string }) => ({
      EventDataStoreArn: input.EventDataStore,
      Name: input.EventDataStore === storeArn ? 's1' : 's2',
      Status: 'ENABLED',
      KmsKeyId: input.EventDataStore === storeArn ? shared : storeOnly,
    }));
    kms.on(DescribeKeyCommand).callsFake((input: { KeyId?: string }) => ({ KeyMetadata: metadata(input.KeyId ?? '') }));

    const without = await collect(new Set<FactNeed>(['kmsKeys']));
    assert.equal(ct.commandCalls(ListEventDataStoresCommand).length, 0, 'the KMS stage does not plan the store listing');
    assert.deepEqual(keyItems(without).map((k) => k.ref.id), [shared]);
    assert.deepEqual(onlyKey(without).eventDataStoreArns, []);

    // Stores listed for another reason than CloudTrail.10's key list: their keys are not read.
    const storesOnly = await collect(new Set<FactNeed>(['kmsKeys', 'eventDataStores']));
    assert.deepEqual(keyItems(storesOnly).map((k) => k.ref.id), [shared]);

    kms.resetHistory();
    const withStores = await collect(new Set<FactNeed>(['kmsKeys', 'eventDataStores', 'eventDataStoreKeys']));
    const byId = new Map(keyItems(withStores).map((k) => [k.ref.id, k]));
    assert.deepEqual([...byId.keys()].sort(), [shared, storeOnly].sort());
    assert.deepEqual(byId.get(shared)?.trailArns, [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`]);
    assert.deepEqual(byId.get(shared)?.eventDataStoreArns, [storeArn]);
    assert.deepEqual(byId.get(storeOnly)?.trailArns, []);
    assert.deepEqual(byId.get(storeOnly)?.eventDataStoreArns, [otherStore]);
    // The shared key is described once although a trail and a store name it.
    assert.equal(withStores.stats.apiCalls['kms:DescribeKey'], 2);
  });

  // moto never denies: a Region whose trails cannot be listed hides their keys.
  it('stands in a gap for the keys of trails homed in a Region that could not be listed', async () => {
    ct.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') {
        throw awsError('AccessDeniedException', 400);
      }
      return { trailList: [] };
    });
    const facts = await collect(KMS_NEEDS, ['us-east-1', 'eu-west-1']);
    const gaps = (facts.kmsKeys ?? []).filter((k): k is KmsKeyGap => isGap(k));
    assert.equal(facts.kmsKeys?.length, 1);
    const [gap] = gaps;
    assert.ok(gap);
    assert.equal(gap.ref.id, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`);
    assert.equal(gap.$gap.reason, 'access_denied');
    assert.match(gap.$gap.message, /KMS keys of trails homed in eu-west-1/u);
    assertValidSnapshot(facts);
  });

  // moto never denies, and answers every Region.
  it('reads Security Hub per Region: enabled, not subscribed, denied', async () => {
    hub.on(DescribeHubCommand).callsFake(async (_input, getClient) => {
      switch (await regionOf(getClient)) {
        case 'us-east-1':
          return { HubArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:hub/default`, SubscribedAt: '2026-01-01T00:00:00.000Z' };
        case 'eu-west-1':
          throw awsError('InvalidAccessException', 401, `Account ${ACCOUNT} is not subscribed to AWS Security Hub`);
        default:
          throw awsError('AccessDeniedException', 403);
      }
    });
    const facts = await collect(new Set<FactNeed>(['securityHub']), ['us-east-1', 'eu-west-1', 'ap-south-1']);
    const byRegion = new Map((facts.securityHubs ?? []).map((h) => [h.region, h]));
    assert.equal(byRegion.get('us-east-1')?.enabled, true);
    assert.equal(byRegion.get('us-east-1')?.subscribedAt, '2026-01-01T00:00:00.000Z');
    assert.equal(byRegion.get('eu-west-1')?.enabled, false);
    const denied = unknownOf(byRegion.get('ap-south-1')?.enabled);
    assert.equal(denied.reason, 'access_denied');
    assert.equal(denied.operation, 'securityhub:DescribeHub');
    assert.equal(denied.region, 'ap-south-1');
    assert.equal(byRegion.get('ap-south-1')?.ref.id, `arn:aws:securityhub:ap-south-1:${ACCOUNT}:hub/default`);
    assertValidSnapshot(facts);
  });
});
