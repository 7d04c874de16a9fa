/** Error classification (table) and the permissions table behind `trailaudit iam-policy`. */
import { strict as assert } from 'node:assert';
import type { FactNeed, UnknownReason } from '../../src/facts/model.js';
import { FACT_NEEDS } from '../../src/facts/model.js';
import { classifyError, DeadlineReached, errorCode, isTimeoutError } from '../../src/collect/live/errors.js';
import { IAM_ACTIONS, permissionsFor, type IamAction } from '../../src/collect/live/permissions.js';

function sdkError(name: string, status: number | undefined, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: status === undefined ? {} : { httpStatusCode: status, attempts: 3 },
    ...extra,
  });
}

/** An SDK error for an S3 REST-XML answer: the code is in `Code`. */
function s3Error(code: string, status: number): Error {
  return sdkError(code, status, { Code: code });
}

const ROWS: readonly (readonly [string, unknown, IamAction, UnknownReason])[] = [
  ['AccessDenied (S3)', s3Error('AccessDenied', 403), 's3:GetBucketAcl', 'access_denied'],
  ['AccessDeniedException (JSON services)', sdkError('AccessDeniedException', 400), 'cloudtrail:GetEventSelectors', 'access_denied'],
  ['UnauthorizedOperation (EC2)', sdkError('UnauthorizedOperation', 403), 'ec2:DescribeRegions', 'access_denied'],
  ['AuthorizationError', sdkError('AuthorizationError', 403), 'cloudtrail:DescribeTrails', 'access_denied'],
  ['bare HTTP 403', sdkError('Forbidden', 403), 's3:GetBucketPolicy', 'access_denied'],
  ['Throttling', sdkError('Throttling', 400), 'cloudtrail:DescribeTrails', 'throttled'],
  ['ThrottlingException', sdkError('ThrottlingException', 400), 'cloudtrail:GetTrailStatus', 'throttled'],
  ['TooManyRequestsException', sdkError('TooManyRequestsException', 429), 'cloudtrail:ListTags', 'throttled'],
  ['RequestLimitExceeded (EC2)', sdkError('RequestLimitExceeded', 503), 'ec2:DescribeRegions', 'throttled'],
  ['SlowDown (S3)', s3Error('SlowDown', 503), 's3:GetBucketAcl', 'throttled'],
  ['UnrecognizedClientException', sdkError('UnrecognizedClientException', 400), 'cloudtrail:DescribeTrails', 'region_disabled'],
  ['InvalidClientTokenId (403, not access_denied)', sdkError('InvalidClientTokenId', 403), 'cloudtrail:DescribeTrails', 'region_disabled'],
  ['AuthFailure (EC2)', sdkError('AuthFailure', 401), 'ec2:DescribeRegions', 'region_disabled'],
  ['OptInRequired', sdkError('OptInRequired', 403), 'cloudtrail:DescribeTrails', 'region_disabled'],
  ['NoSuchBucket', s3Error('NoSuchBucket', 404), 's3:GetBucketLocation', 'not_found'],
  ['TrailNotFoundException', sdkError('TrailNotFoundException', 400), 'cloudtrail:GetTrailStatus', 'not_found'],
  ['EventDataStoreNotFoundException', sdkError('EventDataStoreNotFoundException', 400), 'cloudtrail:GetEventDataStore', 'not_found'],
  ['OperationNotPermittedException', sdkError('OperationNotPermittedException', 400), 'cloudtrail:ListEventDataStores', 'unsupported'],
  ['UnsupportedOperationException', sdkError('UnsupportedOperationException', 400), 'cloudtrail:GetEventSelectors', 'unsupported'],
  ['NotImplemented (S3, 501)', s3Error('NotImplemented', 501), 's3:GetBucketPolicyStatus', 'unsupported'],
  ['HTTP 500 InternalFailure', sdkError('InternalFailure', 500), 'cloudtrail:DescribeTrails', 'error'],
  ['network error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'sts:GetCallerIdentity', 'error'],
  ['a thrown string', 'boom', 'cloudtrail:DescribeTrails', 'error'],
  [
    'no response headers in time (SDK requestTimeout)',
    Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 200 ms requestTimeout.'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      $metadata: { attempts: 3 },
    }),
    'cloudtrail:DescribeTrails',
    'timeout',
  ],
  [
    'body stalled after the headers (SDK socketTimeout)',
    Object.assign(new Error('@smithy/node-http-handler - the request socket timed out after 200 ms of inactivity'), { name: 'TimeoutError', $metadata: { httpStatusCode: 200 } }),
    's3:GetBucketAcl',
    'timeout',
  ],
  ['socket ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT' }), 'ec2:DescribeRegions', 'timeout'],
  ['the run\'s --timeout passed', new DeadlineReached(90), 'cloudtrail:GetTrailStatus', 'timeout'],
  [
    'HTML 500 page (moto, unimplemented operation)',
    Object.assign(new Error('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: …'), {
      name: 'SyntaxError',
      $metadata: { httpStatusCode: 500, attempts: 3 },
      $response: { statusCode: 500, headers: { 'content-type': 'text/html; charset=utf-8' } },
    }),
    'cloudtrail:ListEventDataStores',
    'error',
  ],
];

