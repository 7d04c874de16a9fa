import { strict as assert } from 'node:assert';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { endToEndHeaders, startLatencyProxy } from '../../bench/latencyProxy.js';
import { wireOperation } from '../../bench/wireOperation.js';
import { cloudTrailClient, s3Client } from '../../support/moto/clients.js';
import { createBucket } from '../../support/moto/s3.js';
import { useMoto } from '../../support/moto/mocha.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('latency proxy', () => {
  let echo: Server;
  let echoUrl: string;
  const seen: Seen[] = [];

  before(async () => {
    // A recording upstream, so the test sees exactly what the proxy forwarded.
    echo = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(201, { 'x-upstream': 'echo', 'content-type': 'text/plain' });
        res.end('created');
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });

  after(async () => {
    echo.closeAllConnections();
    await new Promise<void>((resolve) => echo.close(() => { resolve(); }));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('drops hop-by-hop headers both ways, so moto\'s Connection: close does not reach the client', () => {
    const headers = { connection: 'close, x-hop', 'keep-alive': 'timeout=5', 'x-hop': '1', 'transfer-encoding': 'chunked', 'x-amz-request-id': 'r', 'content-type': 'text/xml' };
    assert.deepEqual(endToEndHeaders(headers), { 'x-amz-request-id': 'r', 'content-type': 'text/xml' });
  });

  it('keeps the client connection open across requests even when the upstream closes each one', async () => {
    const closing = createServer((req, res) => {
      res.writeHead(200, { connection: 'close', 'content-type': 'text/plain' });
      res.end('ok');
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    const proxy = await startLatencyProxy(`http://127.0.0.1:${String((closing.address() as AddressInfo).port)}`, 0);
    const { Agent, get } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      for (let n = 0; n < 3; n += 1) {
        await new Promise<void>((resolve, reject) => {
          get(`${proxy.endpoint}/x`, { agent }, (response) => {
            sockets.add(response.socket);
            assert.equal(response.headers.connection, 'keep-alive');
            response.resume();
            response.on('end', resolve);
          }).on('error', reject);
        });
      }
      assert.equal(sockets.size, 1, 'one client connection served every request');
    } finally {
      agent.destroy();
      await proxy.close();
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => { resolve(); }));
    }
  });

  it('forwards method, path, query, headers and body, and returns the upstream response', async () => {
    const proxy = await startLatencyProxy(echoUrl, 0);
    try {
      const response = await fetch(`${proxy.endpoint}/bucket/key%20name?uploads&x=1`, {
        method: 'PUT',
        headers: { 'x-amz-target': 'CloudTrail_20131101.DescribeTrails', 'content-type': 'application/x-amz-json-1.1' },
        body: '{"includeShadowTrails":true}',
      });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('x-upstream'), 'echo');
      assert.equal(await response.text(), 'created');
      assert.equal(seen.length, 1);
      const [request] = seen;
      assert.equal(request?.method, 'PUT');
      assert.equal(request.url, '/bucket/key%20name?uploads&x=1');
      assert.equal(request.headers['x-amz-target'], 'CloudTrail_20131101.DescribeTrails');
      // Host is preserved: SigV4 signs it.
      assert.equal(request.headers.host, `127.0.0.1:${proxy.port}`);
      assert.equal(request.body, '{"includeShadowTrails":true}');
      assert.equal(proxy.requests, 1);
    } finally {
      await proxy.close();
    }
  });

  it('adds at least the configured delay to every request', async () => {
    const delayMs = 120;
    const direct = Date.now();
    await (await fetch(`${echoUrl}/`)).text();
    const directMs = Date.now() - direct;
    const proxy = await startLatencyProxy(echoUrl, delayMs);
    try {
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        const response = await fetch(`${proxy.endpoint}/ping`);
        await response.text();
        const elapsed = performance.now() - started;
        // libuv schedules timers on a millisecond clock, so allow that one millisecond of rounding.
        assert.ok(elapsed >= delayMs - 1, `request ${i} took ${elapsed.toFixed(1)} ms, expected >= ${delayMs} ms`);
      }
      // Concurrent requests are delayed in parallel, not queued behind each other.
      const started = performance.now();
      await Promise.all(Array.from({ length: 5 }, async () => (await fetch(`${proxy.endpoint}/ping`)).text()));
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= delayMs - 1 && elapsed < 4 * delayMs + directMs, `5 concurrent requests took ${elapsed.toFixed(1)} ms`);
    } finally {
      await proxy.close();
    }
  });

  it('with readBodies, hands each body to onRequest and still forwards it whole, after the delay', async () => {
    const bodies: string[] = [];
    const proxy = await startLatencyProxy(echoUrl, 30, {
      readBodies: true,
      onRequest: (_request, body) => {
        bodies.push(body?.toString() ?? '<none>');
      },
    });
    try {
      const started = performance.now();
      const response = await fetch(`${proxy.endpoint}/form`, { method: 'POST', body: 'Action=AssumeRole&Version=2011-06-15' });
      await response.text();
      assert.ok(performance.now() - started >= 29, 'the delay applies to requests whose body was read');
      assert.equal(response.status, 201);
      assert.deepEqual(bodies, ['Action=AssumeRole&Version=2011-06-15']);
      assert.equal(seen[0]?.body, 'Action=AssumeRole&Version=2011-06-15');
    } finally {
      await proxy.close();
    }
  });

  describe('in front of moto', () => {
    const moto = useMoto({ resetEachTest: false });

    it('carries S3 path-style (REST-XML) and CloudTrail (JSON) SDK calls', async () => {
      const proxy = await startLatencyProxy(moto.endpoint, 20);
      const s3Direct = s3Client(moto.endpoint, 'us-east-1');
      const s3 = s3Client(proxy.endpoint, 'us-east-1');
      const cloudtrail = cloudTrailClient(proxy.endpoint, 'eu-west-1');
      try {
        await createBucket(s3Direct, 'proxy-test-bucket', 'us-east-1');
        const buckets = await s3.send(new ListBucketsCommand({}));
        assert.ok((buckets.Buckets ?? []).some((bucket) => bucket.Name === 'proxy-test-bucket'));
        const trails = await cloudtrail.send(new DescribeTrailsCommand({}));
        assert.deepEqual(trails.trailList, []);
        assert.equal(proxy.requests, 2);
      } finally {
        s3Direct.destroy();
        s3.destroy();
        cloudtrail.destroy();
        await proxy.close();
      }
    });
  });
});

