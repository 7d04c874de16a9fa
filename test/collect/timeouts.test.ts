/**
 * Time bounds through the real SDK request path: the shared request handler's connect and
 * response timeouts, the retry strategy's cap on timed-out attempts, the run's stop signal
 * (--timeout) in the scheduler and the handler, and what the collector makes of an endpoint that
 * never answers. The endpoints are loopback servers that accept and say nothing, or send headers
 * and stall the body (moto cannot be made to hang); timeouts are ~200 ms so the tests stay fast.
 */
import { strict as assert } from 'node:assert';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import { ClientFactory } from '../../src/collect/live/clients.js';
import { createRequestHandler, DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from '../../src/collect/live/requestHandler.js';
import { collectLive } from '../../src/collect/live/index.js';
import { CollectionError, DeadlineReached, isTimeoutError } from '../../src/collect/live/errors.js';
import { AuditRetryStrategy, DEFAULT_TIMEOUT_ATTEMPTS } from '../../src/collect/live/retry.js';
import { ApiScheduler } from '../../src/collect/live/scheduler.js';
import type { FactNeed } from '../../src/facts/model.js';
import { refusedPort, startFaultyEndpoint, type FaultyEndpoint } from '../helpers/faultyEndpoint.js';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';

const FAST: HttpTimeouts = { connectMs: 200, responseMs: 200 };

function factory(endpoint: string, extra: { deadline?: AbortSignal; maxAttempts?: number } = {}): ClientFactory {
  return new ClientFactory({
    credentials: MOTO_CREDENTIALS,
    endpointUrl: endpoint,
    maxAttempts: extra.maxAttempts ?? 5,
    timeouts: FAST,
    ...(extra.deadline === undefined ? {} : { deadline: extra.deadline }),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('time bounds of AWS calls', function () {
  let endpoint: FaultyEndpoint | null = null;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = null;
  });

  it('configures the shared handler with connect, response and idle-body timeouts that throw', async () => {
    const agents = { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
    const handler = createRequestHandler(agents, { connectMs: 1234, responseMs: 5678 });
    // The config resolves lazily; a request (to a refused port) makes it concrete.
    const { HttpRequest } = await import('@smithy/core/protocols');
    await handler.handle(new HttpRequest({ protocol: 'http:', hostname: '127.0.0.1', port: await refusedPort(), path: '/', method: 'GET' })).catch(() => undefined);
    const config = handler.httpHandlerConfigs() as Record<string, unknown>;
    assert.equal(config.connectionTimeout, 1234);
    assert.equal(config.requestTimeout, 5678);
    assert.equal(config.socketTimeout, 5678);
    // Without this the SDK only logs a warning when requestTimeout passes, and waits on.
    assert.equal(config.throwOnRequestTimeout, true);
    assert.equal(config.httpAgent, agents.httpAgent, 'the keep-alive pool stays shared');
    handler.destroy();
  });

  it('defaults: 5 s to connect, 20 s for the response, 3 attempts for a call that timed out', () => {
    assert.deepEqual(DEFAULT_HTTP_TIMEOUTS, { connectMs: 5_000, responseMs: 20_000 });
    assert.equal(DEFAULT_TIMEOUT_ATTEMPTS, 3);
  });

  it('gives up on an endpoint that accepts the connection and never answers after 3 attempts of one response timeout each', async () => {
    endpoint = await startFaultyEndpoint('silent');
    const clients = factory(endpoint.url);
    const started = Date.now();
    const error = await rejection(clients.sts('us-east-1').send(new GetCallerIdentityCommand({})));
    const elapsed = Date.now() - started;
    clients.destroy();
    assert.ok(isTimeoutError(error), `a timeout, not ${String(error)}`);
    assert.equal(endpoint.hits(), DEFAULT_TIMEOUT_ATTEMPTS, 'retried like other transient errors, 3 attempts in all');
    assert.ok(elapsed >= 3 * FAST.responseMs, `each attempt waited its timeout (${String(elapsed)} ms)`);
    assert.ok(elapsed < 3 * FAST.responseMs + 2_000, `and no more (${String(elapsed)} ms)`);
  });

  it('gives up on a response whose headers arrive and whose body stalls', async () => {
    endpoint = await startFaultyEndpoint('headers-then-stall');
    const clients = factory(endpoint.url);
    const started = Date.now();
    const error = await rejection(clients.sts('us-east-1').send(new GetCallerIdentityCommand({})));
    clients.destroy();
    assert.ok(isTimeoutError(error), `a timeout, not ${String(error)}`);
    assert.equal(endpoint.hits(), DEFAULT_TIMEOUT_ATTEMPTS);
    assert.ok(Date.now() - started < 3 * FAST.responseMs + 2_000);
  });

  it('does not let a call retry timeouts more often than its own maxAttempts allows', async () => {
    endpoint = await startFaultyEndpoint('silent');
    const clients = factory(endpoint.url, { maxAttempts: 1 });
    await rejection(clients.sts('us-east-1').send(new GetCallerIdentityCommand({})));
    clients.destroy();
    assert.equal(endpoint.hits(), 1);
  });

  it('abandons a request in flight at once when the run is stopped, without retrying it', async () => {
    endpoint = await startFaultyEndpoint('silent');
    const stop = new AbortController();
    const clients = new ClientFactory({
      credentials: MOTO_CREDENTIALS,
      endpointUrl: endpoint.url,
      maxAttempts: 5,
      timeouts: { connectMs: 10_000, responseMs: 10_000 },
      deadline: stop.signal,
    });
    setTimeout(() => {
      stop.abort(new DeadlineReached(0.1));
    }, 100);
    const started = Date.now();
    const error = await rejection(clients.sts('us-east-1').send(new GetCallerIdentityCommand({})));
    clients.destroy();
    assert.equal((error as Error).name, 'AbortError');
    assert.ok(Date.now() - started < 2_000, 'not the 10 s response timeout');
    assert.equal(endpoint.hits(), 1);
  });

  it('retries a timeout through the strategy at most DEFAULT_TIMEOUT_ATTEMPTS times, other transient errors up to maxAttempts', async () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' }) as RetryErrorInfo['error'];
    const strategy = new AuditRetryStrategy(5);
    let token = (await strategy.acquireInitialRetryToken('sts:us-east-1')) as StandardRetryToken;
    for (let attempt = 1; attempt < DEFAULT_TIMEOUT_ATTEMPTS; attempt += 1) {
      token = (await strategy.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error: timeout })) as StandardRetryToken;
    }
    await assert.rejects(strategy.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error: timeout }), /timed out/);

    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) as RetryErrorInfo['error'];
    let other = (await strategy.acquireInitialRetryToken('sts:us-east-1')) as StandardRetryToken;
    for (let attempt = 1; attempt < 5; attempt += 1) {
      other = (await strategy.refreshRetryTokenForRetry(other, { errorType: 'TRANSIENT', error: reset })) as StandardRetryToken;
    }
    assert.equal(other.getRetryCount(), 4, 'a reset connection is still retried 4 times');
  });
});

