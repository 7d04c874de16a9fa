/**
 * Throttling through the real SDK retry path. moto never throttles and aws-sdk-client-mock
 * replaces `send` (so no retry middleware runs); this test therefore serves the two calls
 * involved from a tiny HTTP endpoint on 127.0.0.1 that answers CloudTrail with AWS's JSON
 * ThrottlingException for as long as it is told to.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { FactNeed } from '../../src/facts/model.js';
import { isGap } from '../../src/facts/model.js';
import { collectLive } from '../../src/collect/live/index.js';
import { callerIdentityXml } from '../helpers/callerIdentity.js';
import { listenOnLoopback } from '../helpers/loopbackServer.js';

const ACCOUNT = '123456789012';

const IDENTITY_XML = callerIdentityXml(ACCOUNT);

interface ThrottlingEndpoint {
  readonly url: string;
  /** DescribeTrails requests received. */
  readonly describeTrailsRequests: () => number;
  close(): Promise<void>;
}

interface Failure {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const THROTTLE: Failure = {
  status: 400,
  contentType: 'application/x-amz-json-1.1',
  body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
};

/** Answers sts:GetCallerIdentity, and cloudtrail:DescribeTrails with `throttleFirst` failures. */
async function throttlingEndpoint(throttleFirst: number, failure: Failure = THROTTLE): Promise<ThrottlingEndpoint> {
  let describeTrails = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string' && target.endsWith('.DescribeTrails')) {
        describeTrails += 1;
        if (describeTrails <= throttleFirst) {
          response.statusCode = failure.status;
          response.setHeader('content-type', failure.contentType);
          response.end(failure.body);
        } else {
          response.setHeader('content-type', 'application/x-amz-json-1.1');
          response.end(JSON.stringify({ trailList: [] }));
        }
        return;
      }
      // Anything else is the STS query call.
      response.setHeader('content-type', 'text/xml');
      response.end(IDENTITY_XML);
    });
  });
  return { ...(await listenOnLoopback(server)), describeTrailsRequests: () => describeTrails };
}

const credentials = { accessKeyId: 'fake', secretAccessKey: 'fake' };

describe('live collector under throttling (real SDK adaptive retries, local endpoint)', function () {
  this.timeout(20_000);

  it('slows down and succeeds when throttling passes: one logical call, no gap', async () => {
    const endpoint = await throttlingEndpoint(1);
    try {
      const facts = await collectLive({
        needs: new Set<FactNeed>(['trails']),
        regions: ['us-east-1'],
        endpointUrl: endpoint.url,
        credentials,
        maxAttempts: 2,
      });
      assert.deepEqual(facts.trails, []);
      assert.equal(endpoint.describeTrailsRequests(), 2, 'one throttled attempt, then the answer');
      assert.equal(facts.stats.apiCalls['cloudtrail:DescribeTrails'], 1, 'retries are not counted as calls');
    } finally {
      await endpoint.close();
    }
  });

  it('reports throttled once the retries are exhausted', async () => {
    const endpoint = await throttlingEndpoint(Number.POSITIVE_INFINITY);
    try {
      const facts = await collectLive({
        needs: new Set<FactNeed>(['trails']),
        regions: ['us-east-1'],
        endpointUrl: endpoint.url,
        credentials,
        maxAttempts: 2,
      });
      assert.equal(endpoint.describeTrailsRequests(), 2);
      const [gap] = facts.trails;
      assert.ok(gap !== undefined && isGap(gap));
      assert.equal(gap.$gap.reason, 'throttled');
      assert.equal(gap.$gap.operation, 'cloudtrail:DescribeTrails');
      assert.match(gap.$gap.message, /still throttled after 2 attempts/);
    } finally {
      await endpoint.close();
    }
  });

  // moto answers operations it does not implement (CloudTrail Lake) with an HTML 500 page;
  // retrying that only delays the audit. AWS's own 500 is a JSON InternalFailure and is retried.
  it('does not retry an HTML 500 (an endpoint that does not implement the call)', async () => {
    const endpoint = await throttlingEndpoint(Number.POSITIVE_INFINITY, {
      status: 500,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><title>500 Internal Server Error</title>',
    });
    try {
      const facts = await collectLive({
        needs: new Set<FactNeed>(['trails']),
        regions: ['us-east-1'],
        endpointUrl: endpoint.url,
        credentials,
        maxAttempts: 4,
      });
      assert.equal(endpoint.describeTrailsRequests(), 1, 'no retry for a permanent error');
      const [gap] = facts.trails;
      assert.ok(gap !== undefined && isGap(gap));
      assert.equal(gap.$gap.reason, 'error');
      assert.match(gap.$gap.message, /HTML page/);
    } finally {
      await endpoint.close();
    }
  });

  it('retries an AWS JSON 500 InternalFailure up to maxAttempts', async () => {
    const endpoint = await throttlingEndpoint(Number.POSITIVE_INFINITY, {
      status: 500,
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({ __type: 'InternalFailure', message: 'internal error' }),
    });
    try {
      const facts = await collectLive({
        needs: new Set<FactNeed>(['trails']),
        regions: ['us-east-1'],
        endpointUrl: endpoint.url,
        credentials,
        maxAttempts: 3,
      });
      assert.equal(endpoint.describeTrailsRequests(), 3);
      const [gap] = facts.trails;
      assert.ok(gap !== undefined && isGap(gap));
      assert.equal(gap.$gap.reason, 'error');
    } finally {
      await endpoint.close();
    }
  });
});
