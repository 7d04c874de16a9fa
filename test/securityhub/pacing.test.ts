/** The per-(account, Region) pacer: at most N calls started in any rolling interval, each target on its own. */
import { strict as assert } from 'node:assert';
import { SECURITY_HUB_PACING, TargetPacer } from '../../src/securityhub/pacing.js';

function maxInWindow(starts: readonly number[], windowMs: number): number {
  return Math.max(...starts.map((start) => starts.filter((at) => at >= start && at < start + windowMs).length));
}

describe('Security Hub pacing', () => {
  it('the default stays under AWS’s 10 calls per second per account and Region', () => {
    assert.ok((SECURITY_HUB_PACING.callsPerInterval * 1_000) / SECURITY_HUB_PACING.intervalMs < 10);
  });

  it('starts at most callsPerInterval calls in any rolling interval of a target, and paces targets apart', async () => {
    const pacer = new TargetPacer({ intervalMs: 200, callsPerInterval: 3, concurrency: 4 });
    const starts = new Map<string, number[]>();
    const call = (target: string) => () => {
      starts.set(target, [...(starts.get(target) ?? []), Date.now()]);
      return Promise.resolve(target);
    };
    const began = Date.now();
    await Promise.all([
      ...Array.from({ length: 9 }, () => pacer.run('111122223333', 'us-east-1', call('a'))),
      ...Array.from({ length: 9 }, () => pacer.run('111122223333', 'eu-west-1', call('b'))),
    ]);
    const elapsed = Date.now() - began;
    // Measured with Date.now() inside the call, while p-queue schedules on timers that Node rounds to
    // the millisecond and may fire a millisecond or two early against the wall clock: a window 5 ms
    // short of the interval absorbs that jitter and still catches a fourth call (which, unpaced,
    // would start within the same millisecond as the third).
    const window = 195;
    for (const target of ['a', 'b']) {
      const times = starts.get(target) ?? [];
      assert.equal(times.length, 9);
      assert.ok(maxInWindow(times, window) <= 3, `${target}: ${String(maxInWindow(times, window))} in ${String(window)} ms`);
    }
    // 9 calls at 3 per 200 ms take at least two full intervals.
    assert.ok(elapsed >= 390, `${String(elapsed)} ms`);
    // The second target did not wait for the first: its first call started before the first's last one.
    assert.ok(Math.min(...(starts.get('b') ?? [])) < Math.max(...(starts.get('a') ?? [])));
  });
});
