/**
 * TooManyRequestsException through the real SDK retry path (the collector's AuditRetryStrategy,
 * which the Security Hub clients share). moto never throttles and aws-sdk-client-mock replaces
 * `send` (no retry middleware runs), so a tiny endpoint on 127.0.0.1 answers STS and Security Hub
 * (restJson1) and throttles BatchImportFindings as often as it is told to.
 */
import { strict as assert } from 'node:assert';
import { createHubAccess } from '../../src/securityhub/access.js';
import { importToSecurityHub } from '../../src/securityhub/importRun.js';
import { fullRun, liveContext } from './fixtures.js';
import { startFakeSecurityHub } from '../helpers/fakeSecurityHub.js';

const ACCOUNT = '123456789012';
describe('Security Hub import under throttling (real SDK retries, local endpoint)', function () {
  this.timeout(20_000);
  const credentials = { accessKeyId: 'fake', secretAccessKey: 'fake' };
  const findings = fullRun(ACCOUNT, ['us-east-1'], 1);
  const context = liveContext([ACCOUNT], ['us-east-1']);

  it('rides out TooManyRequestsException: one logical call, everything imported', async () => {
    const endpoint = await startFakeSecurityHub({ accountId: ACCOUNT, throttle: (n) => n <= 2 });
    const access = await createHubAccess({ endpointUrl: endpoint.url, credentials, region: 'us-east-1', maxAttempts: 3 });
    try {
      const outcome = await importToSecurityHub({ findings, context, accountLevelRegion: 'us-east-1', now: new Date(), dryRun: false, access });
      assert.deepEqual(outcome.failures, []);
      assert.equal(outcome.imported, findings.length);
      assert.equal(endpoint.importRequests(), 3, 'two throttled attempts, then the answer');
      assert.equal(outcome.calls.BatchImportFindings, 1, 'the SDK’s retries are not counted as calls');
    } finally {
      access.close();
      await endpoint.close();
    }
  });

  it('reports the batch with its ids once the SDK gives up', async () => {
    const endpoint = await startFakeSecurityHub({ accountId: ACCOUNT, throttle: () => true });
    const access = await createHubAccess({ endpointUrl: endpoint.url, credentials, region: 'us-east-1', maxAttempts: 2 });
    try {
      const outcome = await importToSecurityHub({ findings, context, accountLevelRegion: 'us-east-1', now: new Date(), dryRun: false, access });
      assert.equal(endpoint.importRequests(), 2);
      assert.equal(outcome.imported, 0);
      assert.deepEqual(
        outcome.failures.map((failure) => [failure.stage, failure.code, failure.findingIds.length]),
        [['import', 'TooManyRequestsException', findings.length]],
      );
    } finally {
      access.close();
      await endpoint.close();
    }
  });
});
