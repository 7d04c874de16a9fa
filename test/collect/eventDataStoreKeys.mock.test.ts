/**
 * CloudTrail.10's `kmsKeyArns` against the keys of Lake event data stores, read live: the stores
 * and their keys come from aws-sdk-client-mock because moto does not implement CloudTrail Lake
 * (MOTO_NOTES 10, test/MOTO_GAPS.md), so the `eventDataStoreKeys` kind (DescribeKey, then
 * ListAliases once per key) cannot be seeded there. The built-in check evaluates what the live
 * collector read, as an audit does.
 */
import { strict as assert } from 'node:assert';
import { CloudTrailClient, DescribeTrailsCommand, GetEventDataStoreCommand, ListEventDataStoresCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, type AliasListEntry } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { collectLive } from '../../src/collect/live/index.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/engine/types.js';
import { withDependencies } from '../../src/facts/kinds/index.js';
import type { EventDataStoreFacts, FactNeed, FactSet, KmsKeyFacts } from '../../src/facts/model.js';
import { isGap, isUnknown } from '../../src/facts/model.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { assertValidSnapshot } from './snapshotRoundTrip.js';

const ACCOUNT = '222222222222';
const OTHER = '333333333333';
const REGION = 'us-east-1';
const CHECK = loadChecks().find((check) => check.id === 'CloudTrail.10');
const keyArn = (id: string, account = ACCOUNT): string => `arn:aws:kms:${REGION}:${account}:key/${id}`;
const aliasArn = (name: string): string => `arn:aws:kms:${REGION}:${ACCOUNT}:alias/${name}`;
const storeArn = (name: string): string => `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:eventdatastore/${name}`;

let ct: AwsClientStub<CloudTrailClient>;
let kms: AwsClientStub<KMSClient>;
let sts: AwsClientStub<STSClient>;

/** Stores by name → the KmsKeyId GetEventDataStore answers (AWS answers the key ARN). */
function seedStores(keys: Readonly<Record<string, string>>): void {
  ct.on(ListEventDataStoresCommand).resolves({ EventDataStores: Object.keys(keys).map((name) => ({ EventDataStoreArn: storeArn(name), Name: name })) });
  ct.on(GetEventDataStoreCommand).callsFake((input: { EventDataStore?: string }) => {
    const name = (input.EventDataStore ?? '').slice((input.EventDataStore ?? '').lastIndexOf('/') + 1);
    return { EventDataStoreArn: input.EventDataStore, Name: name, Status: 'ENABLED', KmsKeyId: keys[name] };
  });
}

/** DescribeKey resolves a key ARN, or an alias in `aliases`, to its key; ListAliases lists the key's. */
function seedKeys(aliases: Readonly<Record<string, string>>): void {
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId?: string }) => {
    const asked = input.KeyId ?? '';
    const arn = aliases[asked.slice(asked.indexOf('alias/'))] ?? asked;
    return { KeyMetadata: { Arn: arn, KeyId: arn.slice(arn.lastIndexOf('/') + 1), AWSAccountId: arn.split(':')[4], KeyState: 'Enabled', KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT' } };
  });
  kms.on(ListAliasesCommand).callsFake((input: { KeyId?: string }) => {
    const entries: AliasListEntry[] = Object.entries(aliases)
      .filter(([, target]) => target === input.KeyId)
      .map(([name, target]) => ({ AliasName: name, AliasArn: aliasArn(name.slice('alias/'.length)), TargetKeyId: target.slice(target.lastIndexOf('/') + 1) }));
    return { Aliases: entries, Truncated: false };
  });
}

