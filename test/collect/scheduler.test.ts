/**
 * The API scheduler on its own: launch pacing, priorities, limits and failure classification.
 * The sends here are plain functions (no SDK, no endpoint) because what is under test is when and
 * in which order the scheduler starts them.
 */
import { strict as assert } from 'node:assert';
import { ApiScheduler } from '../../src/collect/live/scheduler.js';

/** Counts event-loop turns: increments once per check phase for as long as it runs. */
function turnCounter(): { readonly now: () => number; stop(): void } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (running) {
      turns += 1;
      setImmediate(tick);
    }
  };
  setImmediate(tick);
  return {
    now: () => turns,
    stop: () => {
      running = false;
    },
  };
}

describe('ApiScheduler', () => {
  it('starts calls queued together on successive event-loop turns, so the first reaches its socket before the rest are prepared', async () => {
    const scheduler = new ApiScheduler({ concurrency: 32, perEndpointConcurrency: 32 });
    const turns = turnCounter();
    const startedAt: number[] = [];
    const calls = Array.from({ length: 8 }, (_, index) =>
      scheduler.call({ action: 'cloudtrail:GetTrailStatus', region: 'us-east-1', resource: `trail-${String(index)}` }, () => {
        startedAt.push(turns.now());
        return Promise.resolve(index);
      }),
    );
    const outcomes = await Promise.all(calls);
    turns.stop();
    assert.deepEqual(
      outcomes.map((outcome) => (outcome.ok ? outcome.value : -1)),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(startedAt.length, 8);
    for (let index = 1; index < startedAt.length; index += 1) {
      assert.ok(
        (startedAt[index] ?? 0) > (startedAt[index - 1] ?? 0),
        `call ${String(index)} started on turn ${String(startedAt[index])}, the one before on ${String(startedAt[index - 1])}`,
      );
    }
  });

  it('gives a free slot to the call with the longest chain of dependent calls behind it', async () => {
    const scheduler = new ApiScheduler({ concurrency: 1, perEndpointConcurrency: 1 });
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = scheduler.call({ action: 'cloudtrail:GetTrailStatus', region: 'us-east-1' }, () => {
      order.push('first');
      return new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
    });
    // Queued while the only slot is taken: a one-shot detail call, then the start of another
    // bucket's path (another region: calls to one endpoint keep their order).
    const detail = scheduler.call({ action: 's3:GetBucketLogging', region: 'eu-west-1' }, () => {
      order.push('logging');
      return Promise.resolve();
    });
    const location = scheduler.call({ action: 's3:GetBucketLocation', region: 'eu-west-2' }, () => {
      order.push('location');
      return Promise.resolve();
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    releaseFirst();
    await Promise.all([first, detail, location]);
    assert.deepEqual(order, ['first', 'location', 'logging']);
  });

  it('never has more calls in flight than the global limit', async () => {
    const scheduler = new ApiScheduler({ concurrency: 3, perEndpointConcurrency: 10 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        scheduler.call({ action: 's3:GetBucketAcl', region: `region-${String(index % 4)}` }, async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise<void>((resolve) => setTimeout(resolve, 2));
          inFlight -= 1;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(scheduler.apiCalls(), { 's3:GetBucketAcl': 12 });
  });

  it('turns a rejected send into a classified failure instead of rejecting', async () => {
    const scheduler = new ApiScheduler({ concurrency: 2, perEndpointConcurrency: 2 });
    const denied = Object.assign(new Error('User is not authorized to perform: cloudtrail:GetTrailStatus'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const outcome = await scheduler.call({ action: 'cloudtrail:GetTrailStatus', region: 'us-east-1' }, () =>
      Promise.reject(denied),
    );
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.reason, 'access_denied');
    assert.equal(outcome.cause, denied);
  });
});