describe('the run stop (--timeout) in the scheduler', () => {
  it('fails a call still unanswered when the stop comes with reason timeout, and sends nothing after it', async () => {
    const stop = new AbortController();
    const scheduler = new ApiScheduler({ concurrency: 4, perEndpointConcurrency: 4, stop: stop.signal });
    const pending = scheduler.call({ action: 'cloudtrail:GetTrailStatus', region: 'eu-west-1', resource: 'trail t' }, () => new Promise<never>(() => undefined));
    setTimeout(() => {
      stop.abort(new DeadlineReached(2));
    }, 20);
    const outcome = await pending;
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.reason, 'timeout');
    assert.equal(outcome.error.operation, 'cloudtrail:GetTrailStatus');
    assert.equal(outcome.error.region, 'eu-west-1');
    assert.match(outcome.error.message, /trail t in eu-west-1 was not answered before the run's --timeout of 2 s passed/);

    let sent = false;
    const late = await scheduler.call({ action: 'cloudtrail:ListTags', region: 'eu-west-1' }, () => {
      sent = true;
      return Promise.resolve(1);
    });
    assert.ok(!late.ok);
    assert.equal(late.error.reason, 'timeout');
    assert.equal(sent, false);
    assert.deepEqual(scheduler.apiCalls(), { 'cloudtrail:GetTrailStatus': 1 }, 'a call never sent is not counted');
  });

  it('does not send a call that was queued before the stop and would start after it', async () => {
    const stop = new AbortController();
    const scheduler = new ApiScheduler({ concurrency: 1, perEndpointConcurrency: 1, stop: stop.signal });
    let release: () => void = () => undefined;
    const first = scheduler.call({ action: 'cloudtrail:DescribeTrails', region: 'us-east-1' }, () => new Promise<void>((resolve) => (release = resolve)));
    let secondSent = false;
    const second = scheduler.call({ action: 'cloudtrail:DescribeTrails', region: 'us-east-1' }, () => {
      secondSent = true;
      return Promise.resolve();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort(new DeadlineReached(1));
    release();
    const outcomes = await Promise.all([first, second]);
    assert.ok(outcomes.every((outcome) => !outcome.ok && outcome.error.reason === 'timeout'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(secondSent, false);
  });
});

describe('collectLive against an endpoint that never answers', function () {
  let endpoint: FaultyEndpoint | null = null;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = null;
  });
  const needs = new Set<FactNeed>(['trails', 'trailStatus', 'bucketPublicAccess', 'eventDataStores']);

  for (const fault of ['silent', 'headers-then-stall'] as const) {
    it(`stops with a CollectionError naming the identity call, the endpoint and the timeout (${fault}), in bounded time`, async () => {
      endpoint = await startFaultyEndpoint(fault);
      const started = Date.now();
      const error = await rejection(
        collectLive({ needs, regions: ['us-east-1', 'eu-west-1'], endpointUrl: endpoint.url, credentials: MOTO_CREDENTIALS, httpTimeouts: FAST }),
      );
      const elapsed = Date.now() - started;
      assert.ok(error instanceof CollectionError, String(error));
      assert.match(error.message, /sts:GetCallerIdentity/);
      assert.ok(error.message.includes(endpoint.url), error.message);
      assert.match(error.message, /got no answer in time \(3 attempts\)/);
      // The other first-round calls (DescribeTrails ×2, ListBuckets, ListEventDataStores ×2) are
      // abandoned when the identity fails instead of being waited for.
      assert.ok(elapsed < 3 * FAST.responseMs + 2_000, `${String(elapsed)} ms`);
    });
  }

  it('stops at the --timeout deadline even when the per-call timeouts are longer, naming the deadline', async () => {
    endpoint = await startFaultyEndpoint('silent');
    const started = Date.now();
    const error = await rejection(
      collectLive({
        needs,
        regions: ['us-east-1'],
        endpointUrl: endpoint.url,
        credentials: MOTO_CREDENTIALS,
        httpTimeouts: { connectMs: 10_000, responseMs: 10_000 },
        timeoutSeconds: 0.3,
      }),
    );
    assert.ok(error instanceof CollectionError, String(error));
    assert.match(error.message, /sts:GetCallerIdentity .*was not answered before the run's --timeout of 0\.3 s passed/);
    assert.ok(Date.now() - started < 3_000, `${String(Date.now() - started)} ms, not the 10 s response timeout`);
  });

  it('says so when the identity endpoint refuses connections', async () => {
    const url = `http://127.0.0.1:${String(await refusedPort())}`;
    const error = await rejection(collectLive({ needs, regions: ['us-east-1'], endpointUrl: url, credentials: MOTO_CREDENTIALS, httpTimeouts: FAST }));
    assert.ok(error instanceof CollectionError);
    assert.match(error.message, /sts:GetCallerIdentity in us-east-1 at http:\/\/127\.0\.0\.1:\d+\): .*ECONNREFUSED/);
  });

  it('says so when the endpoint answers garbage', async () => {
    endpoint = await startFaultyEndpoint('garbage');
    const error = await rejection(collectLive({ needs, regions: ['us-east-1'], endpointUrl: endpoint.url, credentials: MOTO_CREDENTIALS, httpTimeouts: FAST }));
    assert.ok(error instanceof CollectionError);
    assert.match(error.message, /sts:GetCallerIdentity/);
    assert.match(error.message, /parse|XML|Deserial/i);
  });
});

describe('endpoints that never answered', () => {
  const timedOut = (): Error => Object.assign(new Error('a request has exceeded the configured 200 ms requestTimeout'), { name: 'TimeoutError' });

  it('are not sent more calls once every attempt of one call timed out there', async () => {
    const scheduler = new ApiScheduler({ concurrency: 1, perEndpointConcurrency: 1 });
    const sent: string[] = [];
    const first = scheduler.call({ action: 'cloudtrail:DescribeTrails', region: 'eu-west-1' }, () => {
      sent.push('DescribeTrails eu-west-1');
      return Promise.reject(timedOut());
    });
    const second = scheduler.call({ action: 'cloudtrail:ListEventDataStores', region: 'eu-west-1' }, () => {
      sent.push('ListEventDataStores eu-west-1');
      return Promise.resolve([]);
    });
    const elsewhere = scheduler.call({ action: 'cloudtrail:ListEventDataStores', region: 'us-east-1' }, () => {
      sent.push('ListEventDataStores us-east-1');
      return Promise.resolve([]);
    });
    const [a, b, c] = await Promise.all([first, second, elsewhere]);
    assert.ok(!a.ok && a.error.reason === 'timeout');
    assert.ok(!b.ok);
    assert.equal(b.error.reason, 'timeout');
    assert.equal(
      b.error.message,
      'cloudtrail:ListEventDataStores in eu-west-1 was not sent: cloudtrail:DescribeTrails in eu-west-1 got no answer in time on any attempt, and nothing sent to that endpoint has been answered.',
    );
    assert.ok(c.ok, 'another Region is another endpoint');
    assert.deepEqual(sent, ['DescribeTrails eu-west-1', 'ListEventDataStores us-east-1']);
  });

  it('are still asked once they have answered anything, an error included', async () => {
    const scheduler = new ApiScheduler({ concurrency: 1, perEndpointConcurrency: 1 });
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    await scheduler.call({ action: 'cloudtrail:DescribeTrails', region: 'eu-west-1' }, () => Promise.reject(denied));
    await scheduler.call({ action: 'cloudtrail:GetTrailStatus', region: 'eu-west-1' }, () => Promise.reject(timedOut()));
    let sent = false;
    const after = await scheduler.call({ action: 'cloudtrail:GetEventSelectors', region: 'eu-west-1' }, () => {
      sent = true;
      return Promise.resolve(1);
    });
    assert.ok(after.ok);
    assert.equal(sent, true);
  });
});
