/**
 * What moto cannot show of the Security Hub import (test/MOTO_GAPS.md): the filters sent to
 * GetFindings (moto ignores them), findings a real filter would have kept out (an aggregation
 * Region's copies, other products), FailedFindings, TooManyRequestsException, a hub that is not
 * enabled (InvalidAccessException: moto imports anyway), failing reads, and the batch limits
 * (moto takes any number per call). aws-sdk-client-mock answers each SecurityHubClient instance as
 * the (account, Region) it stands for; the SDK's own retries do not run here (throttling.test.ts
 * covers those through the real SDK).
 */
import { strict as assert } from 'node:assert';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
  type BatchImportFindingsCommandInput,
  type BatchImportFindingsCommandOutput,
  type GetFindingsCommandInput,
  type GetFindingsCommandOutput,
} from '@aws-sdk/client-securityhub';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { findingKey } from '../../src/securityhub/findingIdentity.js';
import { importToSecurityHub, type ImportTuning } from '../../src/securityhub/importRun.js';
import type { HubAccess, ImportRequest } from '../../src/securityhub/types.js';
import { ACCOUNT, OTHER_ACCOUNT } from '../report/fixtures.js';
import { fullRun, liveContext, trailFinding } from './fixtures.js';

const HUB_REGION = 'us-east-1';
const T1 = new Date('2026-12-01T00:00:00.000Z');
const T2 = new Date('2026-12-02T00:00:00.000Z');

interface Call {
  readonly target: string;
  readonly at: number;
}

/** A Security Hub per (account, Region) that upserts by (ProductArn, Id), with failures on request. */
class FakeHub {
  readonly held = new Map<string, Map<string, AwsSecurityFinding>>();
  readonly getFindings: (Call & { readonly input: GetFindingsCommandInput })[] = [];
  readonly imports: (Call & { readonly input: BatchImportFindingsCommandInput })[] = [];
  /** Findings returned by GetFindings besides the held ones (what a real filter would drop). */
  readonly extra = new Map<string, AwsSecurityFinding[]>();
  readError = new Map<string, Error>();
  importError = new Map<string, Error>();
  /** Ids to list in FailedFindings, per call: returns the ErrorCode or undefined. */
  failing: (id: string, call: number) => string | undefined = () => undefined;
  pageSize = 100;
  /** Replaces the GetFindings answer (after the error check). */
  answer: ((input: GetFindingsCommandInput) => GetFindingsCommandOutput) | undefined;
  /** Replaces the BatchImportFindings answer (after the error check). */
  importAnswer: ((input: BatchImportFindingsCommandInput) => BatchImportFindingsCommandOutput) | undefined;
  private readonly targets = new Map<SecurityHubClient, string>();
  private readonly mock: AwsClientStub<SecurityHubClient>;

