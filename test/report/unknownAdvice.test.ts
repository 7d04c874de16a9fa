/**
 * What the reports tell a person to do about an UNKNOWN: a denial needs a permission, a missing
 * resource needs to exist (no permission or retry helps), anything else needs the call to succeed.
 */
import { strict as assert } from 'node:assert';
import type { UnknownDetail } from '../../src/facts/model.js';
import { unknownAdvice, unknownNeeds } from '../../src/report/common.js';

const denied: UnknownDetail = { reason: 'access_denied', message: 'denied', operation: 's3:GetBucketAcl', region: 'us-east-1' };
const missing: UnknownDetail = { reason: 'not_found', message: 'no such bucket', operation: 's3:GetBucketLocation', region: 'us-east-1' };
const throttled: UnknownDetail = { reason: 'throttled', message: 'slow down', operation: 'cloudtrail:GetTrailStatus' };

describe('advice for UNKNOWN verdicts', () => {
  it('asks for a permission only where one was denied', () => {
    assert.equal(unknownNeeds(denied), 'permission s3:GetBucketAcl, in us-east-1');
    assert.equal(unknownNeeds(throttled), 'cloudtrail:GetTrailStatus to succeed');
  });

  it('asks for a missing resource to exist, not for the call that found nothing to succeed', () => {
    const needs = unknownNeeds(missing);
    assert.match(needs, /^the missing resource to exist: recreate it, or correct the reference to it/);
    assert.doesNotMatch(needs, /to succeed|permission/);
  });

  it('names only the kinds of gap present', () => {
    assert.equal(unknownAdvice([missing]), 'Recreate the missing resource or correct the reference to it, or use --allow-unknown to accept an incomplete audit.');
    assert.equal(unknownAdvice([denied]), 'Grant the permissions or use the account named above, or use --allow-unknown to accept an incomplete audit.');
    assert.equal(
      unknownAdvice([throttled, denied, missing]),
      'Grant the permissions or use the account named above; recreate the missing resource or correct the reference to it; retry the calls that failed, or use --allow-unknown to accept an incomplete audit.',
    );
  });
});
