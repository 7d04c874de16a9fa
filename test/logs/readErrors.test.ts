/** How a failed S3 or file read of validate-logs becomes a verdict input (toReadError). */
import { strict as assert } from 'node:assert';
import { toReadError } from '../../src/logs/sources/readErrors.js';
import { DeadlineReached } from '../../src/collect/live/errors.js';
import { ObjectNotFoundError, ObjectReadError } from '../../src/logs/chain/source.js';

function named(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...extra });
}

describe('toReadError', () => {
  const cases: [string, unknown, string][] = [
    ['S3 NoSuchKey: deleted, which is evidence', named('NoSuchKey', { $metadata: { httpStatusCode: 404 } }), 'not_found'],
    ['AccessDenied', named('AccessDenied', { $metadata: { httpStatusCode: 403 } }), 'access_denied'],
    ['SlowDown after retries', named('SlowDown', { $metadata: { httpStatusCode: 503 } }), 'throttled'],
    ["the SDK's own request timeout", named('TimeoutError'), 'timeout'],
    ["a socket's ETIMEDOUT", Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'timeout'],
    ['a read the run deadline aborted', Object.assign(new Error('Request aborted'), { name: 'AbortError', cause: new DeadlineReached(2) }), 'timeout'],
    ['anything else', named('InternalError', { $metadata: { httpStatusCode: 500 } }), 'error'],
  ];
  for (const [label, error, expected] of cases) {
    it(`${label} → ${expected}`, () => {
      const result = toReadError(error, 'digest file s3://b/k', 's3:GetObject');
      if (expected === 'not_found') {
        assert.ok(result instanceof ObjectNotFoundError);
        return;
      }
      assert.ok(result instanceof ObjectReadError);
      assert.equal(result.reason, expected);
      assert.match(result.message, /digest file s3:\/\/b\/k/u);
    });
  }
});
