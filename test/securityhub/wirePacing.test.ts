/**
 * Pacing measured at the wire: a local endpoint on 127.0.0.1 (moto answers too fast and never
 * throttles) records when each Security Hub request ARRIVES, by operation, while a real
 * importToSecurityHub (real SDK clients, retries, sockets) reads several pages of previous findings
 * and imports a large run. No 1-second window may hold more calls to the (account, Region) than the
 * cap, counting reads, imports, archives and the SDK's own retries together.
 */
import { strict as assert } from 'node:assert';
import { createHubAccess } from '../../src/securityhub/access.js';
import { importToSecurityHub } from '../../src/securityhub/importRun.js';
import { SECURITY_HUB_WIRE_LIMITS } from '../../src/securityhub/wirePacing.js';
import { fullRun, liveContext } from './fixtures.js';
import { startFakeSecurityHub } from '../helpers/fakeSecurityHub.js';

const ACCOUNT = '123456789012';

/** The most arrivals in any window of `windowMs` starting at an arrival. */
function maxInWindow(times: readonly number[], windowMs: number): number {
  return Math.max(0, ...times.map((start) => times.filter((at) => at >= start && at < start + windowMs).length));
}

describe('Security Hub pacing at the wire (local endpoint)', function () {
  this.timeout(60_000);
  const credentials = { accessKeyId: 'fake', secretAccessKey: 'fake' };

  it('no second holds more Security Hub calls to one account and Region than the cap, retries included', async () => {
    // 1 account-level + 1 Region + 1,434 trails + 1 bucket: 1,437 findings, 15 batches.
    const findings = fullRun(ACCOUNT, ['us-east-1'], 1434);
    // 12 pages of previous findings; every 5th import throttled; answers within 300 ms.
    const hub = await startFakeSecurityHub({ accountId: ACCOUNT, pages: 12, throttle: (n) => n % 5 === 0, delayMs: 300 });
    const access = await createHubAccess({ endpointUrl: hub.url, credentials, region: 'us-east-1', maxAttempts: 3 });
    try {
      const outcome = await importToSecurityHub({ findings, context: liveContext([ACCOUNT], ['us-east-1']), accountLevelRegion: 'us-east-1', now: new Date(), dryRun: false, access });
      assert.deepEqual(outcome.failures, []);
      assert.equal(outcome.imported, findings.length);
    } finally {
      access.close();
      await hub.close();
    }
    const all = hub.arrivals.map((arrival) => arrival.at);
    const reads = hub.arrivals.filter((arrival) => arrival.operation === 'GetFindings').map((arrival) => arrival.at);
    assert.equal(reads.length, 12);
    assert.ok(hub.arrivals.length >= 12 + 15 + 3, `${String(hub.arrivals.length)} calls`);
    // A few ms of timer jitter, as pacing.test.ts allows.
    const window = 990;
    assert.ok(maxInWindow(all, window) <= SECURITY_HUB_WIRE_LIMITS.callsPerInterval, `${String(maxInWindow(all, window))} calls in ${String(window)} ms`);
    // GetFindings: a token bucket, as AWS's (3 a second, burst 6): in any stretch of time, at most
    // the burst plus what the rate adds over it; the first reads leave as a burst.
    const { readBurst, readsPerInterval, intervalMs } = SECURITY_HUB_WIRE_LIMITS;
    for (const span of [250, 990, 2000, 3000]) {
      const cap = readBurst + Math.floor((readsPerInterval * span) / intervalMs);
      assert.ok(maxInWindow(reads, span) <= cap, `${String(maxInWindow(reads, span))} GetFindings in ${String(span)} ms (cap ${String(cap)})`);
    }
    assert.ok(maxInWindow(reads, 990) > readsPerInterval, 'the first reads left as a burst, not one per third of a second');
    // Sustained: the 12 pages cannot all leave in less than what the rate allows past the burst.
    const spread = (reads.at(-1) ?? 0) - (reads[0] ?? 0);
    assert.ok(spread >= ((reads.length - readBurst - 1) * intervalMs) / readsPerInterval - 20, `12 GetFindings over ${String(Math.round(spread))} ms`);
  });
});
