/**
 * The scheduler's per-account views and the assumed-role credential provider, on their own:
 * plain send functions (no SDK) for the scheduler; a mocked STS client (aws-sdk-client-mock) for
 * the provider, because moto's sessions never expire within a test and it never denies.
 */
import { strict as assert } from 'node:assert';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../src/collect/live/clients.js';
import { ApiScheduler } from '../../../src/collect/live/scheduler.js';
import { assumeRole, REFRESH_BEFORE_EXPIRY_MS } from '../../../src/collect/org/assumeRole.js';

describe('ApiScheduler per-account views', () => {
  it('keys per-endpoint limits by account, service and Region', () => {
    const scheduler = new ApiScheduler({ concurrency: 8, perEndpointConcurrency: 2 });
    assert.equal(scheduler.endpointKey('cloudtrail', 'us-east-1'), 'cloudtrail/us-east-1');
    assert.equal(scheduler.forAccount('111111111111').endpointKey('cloudtrail', 'us-east-1'), '111111111111/cloudtrail/us-east-1');
    assert.notEqual(
      scheduler.forAccount('111111111111').endpointKey('cloudtrail', 'us-east-1'),
      scheduler.forAccount('222222222222').endpointKey('cloudtrail', 'us-east-1'),
    );
  });

  it("does not hold one account's calls behind another account's stuck endpoint, and counts every call once", async () => {
    const scheduler = new ApiScheduler({ concurrency: 8, perEndpointConcurrency: 1 });
    const throttled = scheduler.forAccount('111111111111');
    const other = scheduler.forAccount('222222222222');
    let release = (): void => undefined;
    const stuck = new Promise<string>((resolve) => {
      release = () => {
        resolve('slow');
      };
    });
    // Account 1's only DescribeTrails slot is taken by a call that does not answer (backing off).
    const first = throttled.call({ action: 'cloudtrail:DescribeTrails', region: 'us-east-1' }, () => stuck);
    let queuedStarted = false;
    const queued = throttled.call({ action: 'cloudtrail:DescribeTrails', region: 'us-east-1' }, () => {
      queuedStarted = true;
      return Promise.resolve('queued');
    });
    // Account 2's call on the same service and Region goes through at once.
    const outcome = await other.call({ action: 'cloudtrail:DescribeTrails', region: 'us-east-1' }, () => Promise.resolve('other'));
    assert.deepEqual(outcome, { ok: true, value: 'other' });
    assert.equal(queuedStarted, false, "account 1's second call still waits for its own slot");
    release();
    assert.deepEqual(await first, { ok: true, value: 'slow' });
    assert.deepEqual(await queued, { ok: true, value: 'queued' });
    // One count for the audit, whichever view made the calls.
    assert.deepEqual(scheduler.apiCalls(), { 'cloudtrail:DescribeTrails': 3 });
    assert.deepEqual(throttled.apiCalls(), scheduler.apiCalls());
  });
});

describe('assumed-role credentials', () => {
  let sts: AwsClientStub<STSClient>;
  beforeEach(() => {
    sts = mockClient(STSClient);
  });
  afterEach(() => {
    sts.restore();
  });

  it('serves one session until 5 minutes before it expires, then renews it once however many ask', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    let issued = 0;
    sts.on(AssumeRoleCommand).callsFake(() => {
      issued += 1;
      return { Credentials: { AccessKeyId: `AK${String(issued)}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(now + 3600_000) } };
    });
    const clients = new ClientFactory({ credentials: { accessKeyId: 'caller', secretAccessKey: 'caller' }, maxAttempts: 1, endpointUrl: 'http://127.0.0.1:9' });
    const scheduler = new ApiScheduler({ concurrency: 4, perEndpointConcurrency: 4 });
    try {
      const role = await assumeRole(clients, scheduler, 'us-east-1', { accountId: '222222222222', partition: 'aws', roleName: 'R', roleSessionName: 's' }, () => now);
      assert.ok(role.ok);
      assert.equal(role.roleArn, 'arn:aws:iam::222222222222:role/R');
      assert.equal((await role.credentials()).accessKeyId, 'AK1');
      // 54 minutes later: still more than 5 minutes left.
      now += 3600_000 - REFRESH_BEFORE_EXPIRY_MS - 60_000;
      assert.equal((await role.credentials()).accessKeyId, 'AK1');
      assert.equal(issued, 1);
      // Inside the last 5 minutes: renewed, once for concurrent requests.
      now += 2 * 60_000;
      const renewed = await Promise.all([role.credentials(), role.credentials(), role.credentials()]);
      assert.deepEqual(
        renewed.map((credentials) => credentials.accessKeyId),
        ['AK2', 'AK2', 'AK2'],
      );
      assert.equal(issued, 2);
      assert.equal(scheduler.apiCalls()['sts:AssumeRole'], 2);
    } finally {
      clients.destroy();
    }
  });
});