async function collect(needs: Iterable<FactNeed>): Promise<FactSet> {
  return collectLive({ needs: withDependencies(needs), regions: [REGION], endpointUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' }, maxAttempts: 1 });
}

function cloudTrail10(facts: FactSet, kmsKeyArns: readonly string[]): readonly Finding[] {
  assert.ok(CHECK);
  return evaluate({ checks: [{ check: CHECK, params: { kmsKeyArns } }], facts, suppressions: [], today: '2026-12-06' }).findings;
}

function statusOf(findings: readonly Finding[], store: string): string {
  const finding = findings.find((candidate) => candidate.resource.id === storeArn(store));
  assert.ok(finding, `no finding for ${store}: ${JSON.stringify(findings.map((f) => f.resource.id))}`);
  return `${finding.status}${finding.reason === null ? '' : `(${finding.reason})`}`;
}

function store(facts: FactSet, name: string): EventDataStoreFacts {
  const item = facts.eventDataStores.find((candidate): candidate is EventDataStoreFacts => !isGap(candidate) && candidate.name === name);
  assert.ok(item);
  return item;
}

describe('CloudTrail.10 kmsKeyArns by key ARN or alias ARN: keys of event data stores (mocked SDK, moto has no Lake)', () => {
  before(() => {
    ct = mockClient(CloudTrailClient);
    kms = mockClient(KMSClient);
    sts = mockClient(STSClient);
  });

  beforeEach(() => {
    for (const mock of [ct, kms, sts]) {
      mock.reset();
    }
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:role/auditor`, UserId: 'AROAEXAMPLE' });
  });

  after(() => {
    for (const mock of [ct, kms, sts]) {
      mock.restore();
    }
  });

  it('passes a store whose key is listed by alias ARN, fails one with another key; each key described and its aliases listed once', async () => {
    const lake = keyArn('1234abcd-0000-4000-8000-00000000lake');
    const other = keyArn('5678efgh-0000-4000-8000-0000000other');
    // Two stores share the lake key; a third uses another key.
    seedStores({ audit: lake, archive: lake, scratch: other });
    seedKeys({ 'alias/lake': lake, 'alias/scratch': other });
    assert.ok(CHECK);
    const facts = await collect(CHECK.needs);

    const findings = cloudTrail10(facts, [aliasArn('lake')]);
    assert.equal(statusOf(findings, 'audit'), 'PASS');
    assert.equal(statusOf(findings, 'archive'), 'PASS');
    assert.equal(statusOf(findings, 'scratch'), 'FAIL');
    const failed = findings.find((finding) => finding.resource.id === storeArn('scratch'));
    assert.match(failed?.message ?? '', /it answers to .*arn:aws:kms:us-east-1:222222222222:alias\/scratch/u);
    // The same facts against a key-ARN list: the key ARN matches as before.
    assert.equal(statusOf(cloudTrail10(facts, [lake]), 'audit'), 'PASS');
    assert.equal(statusOf(cloudTrail10(facts, [lake]), 'scratch'), 'FAIL');

    assert.deepEqual(store(facts, 'audit').kmsKeyIdentifiers, [lake, '1234abcd-0000-4000-8000-00000000lake', 'alias/lake', aliasArn('lake')]);
    // One DescribeKey and one ListAliases per key; nothing a trail check would need.
    assert.equal(facts.stats.apiCalls['kms:DescribeKey'], 2);
    assert.equal(facts.stats.apiCalls['kms:ListAliases'], 2);
    assert.equal(kms.commandCalls(ListAliasesCommand).length, 2);
    assert.deepEqual(kms.commandCalls(ListAliasesCommand).map((call) => call.args[0].input.KeyId).sort(), [lake, other].sort());
    assert.equal(ct.commandCalls(DescribeTrailsCommand).length, 0, 'CloudTrail.10 alone lists no trails');
    assert.equal(kms.commandCalls(GetKeyPolicyCommand).length + kms.commandCalls(GetKeyRotationStatusCommand).length, 0);
    assert.deepEqual(facts.collected, ['eventDataStores', 'eventDataStoreKeys']);
    assertValidSnapshot(facts);
  });

  it('passes a store configured by alias against a key-ARN list', async () => {
    const lake = keyArn('9999aaaa-0000-4000-8000-00000000lake');
    seedStores({ audit: 'alias/lake' });
    seedKeys({ 'alias/lake': lake });
    const facts = await collect(['eventDataStores', 'eventDataStoreKeys']);
    assert.equal(statusOf(cloudTrail10(facts, [lake]), 'audit'), 'PASS');
    assert.equal(statusOf(cloudTrail10(facts, [keyArn('not-this-one')]), 'audit'), 'FAIL');
  });

  it('follows ListAliases pages: an alias on the second page still matches, counted as two calls', async () => {
    const lake = keyArn('2222bbbb-0000-4000-8000-00000000lake');
    seedStores({ audit: lake });
    seedKeys({});
    kms.on(ListAliasesCommand, { KeyId: lake }).resolves({ Aliases: [{ AliasName: 'alias/first' }], Truncated: true, NextMarker: 'page-2' });
    kms.on(ListAliasesCommand, { KeyId: lake, Marker: 'page-2' }).resolves({ Aliases: [{ AliasName: 'alias/approved' }], Truncated: false });
    const facts = await collect(['eventDataStoreKeys']);
    assert.equal(statusOf(cloudTrail10(facts, [aliasArn('approved')]), 'audit'), 'PASS');
    assert.equal(facts.stats.apiCalls['kms:ListAliases'], 2);
  });

  it('is UNKNOWN, never PASS, when the aliases cannot be listed, unless the store names a listed key itself', async () => {
    const lake = keyArn('3333cccc-0000-4000-8000-00000000lake');
    seedStores({ audit: lake });
    seedKeys({});
    kms.on(ListAliasesCommand).rejects(Object.assign(new Error('not authorized to perform: kms:ListAliases'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }));
    const facts = await collect(['eventDataStoreKeys']);
    assert.equal(statusOf(cloudTrail10(facts, [aliasArn('lake')]), 'audit'), 'UNKNOWN(access_denied)');
    assert.equal(statusOf(cloudTrail10(facts, [lake]), 'audit'), 'PASS');
    // No list at all: any customer managed key would do.
    assert.equal(statusOf(cloudTrail10(facts, []), 'audit'), 'PASS');
  });

  it("reads another account's key of a store, but not its aliases (KMS lists only the caller's): cross_account", async () => {
    const foreign = keyArn('4444dddd-0000-4000-8000-0000foreign', OTHER);
    seedStores({ audit: foreign });
    seedKeys({});
    const facts = await collect(['eventDataStoreKeys']);
    assert.equal(kms.commandCalls(ListAliasesCommand).length, 0);
    const identifiers = store(facts, 'audit').kmsKeyIdentifiers;
    assert.ok(isUnknown(identifiers));
    assert.equal(identifiers.$unknown.reason, 'cross_account');
    assert.equal(statusOf(cloudTrail10(facts, [aliasArn('lake')]), 'audit'), 'UNKNOWN(cross_account)');
  });

  it('reads no store key when CloudTrail.10 is off, and no trail key when only CloudTrail.10 is on', async () => {
    const shared = keyArn('5555eeee-0000-4000-8000-0000000share');
    seedStores({ audit: shared });
    seedKeys({ 'alias/shared': shared });
    ct.on(DescribeTrailsCommand).resolves({
      trailList: [{ Name: 'main', TrailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`, HomeRegion: REGION, S3BucketName: 'logs', KmsKeyId: keyArn('trail-key') }],
    });
    const trailKeysOnly = await collect(['kmsKeys']);
    assert.equal(ct.commandCalls(ListEventDataStoresCommand).length, 0);
    assert.equal(kms.commandCalls(ListAliasesCommand).length, 0);
    assert.deepEqual((trailKeysOnly.kmsKeys ?? []).map((key) => key.ref.id), [keyArn('trail-key')]);

    kms.resetHistory();
    ct.resetHistory();
    const storeKeysOnly = await collect(['eventDataStoreKeys']);
    assert.deepEqual(kms.commandCalls(DescribeKeyCommand).map((call) => call.args[0].input.KeyId), [shared]);
    const [key] = (storeKeysOnly.kmsKeys ?? []) as KmsKeyFacts[];
    assert.ok(key);
    assert.deepEqual(key.eventDataStoreArns, [storeArn('audit')]);
    assert.deepEqual(key.trailArns, []);
    assert.deepEqual(key.aliases, ['alias/shared']);
  });
});