  constructor() {
    this.mock = mockClient(SecurityHubClient);
    this.mock.on(GetFindingsCommand).callsFake((input: GetFindingsCommandInput, getClient) => this.read(input, this.targetOf(getClient())));
    this.mock.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput, getClient) => this.write(input, this.targetOf(getClient())));
  }

  restore(): void {
    this.mock.restore();
    for (const client of this.targets.keys()) {
      client.destroy();
    }
  }

  access(failing: ReadonlyMap<string, { code: string; message: string }> = new Map()): HubAccess {
    const clients = new Map<string, SecurityHubClient>();
    return {
      callerAccountId: ACCOUNT,
      partition: 'aws',
      client: (accountId, region) => {
        const denied = failing.get(accountId);
        if (denied !== undefined) {
          return Promise.resolve({ ok: false, ...denied });
        }
        const key = `${accountId}/${region}`;
        let client = clients.get(key);
        if (client === undefined) {
          client = new SecurityHubClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
          clients.set(key, client);
          this.targets.set(client, key);
        }
        return Promise.resolve({ ok: true, client });
      },
      close: () => undefined,
    };
  }

  private targetOf(client: unknown): string {
    const target = this.targets.get(client as SecurityHubClient);
    assert.ok(target !== undefined, 'a client the fake access did not hand out');
    return target;
  }

  private store(target: string): Map<string, AwsSecurityFinding> {
    const store = this.held.get(target) ?? new Map<string, AwsSecurityFinding>();
    this.held.set(target, store);
    return store;
  }

  private read(input: GetFindingsCommandInput, target: string): GetFindingsCommandOutput {
    this.getFindings.push({ target, at: Date.now(), input });
    const error = this.readError.get(target);
    if (error !== undefined) {
      throw error;
    }
    if (this.answer !== undefined) {
      return this.answer(input);
    }
    const all = [...this.store(target).values(), ...(this.extra.get(target) ?? [])];
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const end = start + Math.min(this.pageSize, input.MaxResults ?? 100);
    return { Findings: all.slice(start, end), ...(end < all.length ? { NextToken: String(end) } : {}), $metadata: {} };
  }

  private write(input: BatchImportFindingsCommandInput, target: string): BatchImportFindingsCommandOutput {
    this.imports.push({ target, at: Date.now(), input });
    const error = this.importError.get(target);
    if (error !== undefined) {
      throw error;
    }
    if (this.importAnswer !== undefined) {
      return this.importAnswer(input);
    }
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const finding of input.Findings ?? []) {
      const code = this.failing(finding.Id ?? '', this.imports.length);
      if (code === undefined) {
        this.store(target).set(findingKey(finding), finding);
      } else {
        failed.push({ Id: finding.Id ?? '', ErrorCode: code, ErrorMessage: `${code} for ${finding.Id ?? ''}` });
      }
    }
    return { FailedCount: failed.length, SuccessCount: (input.Findings ?? []).length - failed.length, FailedFindings: failed, $metadata: {} };
  }
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

