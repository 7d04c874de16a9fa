/**
 * The Lambda handlers run in-process against a real moto_server that is one organization (the
 * management account, moto's own, and four members created with CreateAccount), in the order the
 * state machine runs them (deploy/aws/statemachine.asl.json): listAccounts → auditAccounts on two
 * batches → recordFailure for a third batch (what the Map's Catch calls when a batch's Lambda
 * fails) → reduce. moto cannot run the state machine itself with ItemBatcher or Lambda code
 * (test/MOTO_GAPS.md), so the events are the shapes Step Functions hands the handlers.
 */
import { strict as assert } from 'node:assert';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { auditAccounts, listAccounts, recordFailure, reduce } from '../../src/lambda/index.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, s3Client } from '../../support/moto/clients.js';
import { enableSecurityHub, heldFindings } from '../../support/moto/securityHub.js';
import { useMoto } from '../../support/moto/mocha.js';
import { memberClientConfig, seedOrganization, type SeededOrganization } from '../../support/moto/organization.js';
import { BUCKET, handlerEnvironment, keysUnder, PREFIX, readText, REGION, setEnvironment, trailIn } from './motoRun.js';


interface ReportFinding {
  readonly checkId: string;
  readonly status: string;
  readonly reason: string | null;
  readonly message: string;
  readonly resource: { readonly id: string; readonly accountId?: string };
}

interface JsonReport {
  readonly scope: { readonly accounts: string[]; readonly organization: { readonly unreachable: { accountId: string; reason: string; message: string }[] } };
  readonly findings: ReportFinding[];
  readonly summary: Record<string, number>;
}

type Credentials = { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };

/** Everything Security Hub holds for the account in the Region, every page (moto applies no filter). */
async function hubFindings(endpoint: string, credentials: Credentials): Promise<AwsSecurityFinding[]> {
  return heldFindings(endpoint, REGION, credentials);
}