describe('wire operation names', () => {
  it('names JSON-protocol, S3 sub-resource, S3 Control and ListBuckets requests by IAM action', () => {
    const request = (method: string, url: string, headers: IncomingHttpHeaders = {}): Parameters<typeof wireOperation>[0] => ({ method, url, headers });
    assert.equal(wireOperation(request('POST', '/', { 'x-amz-target': 'CloudTrail_20131101.GetTrailStatus' })), 'cloudtrail:GetTrailStatus');
    assert.equal(wireOperation(request('GET', '/my-bucket?location=')), 's3:GetBucketLocation');
    assert.equal(wireOperation(request('GET', '/my-bucket?policyStatus=')), 's3:GetBucketPolicyStatus');
    assert.equal(wireOperation(request('GET', '/my-bucket/?publicAccessBlock=')), 's3:GetBucketPublicAccessBlock');
    assert.equal(wireOperation(request('GET', '/v20180820/configuration/publicAccessBlock')), 's3:GetAccountPublicAccessBlock');
    assert.equal(wireOperation(request('GET', '/?x-id=ListBuckets')), 's3:ListAllMyBuckets');
    assert.equal(wireOperation(request('POST', '/')), 'query-protocol (sts/ec2)');
    assert.equal(wireOperation(request('POST', '/', { 'x-amz-target': 'Logs_20140328.DescribeMetricFilters' })), 'logs:DescribeMetricFilters');
    assert.equal(wireOperation(request('POST', '/', { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' })), 'cloudwatch:DescribeAlarms');
    const signedFor = (service: string): IncomingHttpHeaders => ({
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
    });
    assert.equal(wireOperation(request('POST', '/', signedFor('sns'))), 'sns:ListSubscriptionsByTopic');
    assert.equal(wireOperation(request('POST', '/', signedFor('sts'))), 'sts:GetCallerIdentity');
    assert.equal(
      wireOperation(request('POST', '/', { 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts' })),
      'organizations:ListAccounts',
    );
  });

  it('names a query-protocol call by the Action of its body when the proxy read it', () => {
    const headers = { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00' };
    const body = (text: string): Buffer => Buffer.from(text);
    assert.equal(wireOperation({ method: 'POST', url: '/', headers }, body('Action=AssumeRole&Version=2011-06-15&RoleArn=x')), 'sts:AssumeRole');
    assert.equal(wireOperation({ method: 'POST', url: '/', headers }, body('Action=GetCallerIdentity&Version=2011-06-15')), 'sts:GetCallerIdentity');
    // An empty body (no Action) falls back to the service's one known call.
    assert.equal(wireOperation({ method: 'POST', url: '/', headers }, body('')), 'sts:GetCallerIdentity');
  });
});