describe('Security Hub import against AWS behaviour moto lacks (aws-sdk-client-mock)', () => {
  let hub: FakeHub;
  const sleeps: number[] = [];
  const FAST: Partial<ImportTuning> = {
    retry: {
      retries: 3,
      baseDelayMs: 500,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    },
    pacing: { intervalMs: 1, callsPerInterval: 1000, concurrency: 4 },
  };

  beforeEach(() => {
    hub = new FakeHub();
    sleeps.length = 0;
  });
  afterEach(() => {
    hub.restore();
  });

  function request(overrides: Partial<ImportRequest> = {}): ImportRequest {
    return {
      findings: fullRun(ACCOUNT, ['us-east-1']),
      context: liveContext([ACCOUNT], ['us-east-1']),
      accountLevelRegion: HUB_REGION,
      now: T1,
      dryRun: false,
      access: hub.access(),
      ...overrides,
    };
  }

  function manyTrails(count: number, region = 'us-east-1', account = ACCOUNT) {
    return Array.from({ length: count }, (_, index) => trailFinding(`t${String(index).padStart(4, '0')}`, 'FAIL', region, account));
  }

  it('sends the four filters to GetFindings, 100 a page', async () => {
    await importToSecurityHub(request(), FAST);
    const [call] = hub.getFindings;
    assert.ok(call);
    assert.deepEqual(call.input.Filters, {
      ProductArn: [{ Value: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: 'trailaudit/', Comparison: 'PREFIX' }],
      AwsAccountId: [{ Value: ACCOUNT, Comparison: 'EQUALS' }],
      Region: [{ Value: 'us-east-1', Comparison: 'EQUALS' }],
    });
    assert.equal(call.input.MaxResults, 100);
    assert.ok(!('RecordState' in (call.input.Filters ?? {})), 'archived findings are read too (their CreatedAt is kept)');
  });

  it('applies the filters again: another account’s, Region’s, product’s or generator’s finding is never archived', async () => {
    const base = (await importToSecurityHub(request(), FAST)).plan.imports[0];
    assert.ok(base);
    const foreign: AwsSecurityFinding[] = [
      { ...base, Id: 'trailaudit/CloudTrail.1/x/other-account', AwsAccountId: OTHER_ACCOUNT, ProductArn: `arn:aws:securityhub:us-east-1:${OTHER_ACCOUNT}:product/${OTHER_ACCOUNT}/default` },
      // An aggregation Region's copy of eu-west-1's finding.
      { ...base, Id: 'trailaudit/CloudTrail.1/x/aggregated', Region: 'eu-west-1', ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default` },
      { ...base, Id: 'prowler/1', GeneratorId: 'prowler/cloudtrail' },
      { ...base, Id: 'trailaudit/CloudTrail.1/x/partner', ProductArn: 'arn:aws:securityhub:us-east-1::product/prowler/prowler' },
    ];
    hub.extra.set(`${ACCOUNT}/us-east-1`, foreign);
    const ours = { ...base, Id: 'trailaudit/CloudTrail.1/x/gone' };
    hub.extra.get(`${ACCOUNT}/us-east-1`)?.push(ours);
    const outcome = await importToSecurityHub(request({ now: T2 }), FAST);
    assert.deepEqual(
      outcome.plan.archives.map((finding) => finding.Id),
      ['trailaudit/CloudTrail.1/x/gone'],
    );
  });

  it('pages GetFindings to the end and keeps CreatedAt of a finding on the last page', async () => {
    hub.pageSize = 40;
    const findings = manyTrails(130);
    await importToSecurityHub(request({ findings }), FAST);
    hub.getFindings.length = 0;
    const outcome = await importToSecurityHub(request({ findings, now: T2 }), FAST);
    const tokens = hub.getFindings.filter((call) => call.target === `${ACCOUNT}/us-east-1`).map((call) => call.input.NextToken);
    assert.deepEqual(tokens, [undefined, '40', '80', '120']);
    assert.equal(outcome.plan.imports.length, 130);
    assert.ok(outcome.plan.imports.every((finding) => finding.CreatedAt === T1.toISOString()));
  });

  it('a page token that comes back again is a read failure, not an endless loop', async () => {
    hub.answer = () => ({ Findings: [], NextToken: 'same', $metadata: {} });
    const outcome = await importToSecurityHub(request(), FAST);
    assert.ok(outcome.failures.some((failure) => failure.stage === 'read_previous' && /twice/u.test(failure.message)));
    assert.equal(hub.getFindings.length, 2);
    assert.equal(hub.imports.length, 0);
  });

  it('250 findings go in 3 calls of at most 100', async () => {
    const outcome = await importToSecurityHub(request({ findings: manyTrails(250) }), FAST);
    assert.equal(outcome.imported, 250);
    const sizes = hub.imports.map((call) => call.input.Findings?.length ?? 0).sort((a, b) => b - a);
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.equal(outcome.calls.BatchImportFindings, 3);
  });

  it('reports a finding over the per-finding size as a failure with its id, and sends the others', async () => {
    const findings = manyTrails(3);
    const huge = trailFinding('huge', 'FAIL', 'us-east-1', ACCOUNT);
    const big = { ...huge, resource: { ...huge.resource, name: 'x'.repeat(5_000) } };
    const outcome = await importToSecurityHub(request({ findings: [...findings, big] }), {
      ...FAST,
      limits: { maxFindings: 100, maxBatchBytes: 6_000_000, maxFindingBytes: 4_000 },
    });
    assert.equal(outcome.imported, 3);
    assert.equal(outcome.failures.length, 1);
    assert.equal(outcome.failures[0]?.code, 'FindingTooLarge');
    assert.equal(outcome.failures[0].findingIds.length, 1);
    assert.match(outcome.failures[0].findingIds[0] ?? '', /trail\/huge$/u);
  });

  it('retries only the FailedFindings with growing backoff, then reports what still fails with AWS’s code', async () => {
    const findings = manyTrails(5);
    const flaky = 't0001';
    const broken = 't0003';
    hub.failing = (id, call) => {
      if (id.endsWith(broken)) {
        return 'InvalidInput';
      }
      return id.endsWith(flaky) && call === 1 ? 'InternalFailure' : undefined;
    };
    const outcome = await importToSecurityHub(request({ findings, context: liveContext([ACCOUNT], ['us-east-1']), accountLevelRegion: 'us-east-1' }), FAST);
    assert.equal(outcome.imported, 4, 'the flaky one went in on its retry');
    assert.equal(outcome.failures.length, 1);
    const [failure] = outcome.failures;
    assert.equal(failure?.stage, 'import');
    assert.equal(failure.code, 'InvalidInput');
    assert.equal(failure.findingIds.length, 1);
    assert.match(failure.findingIds[0] ?? '', new RegExp(`${broken}$`, 'u'));
    // First call with all 5, then the two failed, then the broken one twice more.
    assert.deepEqual(
      hub.imports.map((call) => call.input.Findings?.length),
      [5, 2, 1, 1],
    );
    // base·2ⁿ·(1 + random)/2 with random 0.5: 0.75 of 500, 1000, 2000 ms.
    assert.deepEqual(sleeps, [375, 750, 1500]);
  });

  it('an archive Security Hub refuses is an archive failure, apart from the imports', async () => {
    const findings = manyTrails(3);
    await importToSecurityHub(request({ findings }), FAST);
    const gone = hub.imports[0]?.input.Findings?.[2]?.Id ?? '';
    assert.match(gone, /t0002$/u);
    hub.failing = (id) => (id === gone ? 'AccessDeniedException' : undefined);
    const outcome = await importToSecurityHub(request({ findings: findings.slice(0, 2), now: T2 }), FAST);
    assert.equal(outcome.imported, 2);
    assert.equal(outcome.archived, 0);
    assert.deepEqual(
      outcome.failures.map((failure) => [failure.stage, failure.code, failure.findingIds]),
      [['archive', 'AccessDeniedException', [gone]]],
    );
  });

  it('a FailedCount larger than the FailedFindings named takes no finding of the call as sent', async () => {
    // Security Hub counts one failure without naming it.
    hub.importAnswer = (input) => ({ FailedCount: 1, SuccessCount: (input.Findings ?? []).length - 1, FailedFindings: [], $metadata: {} });
    const outcome = await importToSecurityHub(request({ findings: manyTrails(4) }), FAST);
    assert.equal(outcome.imported, 0);
    assert.deepEqual(
      outcome.failures.map((failure) => [failure.stage, failure.code, failure.findingIds.length]),
      [['import', 'UnnamedFailedFindings', 4]],
    );
  });

  it('a TooManyRequestsException the SDK could not ride out fails the whole batch with its ids', async () => {
    hub.importError.set(`${ACCOUNT}/us-east-1`, awsError('TooManyRequestsException', 'Rate exceeded'));
    const findings = manyTrails(120);
    const outcome = await importToSecurityHub(request({ findings }), FAST);
    assert.equal(outcome.imported, 0);
    assert.equal(outcome.failures.length, 1);
    assert.equal(outcome.failures[0]?.code, 'TooManyRequestsException');
    assert.equal(outcome.failures[0].findingIds.length, 120);
  });

  it('never archives ahead of the replacement: a move to a --security-hub-region that fails archives nothing in the account', async () => {
    const first = await importToSecurityHub(request(), FAST);
    assert.deepEqual(first.failures, []);
    const accountLevel = first.plan.imports.filter((f) => f.ProductFields?.['trailaudit/ResourceRegion'] === 'global').map((f) => f.Id ?? '');
    assert.ok(accountLevel.length > 0);
    hub.readError.set(`${ACCOUNT}/eu-west-1`, awsError('InvalidAccessException', `Account ${ACCOUNT} is not subscribed to AWS Security Hub`));
    const moved = await importToSecurityHub(request({ accountLevelRegion: 'eu-west-1', now: T2 }), FAST);
    assert.deepEqual(moved.failures.map((f) => `${f.region} ${f.stage}`).sort(), ['eu-west-1 not_enabled', 'us-east-1 archive']);
    assert.deepEqual([...(moved.failures.find((f) => f.stage === 'archive')?.findingIds ?? [])].sort(), [...accountLevel].sort());
    assert.equal(moved.archived, 0);
    const held = [...(hub.held.get(`${ACCOUNT}/us-east-1`)?.values() ?? [])];
    assert.ok(accountLevel.every((id) => held.find((f) => f.Id === id)?.RecordState === 'ACTIVE'), 'the old copies stay ACTIVE');
  });

  it('InvalidAccessException (hub not enabled) is not_enabled there, and the other Region still gets its findings', async () => {
    hub.readError.set(`${ACCOUNT}/eu-west-1`, awsError('InvalidAccessException', `Account ${ACCOUNT} is not subscribed to AWS Security Hub`));
    const regions = ['eu-west-1', 'us-east-1'];
    const findings = fullRun(ACCOUNT, regions);
    const outcome = await importToSecurityHub(request({ findings, context: liveContext([ACCOUNT], regions) }), FAST);
    assert.equal(outcome.failures.length, 1);
    const [failure] = outcome.failures;
    assert.equal(failure?.stage, 'not_enabled');
    assert.equal(failure.region, 'eu-west-1');
    assert.equal(failure.findingIds.length, findings.filter((finding) => finding.resource.region === 'eu-west-1').length);
    assert.ok(hub.imports.every((call) => call.target === `${ACCOUNT}/us-east-1`));
    assert.equal(outcome.imported, findings.length - failure.findingIds.length);
  });

  it('a GetFindings failure sends nothing to that target (a blind import would reset CreatedAt)', async () => {
    const regions = ['eu-west-1', 'us-east-1'];
    const findings = fullRun(ACCOUNT, regions);
    hub.readError.set(`${ACCOUNT}/us-east-1`, awsError('AccessDeniedException', 'not authorized to perform securityhub:GetFindings'));
    const notices: string[] = [];
    const outcome = await importToSecurityHub(request({ findings, context: liveContext([ACCOUNT], regions), onNotice: (line) => notices.push(line) }), FAST);
    assert.ok(hub.imports.length > 0);
    assert.ok(hub.imports.every((call) => call.target === `${ACCOUNT}/eu-west-1`));
    assert.deepEqual(
      outcome.failures.map((failure) => [failure.stage, failure.code, failure.region]),
      [['read_previous', 'AccessDeniedException', 'us-east-1']],
    );
    // The account-level finding goes to us-east-1 too: it is among those not imported.
    assert.equal(outcome.failures[0]?.findingIds.length, findings.filter((finding) => finding.resource.region !== 'eu-west-1').length);
    assert.ok(outcome.plan.imports.every((finding) => finding.Region === 'eu-west-1'));
    assert.equal(notices.length, 2);
    assert.ok(notices.some((line) => line.startsWith(`${ACCOUNT} us-east-1: nothing sent`)));
  });

  it('an account without a client is an access failure naming the role', async () => {
    const findings = [...fullRun(ACCOUNT, ['us-east-1']), ...fullRun(OTHER_ACCOUNT, ['us-east-1'])];
    const denied = new Map([[OTHER_ACCOUNT, { code: 'AccessDenied', message: `Role arn:aws:iam::${OTHER_ACCOUNT}:role/Audit could not be assumed` }]]);
    const outcome = await importToSecurityHub(
      request({ findings, context: liveContext([ACCOUNT, OTHER_ACCOUNT], ['us-east-1']), access: hub.access(denied) }),
      FAST,
    );
    assert.equal(outcome.failures.length, 1);
    assert.equal(outcome.failures[0]?.stage, 'access');
    assert.match(outcome.failures[0].message, /role\/Audit/u);
    assert.equal(outcome.imported, findings.length / 2);
  });

  it('paces each (account, Region) under 10 calls in any second, GetFindings and imports together', async function () {
    this.timeout(20_000);
    // 1,250 findings in one target: 1 GetFindings + 13 imports = 14 calls at the default pace.
    const outcome = await importToSecurityHub(request({ findings: manyTrails(1_250) }), { retry: FAST.retry });
    assert.equal(outcome.imported, 1_250);
    const starts = [...hub.getFindings, ...hub.imports].filter((call) => call.target === `${ACCOUNT}/us-east-1`).map((call) => call.at).sort((a, b) => a - b);
    assert.equal(starts.length, 14);
    for (let index = 0; index < starts.length; index += 1) {
      const inWindow = starts.filter((at) => at >= (starts[index] ?? 0) && at < (starts[index] ?? 0) + 1_000).length;
      assert.ok(inWindow < 10, `${String(inWindow)} calls within 1 s from call ${String(index)}`);
    }
  });
});