describe('classifyError', () => {
  for (const [label, error, action, reason] of ROWS) {
    it(`${label} → ${reason}`, () => {
      const detail = classifyError(error, { action, region: 'eu-west-1', resource: 'trail x' });
      assert.equal(detail.reason, reason);
      assert.equal(detail.operation, action);
      assert.equal(detail.region, 'eu-west-1');
      assert.match(detail.message, /eu-west-1/, 'the message names the region');
      assert.ok(!detail.message.includes('\n'), 'one line');
      if (reason === 'access_denied') {
        assert.match(detail.message, new RegExp(`grant ${action}`));
      }
      if (reason !== 'region_disabled') {
        assert.match(detail.message, /trail x/, 'the message names the resource');
      }
    });
  }

  it('names the operation, the Region, the attempts and what timed out for a timeout, and the deadline for --timeout', () => {
    const timedOut = Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 200 ms requestTimeout.'), {
      name: 'TimeoutError',
      $metadata: { attempts: 3 },
    });
    const detail = classifyError(timedOut, { action: 'sts:GetCallerIdentity', region: 'us-east-1' });
    assert.equal(
      detail.message,
      'sts:GetCallerIdentity in us-east-1 got no answer in time (3 attempts): a request has exceeded the configured 200 ms requestTimeout; the endpoint may be unreachable or overloaded, re-run later.',
    );
    const deadline = classifyError(new DeadlineReached(1.5), { action: 'cloudtrail:GetTrailStatus', region: 'eu-west-1' });
    assert.match(deadline.message, /^cloudtrail:GetTrailStatus in eu-west-1 was not answered before the run's --timeout of 1\.5 s passed/);
  });

  it('tells timeouts from other network failures (a refused connection is an error, not a timeout)', () => {
    assert.equal(isTimeoutError(Object.assign(new Error('x'), { name: 'TimeoutError' })), true);
    assert.equal(isTimeoutError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), false);
    assert.equal(isTimeoutError(Object.assign(new Error('x'), { name: 'AbortError' })), false);
    assert.equal(isTimeoutError(undefined), false);
  });

  // validate-logs has no scheduler: a read the deadline aborted reaches it as the SDK handler's
  // AbortError, with the deadline as its cause.
  it('reads the run deadline behind an AbortError the SDK handler raised for it', () => {
    const aborted = Object.assign(new Error('Request aborted'), { name: 'AbortError', cause: new DeadlineReached(2) });
    assert.equal(isTimeoutError(aborted), true);
    const detail = classifyError(aborted, { action: 'cloudtrail:DescribeTrails', region: 'us-east-1' });
    assert.equal(detail.reason, 'timeout');
    assert.match(detail.message, /before the run's --timeout of 2 s passed/u);
    assert.equal(isTimeoutError(Object.assign(new Error('Request aborted'), { name: 'AbortError' })), false, 'an abort of another cause is not a timeout');
  });

  // The SDK's HTTP handler names a reset connection TimeoutError so that it is retried; the
  // endpoint answered at once, by closing: an error, and said so (found by a black-box run).
  it('calls a connection the endpoint closed an error, not a timeout', () => {
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: { attempts: 5 } });
    assert.equal(isTimeoutError(reset), false);
    const detail = classifyError(reset, { action: 'sts:GetCallerIdentity', region: 'us-east-1' });
    assert.equal(detail.reason, 'error');
    assert.equal(detail.message, 'sts:GetCallerIdentity in us-east-1 failed: the endpoint closed the connection without answering (ECONNRESET, 5 attempts).');
  });

  it('says the number of attempts for a throttled call', () => {
    const detail = classifyError(sdkError('ThrottlingException', 400), { action: 'cloudtrail:ListTags', region: 'us-east-1' });
    assert.match(detail.message, /after 3 attempts/);
  });

  it('mentions the emulator for an HTML 500 only when an endpoint URL is set', () => {
    const html = Object.assign(new Error('bad json'), {
      name: 'SyntaxError',
      $metadata: { httpStatusCode: 500 },
      $response: { headers: { 'content-type': 'text/html' } },
    });
    const withEndpoint = classifyError(html, { action: 'cloudtrail:ListEventDataStores', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:5000' });
    assert.match(withEndpoint.message, /may not implement this operation/);
    const withoutEndpoint = classifyError(html, { action: 'cloudtrail:ListEventDataStores', region: 'us-east-1' });
    assert.doesNotMatch(withoutEndpoint.message, /emulator/);
  });

  it('reads the S3 Code before the exception name', () => {
    assert.equal(errorCode(Object.assign(new Error('x'), { name: 'S3ServiceException', Code: 'NoSuchBucketPolicy' })), 'NoSuchBucketPolicy');
    assert.equal(errorCode(sdkError('TrailNotFoundException', 400)), 'TrailNotFoundException');
    assert.equal(errorCode(new Error('plain')), undefined);
  });
});

describe('permissionsFor', () => {
  it('lists every action for all needs, sorted', () => {
    const all = permissionsFor(new Set(FACT_NEEDS));
    assert.deepEqual(all, [...IAM_ACTIONS].sort());
    assert.ok(all.includes('s3:GetBucketPublicAccessBlock'));
    assert.ok(all.includes('s3:GetAccountPublicAccessBlock'));
  });

  it('lists only DescribeTrails (plus identity and regions) for the trails need', () => {
    assert.deepEqual(permissionsFor(new Set<FactNeed>(['trails'])), ['cloudtrail:DescribeTrails', 'ec2:DescribeRegions', 'sts:GetCallerIdentity']);
  });

  it('includes the trail listing for bucket needs, and the location call for both bucket needs', () => {
    const logging = permissionsFor(new Set<FactNeed>(['bucketLogging']));
    assert.deepEqual(logging, [
      'cloudtrail:DescribeTrails',
      'ec2:DescribeRegions',
      's3:GetBucketLocation',
      's3:GetBucketLogging',
      's3:ListAllMyBuckets',
      'sts:GetCallerIdentity',
    ]);
    assert.deepEqual(permissionsFor(new Set<FactNeed>(['eventDataStores'])), [
      'cloudtrail:GetEventDataStore',
      'cloudtrail:ListEventDataStores',
      'ec2:DescribeRegions',
      'sts:GetCallerIdentity',
    ]);
  });
});
