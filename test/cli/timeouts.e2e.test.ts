/**
 * The built CLI against endpoints that never answer, stall, refuse or answer garbage (loopback
 * servers: moto cannot hang), against moto behind a proxy that stalls one operation (--timeout),
 * and with credentials that cannot be used. Every run must end in bounded time with the
 * documented exit code, a clear message, no stack trace and earlier reports left alone.
 * Per-attempt timeouts are set to 200 ms through the hidden options so the tests stay fast.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { refusedPort, startFaultyEndpoint, startStallingProxy, type Fault } from '../helpers/faultyEndpoint.js';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { runCli } from './runCli.js';

const FAST = ['--connect-timeout-ms', '200', '--response-timeout-ms', '200'];
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/mu;

describe('CLI time bounds and credentials', function () {
  this.timeout(60_000);
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-timeouts-'));
    mkdirSync(join(work, 'out'));
    writeFileSync(join(work, 'out', 'trailaudit.json'), 'previous report\n');
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const previousReportIntact = (): void => {
    assert.equal(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8'), 'previous report\n');
  };

  for (const fault of ['silent', 'headers-then-stall', 'garbage', 'refused'] as const satisfies readonly (Fault | 'refused')[]) {
    it(`exits 2 naming the identity call, the endpoint and what happened when the endpoint is ${fault}`, async () => {
      const endpoint = fault === 'refused' ? null : await startFaultyEndpoint(fault);
      const url = endpoint?.url ?? `http://127.0.0.1:${String(await refusedPort())}`;
      try {
        const started = Date.now();
        const result = await runCli(['audit', '--endpoint-url', url, '--regions', 'us-east-1,eu-west-1', '--output-dir', 'out', '--format', 'json', ...FAST], { cwd: work });
        const elapsed = Date.now() - started;
        assert.equal(result.code, 2, result.stderr);
        assert.ok(result.stderr.includes(`sts:GetCallerIdentity in us-east-1 at ${url}`), result.stderr);
        const what = { silent: /got no answer in time \(3 attempts\)/u, 'headers-then-stall': /got no answer in time/u, garbage: /parse|XML/iu, refused: /ECONNREFUSED/u }[fault];
        assert.match(result.stderr, what);
        assert.doesNotMatch(result.stderr, STACK_LINE);
        // 3 attempts of 200 ms, plus Node start-up: far from the default timeouts.
        assert.ok(elapsed < 15_000, `${String(elapsed)} ms`);
        previousReportIntact();
      } finally {
        await endpoint?.close();
      }
    });
  }

  it('exits 2 for an unknown --profile, naming it and the files looked at, before any call', async () => {
    writeFileSync(join(work, 'credentials'), '[auditor]\naws_access_key_id = A\naws_secret_access_key = B\n');
    const result = await runCli(['audit', '--profile', 'nope', '--endpoint-url', 'http://127.0.0.1:9', '--regions', 'eusc-de-east-1,us-isob-east-1', '--output-dir', 'out'], {
      cwd: work,
      env: { AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'), AWS_CONFIG_FILE: join(work, 'config') },
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /The profile "nope" given with --profile does not exist/u);
    assert.ok(result.stderr.includes(join(work, 'credentials')) && result.stderr.includes(join(work, 'config')), result.stderr);
    // Region names of every partition pass the syntax check (the profile is what failed).
    assert.doesNotMatch(result.stderr, /not an AWS Region name/u);
    previousReportIntact();
  });

  it('rejects a --timeout that is not a number of seconds', async () => {
    const result = await runCli(['audit', '--timeout', 'soon', '--output-dir', 'out'], { cwd: work });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--timeout/u);
  });

  describe('against moto', () => {
    const moto = useMoto();

    async function seedTrail(): Promise<void> {
      const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
      await new S3Client({ ...config, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
      const trails = new CloudTrailClient(config);
      await trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-logs', IsMultiRegionTrail: true }));
      await trails.send(new StartLoggingCommand({ Name: 'main' }));
    }

    it('--timeout: calls not answered by the deadline are UNKNOWN (timeout), reports are written, exit 3, stderr says so', async () => {
      await seedTrail();
      const proxy = await startStallingProxy(moto.endpoint, (request) => String(request.headers['x-amz-target']).endsWith('.GetTrailStatus'));
      try {
        const started = Date.now();
        const result = await runCli(
          ['audit', '--endpoint-url', proxy.url, '--regions', 'us-east-1', '--checks', 'CloudTrail.1,CloudTrail.3', '--format', 'json,markdown', '--output-dir', 'out', '--timeout', '3'],
          { cwd: work },
        );
        const elapsed = Date.now() - started;
        assert.equal(result.code, 3, result.stderr);
        assert.ok(proxy.hits() >= 1, 'GetTrailStatus reached the stalling endpoint');
        assert.match(result.stderr, /the --timeout of 3 s passed before every AWS call was answered/u);
        assert.doesNotMatch(result.stderr, STACK_LINE);
        assert.ok(elapsed < 20_000, `${String(elapsed)} ms`);
        const report = JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as {
          scope: { principalArn?: string };
          findings: { checkId: string; status: string; reason: string | null; message: string }[];
        };
        const unknown = report.findings.filter((finding) => finding.status === 'UNKNOWN');
        assert.ok(unknown.length >= 2, JSON.stringify(report.findings));
        for (const finding of unknown) {
          assert.equal(finding.reason, 'timeout');
          assert.match(finding.message, /cloudtrail:GetTrailStatus .* in us-east-1 was not answered before the run's --timeout of 3 s passed/u);
        }
        assert.equal(report.findings.filter((finding) => finding.status === 'PASS').length, 0, 'nothing passes on an unanswered call');
        assert.match(report.scope.principalArn ?? '', /^arn:aws:(iam|sts)::123456789012:/u);
        const markdown = readFileSync(join(work, 'out', 'trailaudit.md'), 'utf8');
        assert.ok(markdown.includes(`| Audited by | \`${report.scope.principalArn ?? ''}\` |`), markdown.slice(0, 1500));
      } finally {
        await proxy.close();
      }
    });

    it('the same audit without a stall passes (the deadline changes nothing when met); its snapshot keeps the principal', async () => {
      await seedTrail();
      const result = await runCli(
        ['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--checks', 'CloudTrail.1,CloudTrail.3', '--format', 'json', '--output-dir', 'out', '--timeout', '30', '--save-snapshot', 'facts.json'],
        { cwd: work },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /--timeout/u);
      const principalOf = (): string | undefined =>
        (JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as { scope: { principalArn?: string } }).scope.principalArn;
      const audited = principalOf();
      assert.match(audited ?? '', /^arn:aws:/u);
      const evaluated = await runCli(['evaluate', 'facts.json', '--checks', 'CloudTrail.1,CloudTrail.3', '--format', 'json', '--output-dir', 'out'], { cwd: work });
      assert.equal(evaluated.code, 0, evaluated.stderr);
      assert.equal(principalOf(), audited);
    });
  });
});
