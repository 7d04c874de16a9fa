/** BatchImportFindings batches: at most 100 findings and 6 MB of JSON each; a finding over 240 KB is returned, not cut. */
import { strict as assert } from 'node:assert';
import { BATCH_IMPORT_LIMITS, splitBatches } from '../../src/securityhub/batches.js';
import { backoffDelay } from '../../src/securityhub/sendFindings.js';

interface Item {
  readonly id: number;
  readonly body: string;
}

function items(count: number, bytes: number): Item[] {
  return Array.from({ length: count }, (_, id) => ({ id, body: 'x'.repeat(bytes) }));
}

/** The request body the SDK sends for a batch. */
function requestBytes(batch: readonly Item[]): number {
  return Buffer.byteLength(JSON.stringify({ Findings: batch }));
}

describe('Security Hub batches', () => {
  it('cuts at 100 findings', () => {
    const { batches, oversized } = splitBatches(items(250, 100), (item) => item);
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [100, 100, 50],
    );
    assert.deepEqual(oversized, []);
  });

  it('cuts at 6 MB of request body, keeping order and losing nothing', () => {
    const all = items(100, 200_000);
    const { batches } = splitBatches(all, (item) => item);
    assert.ok(batches.length >= 4, `${String(batches.length)} batches`);
    for (const batch of batches) {
      assert.ok(requestBytes(batch) <= BATCH_IMPORT_LIMITS.maxBatchBytes, `${String(requestBytes(batch))} bytes`);
    }
    // Full batches: one more finding would have gone over.
    for (const batch of batches.slice(0, -1)) {
      assert.ok(requestBytes([...batch, all[0] as Item]) > BATCH_IMPORT_LIMITS.maxBatchBytes);
    }
    assert.deepEqual(
      batches.flat().map((item) => item.id),
      all.map((item) => item.id),
    );
  });

  it('returns a finding over 240 KB with its size instead of sending or truncating it', () => {
    const all = [...items(2, 1_000), { id: 99, body: 'y'.repeat(250_000) }];
    const { batches, oversized } = splitBatches(all, (item) => item);
    assert.deepEqual(
      batches.flat().map((item) => item.id),
      [0, 1],
    );
    assert.equal(oversized.length, 1);
    assert.equal(oversized[0]?.item.id, 99);
    assert.equal(oversized[0].bytes, Buffer.byteLength(JSON.stringify(all[2])));
  });

  it('backs off exponentially with jitter between half and all of base·2ⁿ', () => {
    for (const [attempt, ceiling] of [
      [0, 500],
      [1, 1_000],
      [2, 2_000],
    ] as const) {
      assert.equal(backoffDelay(attempt, { baseDelayMs: 500, random: () => 0 }), ceiling / 2);
      assert.equal(backoffDelay(attempt, { baseDelayMs: 500, random: () => 0.999_999 }), ceiling);
    }
  });
});
