/**
 * RunStore.listKeys follows ListObjectsV2's continuation tokens: reduce must read every snapshot of
 * a run, and S3 pages at 1,000 keys. A mock (aws-sdk-client-mock) rather than moto: moto pages the
 * same way, but only past 1,000 objects, which would make this test seed a thousand snapshots.
 */
import { strict as assert } from 'node:assert';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { RunStore } from '../../src/lambda/runStore.js';

describe('RunStore (mocked S3)', () => {
  it('lists every page of a prefix', async () => {
    const s3 = mockClient(S3Client);
    try {
      s3.on(ListObjectsV2Command)
        .resolvesOnce({ Contents: [{ Key: 'p/runs/r/snapshots/1-2.json' }], IsTruncated: true, NextContinuationToken: 'page-2' })
        .resolvesOnce({ Contents: [{ Key: 'p/runs/r/snapshots/3-2.json' }, { Key: 'p/runs/r/snapshots/5-1.json' }], IsTruncated: false });
      const store = new RunStore(undefined);
      const keys = await store.listKeys('bucket-1', 'p/runs/r/snapshots/');
      store.destroy();
      assert.deepEqual(keys, ['p/runs/r/snapshots/1-2.json', 'p/runs/r/snapshots/3-2.json', 'p/runs/r/snapshots/5-1.json']);
      const calls = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
      assert.deepEqual(calls, [
        { Bucket: 'bucket-1', Prefix: 'p/runs/r/snapshots/' },
        { Bucket: 'bucket-1', Prefix: 'p/runs/r/snapshots/', ContinuationToken: 'page-2' },
      ]);
    } finally {
      s3.restore();
    }
  });
});
