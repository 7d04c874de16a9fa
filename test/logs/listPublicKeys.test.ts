/**
 * Public keys from `cloudtrail:ListPublicKeys` (when --public-keys is not given). moto does not
 * implement ListPublicKeys (MOTO_NOTES 10), so these tests use aws-sdk-client-mock for that call.
 */
import { strict as assert } from 'node:assert';
import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { CallCounter } from '../../src/logs/sources/callCounter.js';
import { ListPublicKeysProvider } from '../../src/logs/sources/publicKeys.js';
import { PublicKeyError } from '../../src/logs/sources/publicKeys.js';
import { newSigningKey, type SigningKey } from './helpers/cloudtrailFixtures.js';

const START = new Date('2025-03-01T00:00:00Z');
const END = new Date('2025-03-01T06:00:00Z');

function entry(key: SigningKey): { Value: Uint8Array; Fingerprint: string; ValidityStartTime: Date; ValidityEndTime: Date } {
  return { Value: new Uint8Array(key.publicKeyDer), Fingerprint: key.fingerprint, ValidityStartTime: new Date('2025-01-01T00:00:00Z'), ValidityEndTime: new Date('2026-01-01T00:00:00Z') };
}

describe('validate-logs: public keys from ListPublicKeys (mocked: moto does not implement it)', () => {
  let cloudtrail: AwsClientStub<CloudTrailClient>;
  const pkcs1 = newSigningKey('pkcs1');
  const spki = newSigningKey('spki');
  const regional = newSigningKey('pkcs1');
  const clients = new Map<string, CloudTrailClient>();
  const clientFor = (region: string): CloudTrailClient => {
    let client = clients.get(region);
    if (client === undefined) {
      client = new CloudTrailClient({ region, credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' } });
      clients.set(region, client);
    }
    return client;
  };
  const regionOf = async (client: CloudTrailClient): Promise<string> => client.config.region();

  before(() => {
    cloudtrail = mockClient(CloudTrailClient);
  });
  beforeEach(() => {
    cloudtrail.reset();
  });
  after(() => {
    cloudtrail.restore();
  });

  it('follows pagination, asks for [start, end + 2 h] in the home Region, and parses PKCS#1 and SPKI keys', async () => {
    cloudtrail
      .on(ListPublicKeysCommand, { NextToken: undefined })
      .resolves({ PublicKeyList: [entry(pkcs1)], NextToken: 'page-2' })
      .on(ListPublicKeysCommand, { NextToken: 'page-2' })
      .resolves({ PublicKeyList: [entry(spki)] });
    const calls = new CallCounter();
    const provider = new ListPublicKeysProvider(clientFor, 'us-east-1', calls);
    await provider.load(START, END);
    const first = cloudtrail.commandCalls(ListPublicKeysCommand)[0]!;
    assert.deepEqual(first.args[0].input.StartTime, START);
    assert.deepEqual(first.args[0].input.EndTime, new Date('2025-03-01T08:00:00Z'));
    assert.equal(await regionOf(first.thisValue as CloudTrailClient), 'us-east-1');
    const hint = { sourceRegion: 'us-east-1', backfillTimestamp: null };
    assert.ok(await provider.find(pkcs1.fingerprint, hint));
    assert.ok(await provider.find(spki.fingerprint, hint));
    assert.deepEqual(calls.toJSON(), { 'cloudtrail:ListPublicKeys': 2 });
  });

  it('looks in the digest’s source Region for a fingerprint the home Region does not know', async () => {
    cloudtrail.on(ListPublicKeysCommand).callsFake(async (_input, getClient: () => { config: { region: () => Promise<string> } }) => {
      const region = await getClient().config.region();
      return { PublicKeyList: [entry(region === 'eu-west-1' ? regional : pkcs1)] };
    });
    const provider = new ListPublicKeysProvider(clientFor, 'us-east-1', new CallCounter());
    await provider.load(START, END);
    assert.ok(await provider.find(regional.fingerprint, { sourceRegion: 'eu-west-1', backfillTimestamp: null }));
    assert.equal(await provider.find('00ff', { sourceRegion: 'us-east-1', backfillTimestamp: null }), undefined);
  });

  it('is bad input (exit 2 path) when ListPublicKeys is denied or returns no key', async () => {
    cloudtrail.on(ListPublicKeysCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    await assert.rejects(new ListPublicKeysProvider(clientFor, 'us-east-1', new CallCounter()).load(START, END), PublicKeyError);
    cloudtrail.reset();
    cloudtrail.on(ListPublicKeysCommand).resolves({ PublicKeyList: [] });
    await assert.rejects(new ListPublicKeysProvider(clientFor, 'us-east-1', new CallCounter()).load(START, END), /No public keys found/u);
  });
});