describe('Lambda handlers (moto organization, in-process)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let restore: () => void;
  let seeded: SeededOrganization;
  let s3: S3Client;

  beforeEach(async () => {
    // The handlers read their settings and credentials from the environment, as in Lambda.
    restore = setEnvironment(handlerEnvironment(moto.endpoint));
    seeded = await seedOrganization(moto.endpoint, { accounts: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] });
    s3 = s3Client(moto.endpoint, REGION);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await trailIn({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS }, 'management-trail');
    await trailIn(await memberClientConfig(moto.endpoint, REGION, seeded.accountId('a')), 'member-a-trail');
  });

  afterEach(() => {
    s3.destroy();
    restore();
  });

  it('lists, audits two batches, records a failed third, and reduces: every account reported, the failed ones UNKNOWN', async () => {
    const listed = await listAccounts({ runId: 'run-1' });
    const all = [MOTO_ACCOUNT_ID, ...seeded.accounts.map((account) => account.id)].sort();
    assert.deepEqual({ ...listed }, { runId: 'run-1', bucket: BUCKET, prefix: PREFIX, key: `${PREFIX}/runs/run-1/accounts.json`, count: 5, skipped: 0, batching: { maxItemsPerBatch: 25, maxConcurrency: 40, toleratedFailurePercentage: 100 } });
    const items = JSON.parse(await readText(s3, listed.key)) as { id: string; name: string; member: boolean }[];
    assert.deepEqual(items.map((item) => item.id), all);
    assert.ok(items.every((item) => item.member), 'every discovered account is listed as a member');
    assert.equal(items.find((item) => item.id === seeded.accountId('a'))?.name, 'a');

    // The Map's ItemBatcher: MaxItemsPerBatch 2 over five accounts.
    const [first, second, third] = [items.slice(0, 2), items.slice(2, 4), items.slice(4)];
    const batchInput = { runId: listed.runId };
    const results = [await auditAccounts({ Items: first, BatchInput: batchInput }), await auditAccounts({ Items: second, BatchInput: batchInput })];
    for (const [index, result] of results.entries()) {
      assert.equal(result.accounts, 2);
      assert.equal(result.unreachable, 0);
      // Counts only: a state's payload is limited to 256 KB, facts go to S3.
      assert.ok(JSON.stringify(result).length < 300, JSON.stringify(result));
      assert.equal(result.key, `${PREFIX}/runs/run-1/snapshots/${(index === 0 ? first : second)[0]?.id ?? ''}-2.json`);
    }
    const failed = third.map((item) => item.id);
    const recorded = await recordFailure({
      Items: third,
      BatchInput: batchInput,
      error: { Error: 'States.Timeout', Cause: JSON.stringify({ errorMessage: 'Task timed out after 900.00 seconds' }) },
    });
    assert.deepEqual({ accounts: recorded.accounts, unreachable: recorded.unreachable }, { accounts: 1, unreachable: 1 });

    const reduced = await reduce({ runId: listed.runId });
    assert.equal(reduced.accounts, 5);
    assert.equal(reduced.unreachableAccounts, 1);
    assert.equal(reduced.exitCode, 1, 'CloudTrail.2/4 FAIL on the trails without KMS or validation');
    assert.equal(reduced.result, 'failures');
    const reportKeys = await keysUnder(s3, `${PREFIX}/runs/run-1/reports/`);
    assert.deepEqual(reportKeys, ['trailaudit.asff.json', 'trailaudit.json', 'trailaudit.junit.xml', 'trailaudit.md'].map((name) => `${PREFIX}/runs/run-1/reports/${name}`));
    assert.deepEqual(await keysUnder(s3, `${PREFIX}/latest/`), ['trailaudit.asff.json', 'trailaudit.json', 'trailaudit.junit.xml', 'trailaudit.md'].map((name) => `${PREFIX}/latest/${name}`));

    const report = JSON.parse(await readText(s3, `${PREFIX}/runs/run-1/reports/trailaudit.json`)) as JsonReport;
    assert.equal(await readText(s3, `${PREFIX}/latest/trailaudit.json`), await readText(s3, `${PREFIX}/runs/run-1/reports/trailaudit.json`));
    const byAccount = (id: string): ReportFinding[] => report.findings.filter((finding) => finding.resource.accountId === id);
    // No account dropped: each has its CloudTrail.1 finding.
    for (const id of all) {
      assert.ok(byAccount(id).some((finding) => finding.checkId === 'CloudTrail.1'), `CloudTrail.1 for ${id}`);
    }
    for (const id of failed) {
      assert.ok(byAccount(id).length > 0);
      for (const finding of byAccount(id)) {
        assert.equal(finding.status, 'UNKNOWN', `${finding.checkId} of the failed batch's ${id}`);
        assert.equal(finding.reason, 'error');
        assert.match(finding.message, /the batch auditing it failed \(States\.Timeout: Task timed out after 900\.00 seconds\), not its role/u);
      }
    }
    // Listed among the accounts not entered, with the batch's failure as the reason given.
    assert.deepEqual(report.scope.organization.unreachable.map((entry) => [entry.accountId, entry.reason]), failed.map((id) => [id, 'error']));
    assert.ok(report.scope.organization.unreachable.every((entry) => /the batch auditing it failed .*not its role/u.test(entry.message)));
    // The audited accounts got real verdicts: a logging multi-Region trail of their own passes.
    // One without a trail is not a FAIL: the failed batch's account may own an organization
    // trail covering it, so its coverage is UNKNOWN (facts/accountView.ts), never guessed.
    const withTrail = new Set([MOTO_ACCOUNT_ID, seeded.accountId('a')]);
    for (const id of all.filter((candidate) => !failed.includes(candidate))) {
      const finding = byAccount(id).find((candidate) => candidate.checkId === 'CloudTrail.1');
      assert.ok(finding, `CloudTrail.1 of ${id}`);
      assert.equal(finding.status, withTrail.has(id) ? 'PASS' : 'UNKNOWN', `CloudTrail.1 of ${id}`);
      if (!withTrail.has(id)) {
        assert.match(finding.message, new RegExp(`trails of account\\(s\\) ${failed.join(', ')} of the organization are not in these facts`, 'u'));
      }
    }
    assert.equal(reduced.counts.UNKNOWN, report.summary.UNKNOWN);
    assert.equal(reduced.counts.FAIL, report.summary.FAIL);
    // The Markdown says the batch failed, not that the role could not be assumed (its role was never tried).
    const markdown = await readText(s3, `${PREFIX}/runs/run-1/reports/trailaudit.md`);
    assert.match(markdown, /\| Not entered \(role failed\) \| 0 \|/u);
    assert.match(markdown, /\| Not entered \(batch failed\) \| 1 \|/u);
    assert.match(markdown, /The batch auditing 1 account failed or left no snapshot/u);
    assert.doesNotMatch(markdown, /could not be assumed in/u);
    // The coverage line too.
    assert.match(markdown, /0 not audited: role failed, 1 not audited: batch failed/u);
  });

  it('reports the accounts of a batch that left no snapshot at all as unreachable, saying their batch left none: accounts.json is the scope', async () => {
    const listed = await listAccounts({ runId: 'run-2' });
    const items = JSON.parse(await readText(s3, listed.key)) as { id: string }[];
    await auditAccounts({ Items: items.slice(0, 2), BatchInput: { runId: listed.runId } });
    const reduced = await reduce({ runId: listed.runId, formats: ['json', 'markdown'] });
    assert.equal(reduced.exitCode === 1 || reduced.exitCode === 3, true);
    assert.equal(reduced.unreachableAccounts, 3);
    const report = JSON.parse(await readText(s3, `${PREFIX}/runs/run-2/reports/trailaudit.json`)) as JsonReport;
    const missing = items.slice(2).map((item) => item.id);
    // The same accounts as Reduce's count: listed among those not entered, not silently absent.
    assert.deepEqual(report.scope.organization.unreachable.map((entry) => entry.accountId).sort(), [...missing].sort());
    for (const entry of report.scope.organization.unreachable) {
      assert.equal(entry.reason, 'error');
      assert.match(entry.message, new RegExp(`^Account ${entry.accountId} was not audited: the batch that was to audit it left no snapshot under s3://${BUCKET}/${PREFIX}/runs/run-2/snapshots/`, 'u'));
    }
    for (const id of missing) {
      // Its own verdicts (one UNKNOWN per check at the account). A resource it owns may also be
      // judged from an audited account's side (the organization trail of the management account,
      // seen by a member: NOT_APPLICABLE there) — which accounts miss their batch depends on moto's
      // random account ids — but never PASS.
      const all = report.findings.filter((finding) => finding.resource.accountId === id);
      assert.ok(!all.some((finding) => finding.status === 'PASS'), `${id}: no PASS`);
      const findings = all.filter((finding) => finding.resource.id === id);
      assert.ok(findings.length > 0, `${id} reported`);
      for (const finding of findings) {
        assert.equal(finding.status, 'UNKNOWN', `${id} UNKNOWN`);
        assert.equal(finding.reason, 'error');
        // Not the CLI's hint for a shard evaluated alone: there is no shard to add in the Lambda.
        assert.match(finding.message, /left no snapshot/u);
        assert.doesNotMatch(finding.message, /evaluate every shard/u);
      }
    }
    // The Markdown coverage line counts them: five accounts, three not audited.
    const markdown = await readText(s3, `${PREFIX}/runs/run-2/reports/trailaudit.md`);
    assert.match(markdown, /, 0 not audited: role failed, 3 not audited: batch failed/u);
  });

  /** A run of every account in two batches of up to three (run ids differ, so do their facts' times). */
  const fullRun = async (runId: string): Promise<void> => {
    const listed = await listAccounts({ runId });
    const items = JSON.parse(await readText(s3, listed.key)) as { id: string }[];
    for (let start = 0; start < items.length; start += 3) {
      await auditAccounts({ Items: items.slice(start, start + 3), BatchInput: { runId } });
    }
  };
  const latestNames = async (): Promise<string[]> => (await keysUnder(s3, `${PREFIX}/latest/`)).map((key) => key.slice(`${PREFIX}/latest/`.length));

  it('never rolls latest/ back: the reduce of a run whose facts were collected earlier keeps the newer run there', async () => {
    await fullRun('older');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fullRun('newer');
    // Step Functions redrive or overlapping executions: the newer run's Reduce finishes first.
    const newer = await reduce({ runId: 'newer' });
    assert.equal(newer.latest, 'updated');
    const newerJson = await readText(s3, `${PREFIX}/runs/newer/reports/trailaudit.json`);
    const older = await reduce({ runId: 'older' });
    assert.equal(older.latest, 'kept_newer');
    // The older run's own reports are written; latest/ is still the newer run's, every format of it.
    assert.equal(await readText(s3, `${PREFIX}/runs/older/reports/trailaudit.json`) === newerJson, false);
    assert.equal(await readText(s3, `${PREFIX}/latest/trailaudit.json`), newerJson);
    for (const name of ['trailaudit.md', 'trailaudit.junit.xml', 'trailaudit.asff.json']) {
      assert.equal(await readText(s3, `${PREFIX}/latest/${name}`), await readText(s3, `${PREFIX}/runs/newer/reports/${name}`), name);
    }
    // The same run reduced again (a retry) replaces its own reports.
    assert.equal((await reduce({ runId: 'newer' })).latest, 'updated');

    // A latest/trailaudit.json without the metadata reduce writes (an earlier version, or copied by
    // hand) is judged by its own collectedAt, else its startedAt; one saying no time is replaced.
    const put = async (body: string): Promise<void> => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/latest/trailaudit.json`, Body: body }));
    };
    await put(JSON.stringify({ collectedAt: '2999-01-01T00:00:00.000Z', startedAt: '2000-01-01T00:00:00.000Z' }));
    assert.equal((await reduce({ runId: 'newer' })).latest, 'kept_newer');
    await put(JSON.stringify({ startedAt: '2999-01-01T00:00:00.000Z' }));
    assert.equal((await reduce({ runId: 'newer' })).latest, 'kept_newer');
    await put(JSON.stringify({ startedAt: '2000-01-01T00:00:00.000Z' }));
    assert.equal((await reduce({ runId: 'newer' })).latest, 'updated');
    await put('not json');
    assert.equal((await reduce({ runId: 'newer' })).latest, 'updated');
    assert.equal(await readText(s3, `${PREFIX}/latest/trailaudit.json`), await readText(s3, `${PREFIX}/runs/newer/reports/trailaudit.json`));
  });

  it('appends each reduced run to an S3 history (TRAILAUDIT_HISTORY): the second run\'s reports carry firstSeen, failingSince and the trend', async () => {
    const history = `s3://${BUCKET}/${PREFIX}/history`;
    await fullRun('first');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fullRun('second');
    process.env.TRAILAUDIT_HISTORY = history;
    try {
      const first = await reduce({ runId: 'first', formats: 'json' });
      assert.deepEqual(first.history, { location: history, appended: true, failed: false, reports: 'this_run' });
      const second = await reduce({ runId: 'second', formats: 'json' });
      assert.deepEqual(second.history, { location: history, appended: true, failed: false, reports: 'this_run' });
      interface HistoryReport {
        collectedAt: string;
        history?: { runs: { count: number } };
        findings: (ReportFinding & { firstSeen?: string; failingSince?: string })[];
      }
      const report = async (runId: string): Promise<HistoryReport> => JSON.parse(await readText(s3, `${PREFIX}/runs/${runId}/reports/trailaudit.json`)) as HistoryReport;
      const [one, two] = [await report('first'), await report('second')];
      assert.equal(two.history?.runs.count, 2);
      const failing = two.findings.filter((finding) => finding.status === 'FAIL');
      assert.ok(failing.length > 0);
      for (const finding of failing) {
        assert.equal(finding.firstSeen, one.collectedAt, finding.checkId);
        assert.equal(finding.failingSince, one.collectedAt, finding.checkId);
      }
      const stored = await keysUnder(s3, `${PREFIX}/history/`);
      assert.equal(stored.length, 3, stored.join(', '));
      assert.ok(stored.includes(`${PREFIX}/history/index.json`));
      // A retried Reduce of the newest run, or an older run's finishing late: reports written, the history not appended to.
      const index = await readText(s3, `${PREFIX}/history/index.json`);
      const retried = await reduce({ runId: 'second', formats: 'json' });
      assert.deepEqual({ ...retried.history, message: undefined }, { location: history, appended: false, failed: false, reason: 'already_recorded', message: undefined, reports: 'first_attempt' });
      const late = await reduce({ runId: 'first', formats: 'json' });
      // 'first' is in the history too (a redrive of its execution): its first reports are kept as well.
      assert.deepEqual({ ...late.history, message: undefined }, { location: history, appended: false, failed: false, reason: 'already_recorded', message: undefined, reports: 'first_attempt' });
      assert.equal(await readText(s3, `${PREFIX}/history/index.json`), index);
      assert.equal((await keysUnder(s3, `${PREFIX}/history/`)).length, 3);
      // A history that would hold the runs' own folders is refused before anything is read.
      await assert.rejects(reduce({ runId: 'second', history: `s3://${BUCKET}/${PREFIX}` }), /history \/ TRAILAUDIT_HISTORY: .* overlaps the runs' own folders/u);
      await assert.rejects(reduce({ runId: 'second', history: '/tmp/history' }), /must be an s3:\/\/bucket\/prefix URL/u);
    } finally {
      Reflect.deleteProperty(process.env, 'TRAILAUDIT_HISTORY');
    }
  });

  it('replaces latest/ as a whole set: report files of formats the run did not write are removed, other files kept', async () => {
    await fullRun('all-formats');
    await reduce({ runId: 'all-formats' });
    assert.deepEqual(await latestNames(), ['trailaudit.asff.json', 'trailaudit.json', 'trailaudit.junit.xml', 'trailaudit.md']);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/latest/notes.txt`, Body: 'ours' }));
    await fullRun('markdown-only');
    const reduced = await reduce({ runId: 'markdown-only', formats: 'markdown' });
    assert.equal(reduced.latest, 'updated');
    assert.deepEqual(await latestNames(), ['notes.txt', 'trailaudit.json', 'trailaudit.md']);
    assert.equal(await readText(s3, `${PREFIX}/latest/trailaudit.md`), await readText(s3, `${PREFIX}/runs/markdown-only/reports/trailaudit.md`));
  });

  it('refuses Regions of another partition than the caller\'s, and a run id whose batches already wrote', async () => {
    await assert.rejects(listAccounts({ runId: 'china', regions: 'us-east-1,cn-north-1' }), /regions \/ TRAILAUDIT_REGIONS: cn-north-1 is not a Region of partition aws/u);
    await assert.rejects(listAccounts({ runId: 'gov', execution: { regions: ['us-gov-west-1'] } }), /us-gov-west-1 is not a Region of partition aws/u);
    assert.deepEqual(await keysUnder(s3, `${PREFIX}/runs/china/`), [], 'nothing written for a refused run');
    // Step Functions retries or redrives ListAccounts under the same execution name: allowed while
    // no batch wrote; once one did, the id is taken (its snapshots belong to the first list).
    await listAccounts({ runId: 'once' });
    await listAccounts({ runId: 'once' });
    const items = JSON.parse(await readText(s3, `${PREFIX}/runs/once/accounts.json`)) as { id: string }[];
    await auditAccounts({ Items: items.slice(0, 1), BatchInput: { runId: 'once' } });
    await assert.rejects(listAccounts({ runId: 'once' }), /runId once: s3:\/\/audit-runs\/trailaudit\/runs\/once\/ already holds files of a run that was audited \(trailaudit\/runs\/once\/snapshots\//u);
    // Security Hub's Region for account-level findings: of the run's partition too.
    await assert.rejects(reduce({ runId: 'once', securityHub: { enabled: true, region: 'cn-north-1' } }), /securityHub\.region \/ TRAILAUDIT_SECURITY_HUB_REGION: cn-north-1 is not a Region of partition aws/u);
  });

  it('takes overrides from the execution\'s input; refuses a batch naming an account outside the run\'s list, and a run id that is not one', async () => {
    // A run started by hand: the execution's input overrides the environment for that run.
    const listed = await listAccounts({ runId: 'run-3', execution: { maxConcurrency: 5, checks: ['CloudTrail.1'] } });
    assert.deepEqual(listed.batching, { maxItemsPerBatch: 25, maxConcurrency: 5, toleratedFailurePercentage: 100 });
    const run = JSON.parse(await readText(s3, `${PREFIX}/runs/run-3/run.json`)) as { settings: { checks: string[]; regions: string[] } };
    assert.deepEqual(run.settings.checks, ['CloudTrail.1']);
    assert.deepEqual(run.settings.regions, [REGION]);
    await assert.rejects(auditAccounts({ Items: [{ id: '999999999999', name: '', member: true }], BatchInput: { runId: listed.runId } }), /not in the run's accounts\.json: 999999999999/u);
    await assert.rejects(reduce({ runId: 'no/such run' }), /runId must be/u);
    await assert.rejects(reduce({ runId: 'never-listed' }), /could not read s3:\/\/audit-runs\/trailaudit\/runs\/never-listed\/(run|accounts)\.json/u);
  });

  it('imports the reduced findings into each account\'s Security Hub once, and a second run adds no duplicate', async () => {
    const all = [MOTO_ACCOUNT_ID, ...seeded.accounts.map((account) => account.id)].sort();
    const credentials = new Map<string, Credentials>([[MOTO_ACCOUNT_ID, MOTO_CREDENTIALS]]);
    for (const account of seeded.accounts) {
      credentials.set(account.id, (await memberClientConfig(moto.endpoint, REGION, account.id)).credentials);
    }
    for (const id of all) {
      await enableSecurityHub(moto.endpoint, [REGION], credentials.get(id));
    }
    const auditRun = async (runId: string): Promise<Awaited<ReturnType<typeof reduce>>> => {
      const listed = await listAccounts({ runId });
      const items = JSON.parse(await readText(s3, listed.key)) as { id: string }[];
      for (let start = 0; start < items.length; start += 2) {
        await auditAccounts({ Items: items.slice(start, start + 2), BatchInput: { runId } });
      }
      return reduce({ runId, formats: 'json', securityHub: { enabled: true } });
    };
    const first = await auditRun('hub-1');
    assert.ok(first.securityHub, 'imported');
    assert.deepEqual(first.securityHub.failures, []);
    assert.equal(first.exitCode, 1);
    const report = JSON.parse(await readText(s3, `${PREFIX}/runs/hub-1/reports/trailaudit.json`)) as { findings: ReportFinding[] };
    const expected = (id: string): number => report.findings.filter((finding) => finding.resource.accountId === id && finding.status !== 'NOT_APPLICABLE').length;
    const status = { PASS: 'PASSED', FAIL: 'FAILED', UNKNOWN: 'NOT_AVAILABLE' } as const;
    let total = 0;
    for (const id of all) {
      const held = await hubFindings(moto.endpoint, credentials.get(id) ?? MOTO_CREDENTIALS);
      assert.ok(expected(id) > 0);
      assert.equal(held.length, expected(id), `findings of ${id}`);
      assert.equal(new Set(held.map((finding) => finding.Id)).size, held.length, 'each once');
      for (const finding of held) {
        // From the finding's own account, under its own default product.
        assert.equal(finding.AwsAccountId, id);
        assert.equal(finding.ProductArn, `arn:aws:securityhub:${REGION}:${id}:product/${id}/default`);
        assert.match(finding.GeneratorId ?? '', /^trailaudit\/(CloudTrail\.[124])$/u);
      }
      const checkOne = held.find((finding) => finding.GeneratorId === 'trailaudit/CloudTrail.1');
      const reported = report.findings.find((finding) => finding.resource.accountId === id && finding.checkId === 'CloudTrail.1');
      assert.ok(checkOne && reported);
      assert.equal(checkOne.Compliance?.Status, status[reported.status as keyof typeof status]);
      total += held.length;
    }
    assert.equal(first.securityHub.imported, total);

    const second = await auditRun('hub-2');
    assert.deepEqual(second.securityHub?.failures, []);
    for (const id of all) {
      assert.equal((await hubFindings(moto.endpoint, credentials.get(id) ?? MOTO_CREDENTIALS)).length, expected(id), `no duplicate in ${id}`);
    }
  });

  it('returns exit code 2 with the failures when Security Hub refuses the findings, after writing the reports', async () => {
    // moto imports into a hub that was never enabled; AWS answers InvalidAccessException. Only
    // Security Hub is mocked (aws-sdk-client-mock): S3, Organizations, STS and CloudTrail stay moto.
    const hub = mockClient(SecurityHubClient);
    try {
      const notSubscribed = Object.assign(new Error('Account is not subscribed to AWS Security Hub'), { name: 'InvalidAccessException', $metadata: { httpStatusCode: 401 } });
      hub.on(GetFindingsCommand).rejects(notSubscribed);
      hub.on(BatchImportFindingsCommand).rejects(notSubscribed);
      const listed = await listAccounts({ runId: 'hub-off' });
      const items = JSON.parse(await readText(s3, listed.key)) as { id: string }[];
      await auditAccounts({ Items: items, BatchInput: { runId: listed.runId } });
      const reduced = await reduce({ runId: listed.runId, formats: 'json', securityHub: { enabled: true } });
      assert.equal(reduced.exitCode, 2);
      assert.equal(reduced.result, 'import_failed');
      assert.ok(reduced.securityHub);
      assert.equal(reduced.securityHub.imported, 0);
      assert.equal(reduced.securityHub.failureCount, reduced.securityHub.failures.length);
      assert.deepEqual([...new Set(reduced.securityHub.failures.map((failure) => failure.stage))], ['not_enabled']);
      assert.deepEqual([...new Set(reduced.securityHub.failures.map((failure) => failure.accountId))].sort(), items.map((item) => item.id).sort());
      // The reports were written first: the run's product does not depend on Security Hub.
      assert.deepEqual(await keysUnder(s3, `${PREFIX}/runs/hub-off/reports/`), [`${PREFIX}/runs/hub-off/reports/trailaudit.json`]);
      assert.equal(hub.commandCalls(BatchImportFindingsCommand).length, 0, 'nothing sent where the previous findings could not be read');
    } finally {
      hub.restore();
    }
  });
});
