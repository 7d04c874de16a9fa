/**
 * validate-logs against hostile inputs found by a black-box run: a digest that is a gzip bomb, a
 * key file with no key, and an endpoint that closes the connection while the trail is resolved.
 */
import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CallCounter } from '../../src/logs/sources/callCounter.js';
import { parseTrailArn, resolveTrail, TrailResolutionError } from '../../src/logs/sources/trail.js';
import { MAX_DIGEST_BYTES, parseDigest } from '../../src/logs/chain/document.js';
import { parsePublicKeyList } from '../../src/logs/chain/publicKeys.js';

describe('validate-logs: hostile inputs', () => {
  it('a digest that inflates past MAX_DIGEST_BYTES is invalid_format (null), without inflating it all', () => {
    // 65 MiB of spaces after a valid-looking start: about 64 KB gzipped.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"awsAccountId": "123456789012", "x": "'), Buffer.alloc(MAX_DIGEST_BYTES + 1024 * 1024, 0x20), Buffer.from('"}')]));
    assert.ok(bomb.length < 1024 * 1024);
    const before = process.memoryUsage().rss;
    assert.equal(parseDigest(bomb), null);
    assert.ok(process.memoryUsage().rss - before < 2 * MAX_DIGEST_BYTES, 'memory stays bounded');
  });

  it('a public-key file with an empty list is refused (it would make every digest INVALID)', () => {
    assert.throws(() => parsePublicKeyList('[]'), /holds no public key/u);
    assert.throws(() => parsePublicKeyList('{"PublicKeyList": []}'), /holds no public key/u);
  });

  // Mock client: moto cannot close a connection on request.
  it('an endpoint that closes the connection is said to have closed it, not to have timed out', async () => {
    const trail = parseTrailArn('arn:aws:cloudtrail:us-east-1:123456789012:trail/main');
    assert.ok(trail);
    const reset = Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: { attempts: 5 } });
    const client = { send: () => Promise.reject(reset) } as unknown as CloudTrailClient;
    await assert.rejects(resolveTrail(client, trail, new CallCounter()), (error: unknown) => {
      assert.ok(error instanceof TrailResolutionError);
      assert.match(error.message, /cloudtrail:DescribeTrails .*us-east-1 failed: the endpoint closed the connection without answering \(ECONNRESET, 5 attempts\)/u);
      return true;
    });
  });
});
