/**
 * The Security Hub import end to end on moto_server: real BatchImportFindings (upsert by Id) and
 * GetFindings (paged). moto ignores every GetFindings filter and keeps Regions and accounts apart,
 * which is what these tests read back through; filters, throttling, FailedFindings and a hub that
 * is not enabled are AWS behaviours moto lacks (importRun.mock.test.ts, test/MOTO_GAPS.md).
 */
import { strict as assert } from 'node:assert';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding } from '../../src/engine/types.js';
import type { ReportContext } from '../../src/report/types.js';
import { createHubAccess } from '../../src/securityhub/access.js';
import { importToSecurityHub } from '../../src/securityhub/importRun.js';
import type { HubAccess, ImportOutcome } from '../../src/securityhub/types.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { enableSecurityHub, heldFindings } from '../../support/moto/securityHub.js';
import { useMoto } from '../../support/moto/mocha.js';
import { MEMBER_ROLE_NAME, memberCredentials, seedOrganization } from '../../support/moto/organization.js';
import { fullRun, liveContext, regionFinding, trailArn, trailFinding } from './fixtures.js';

const REGIONS = ['eu-west-1', 'us-east-1'];
const HUB_REGION = 'us-east-1';
const T1 = new Date('2026-12-01T00:00:00.000Z');
const T2 = new Date('2026-12-02T00:00:00.000Z');
const T3 = new Date('2026-12-03T00:00:00.000Z');

/** When the audit imported at `now` finished: a few seconds before. */
function observed(now: Date): string {
  return new Date(now.getTime() - 5_000).toISOString();
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

describe('Security Hub import on moto', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const opened: HubAccess[] = [];

  afterEach(() => {
    opened.splice(0).forEach((access) => {
      access.close();
    });
  });

  async function enableHub(regions: readonly string[], credentials: Credentials = MOTO_CREDENTIALS): Promise<void> {
    await enableSecurityHub(moto.endpoint, regions, credentials);
  }

  /** Everything Security Hub holds in a Region for the caller, every page. */
  async function held(region: string, credentials: Credentials = MOTO_CREDENTIALS): Promise<AwsSecurityFinding[]> {
    return heldFindings(moto.endpoint, region, credentials);
  }

  async function access(roleName?: string): Promise<HubAccess> {
    const opening = await createHubAccess({ endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS, region: HUB_REGION, ...(roleName === undefined ? {} : { roleName }) });
    opened.push(opening);
    return opening;
  }

  async function run(findings: readonly Finding[], now: Date, context: ReportContext = liveContext([MOTO_ACCOUNT_ID], REGIONS), hub?: HubAccess): Promise<ImportOutcome> {
    // An audit that finished just before its import.
    const finished = { ...context, finishedAt: observed(now) };
    const outcome = await importToSecurityHub({ findings, context: finished, accountLevelRegion: HUB_REGION, now, dryRun: false, access: hub ?? (await access()) });
    assert.deepEqual(outcome.failures, []);
    return outcome;
  }

  function byResource(findings: readonly AwsSecurityFinding[], resourceId: string): AwsSecurityFinding[] {
    return findings.filter((finding) => finding.Resources?.[0]?.Id === resourceId);
  }

  it('imports each PASS/FAIL/UNKNOWN finding once under the custom product; a re-run adds no duplicate and keeps the first-seen times', async () => {
    await enableHub(REGIONS);
    const findings = fullRun(MOTO_ACCOUNT_ID, REGIONS);
    const first = await run(findings, T1);
    assert.equal(first.imported, findings.length);
    assert.deepEqual(first.calls, { GetFindings: 2, BatchImportFindings: 2 });

    const all = [...(await held('us-east-1')), ...(await held('eu-west-1'))];
    assert.equal(all.length, findings.length);
    assert.equal(new Set(all.map((finding) => finding.Id)).size, findings.length);
    for (const finding of all) {
      assert.equal(finding.ProductArn, `arn:aws:securityhub:${String(finding.Region)}:${MOTO_ACCOUNT_ID}:product/${MOTO_ACCOUNT_ID}/default`);
      assert.match(String(finding.GeneratorId), /^trailaudit\/CloudTrail\.\d+$/u);
    }
    const statuses = all.map((finding) => finding.Compliance?.Status).sort();
    const expected = findings.map((finding) => ({ PASS: 'PASSED', FAIL: 'FAILED', UNKNOWN: 'NOT_AVAILABLE', NOT_APPLICABLE: 'none' })[finding.status]).sort();
    assert.deepEqual(statuses, expected);
    // The account-level finding went to the account-level Region.
    assert.equal((await held('us-east-1')).filter((finding) => finding.Resources?.[0]?.Type === 'AwsAccount' && finding.GeneratorId === 'trailaudit/CloudTrail.1').length, 1);

    // The first trail is fixed; run again a day later.
    const fixedArn = trailArn('trail-0', 'eu-west-1', MOTO_ACCOUNT_ID);
    const second = findings.map((finding) => (finding.resource.id === fixedArn ? trailFinding('trail-0', 'PASS', 'eu-west-1', MOTO_ACCOUNT_ID) : finding));
    const again = await run(second, T2);
    assert.equal(again.imported, findings.length);
    assert.equal(again.archived, 0);
    const after = [...(await held('us-east-1')), ...(await held('eu-west-1'))];
    assert.equal(after.length, findings.length, 'no duplicate');
    for (const finding of after) {
      assert.equal(finding.CreatedAt, T1.toISOString());
      assert.equal(finding.FirstObservedAt, observed(T1));
      assert.equal(finding.UpdatedAt, T2.toISOString());
      assert.equal(finding.LastObservedAt, observed(T2));
    }
    assert.equal(byResource(after, fixedArn)[0]?.Compliance?.Status, 'PASSED');
  });

  it('archives a deleted trail’s finding, and a --regions or --checks run archives nothing outside its scope', async () => {
    await enableHub(REGIONS);
    const findings = fullRun(MOTO_ACCOUNT_ID, REGIONS);
    await run(findings, T1);
    const euTrail = trailArn('trail-1', 'eu-west-1', MOTO_ACCOUNT_ID);
    const usTrail = trailArn('trail-1', 'us-east-1', MOTO_ACCOUNT_ID);

    // --regions us-east-1, the eu-west-1 trail not reported (not looked at): kept. us-east-1's trail-1 deleted: archived.
    const partial = findings.filter((finding) => finding.resource.region !== 'eu-west-1' && finding.resource.id !== usTrail);
    const outcome = await run(partial, T2, liveContext([MOTO_ACCOUNT_ID], ['us-east-1']));
    assert.equal(outcome.archived, 1);
    const us = await held('us-east-1');
    assert.equal(byResource(us, usTrail)[0]?.RecordState, 'ARCHIVED');
    assert.equal(byResource(us, usTrail)[0]?.UpdatedAt, T2.toISOString());
    const eu = await held('eu-west-1');
    assert.ok(eu.length > 0);
    assert.ok(eu.every((finding) => finding.RecordState === 'ACTIVE' && finding.UpdatedAt === T1.toISOString()), 'nothing in eu-west-1 touched');

    // --checks CloudTrail.3 in both Regions: the trails (CloudTrail.4) are not looked at, so eu-west-1's trail-1 stays.
    const checks = liveContext([MOTO_ACCOUNT_ID], REGIONS).checks.filter((check) => check.id === 'CloudTrail.3');
    const onlyRegions = REGIONS.map((region) => regionFinding('PASS', region, MOTO_ACCOUNT_ID));
    const narrow = await run(onlyRegions, T3, liveContext([MOTO_ACCOUNT_ID], REGIONS, checks));
    assert.equal(narrow.archived, 0);
    assert.equal(byResource(await held('eu-west-1'), euTrail)[0]?.RecordState, 'ACTIVE');
  });

  it('pages through more than 100 previous findings: a re-run of 230 keeps every CreatedAt and adds none', async () => {
    await enableHub(['us-east-1']);
    const findings = Array.from({ length: 230 }, (_, index) => trailFinding(`t${String(index).padStart(3, '0')}`, 'FAIL', 'us-east-1', MOTO_ACCOUNT_ID));
    const context = liveContext([MOTO_ACCOUNT_ID], ['us-east-1']);
    const first = await run(findings, T1, context);
    assert.equal(first.calls.BatchImportFindings, 3, '100 + 100 + 30');
    const second = await run(findings.slice(0, 200), T2, context);
    // 230 previous findings in 3 pages of GetFindings; the 30 no longer reported are archived.
    assert.equal(second.calls.GetFindings, 3);
    assert.equal(second.imported, 200);
    assert.equal(second.archived, 30);
    const all = await held('us-east-1');
    assert.equal(all.length, 230);
    assert.ok(all.every((finding) => finding.CreatedAt === T1.toISOString()));
    assert.equal(all.filter((finding) => finding.RecordState === 'ARCHIVED').length, 30);
  });

  it('imports each account’s findings with its own credentials (organization members through the assumed role)', async () => {
    const organization = await seedOrganization(moto.endpoint, { accounts: [{ name: 'alpha' }, { name: 'beta' }] });
    const alpha = organization.accountId('alpha');
    const beta = organization.accountId('beta');
    const credentials = { alpha: await memberCredentials(moto.endpoint, alpha), beta: await memberCredentials(moto.endpoint, beta) };
    await enableHub(['us-east-1']);
    await enableHub(['us-east-1'], credentials.alpha);
    await enableHub(['us-east-1'], credentials.beta);
    const findings = [...fullRun(MOTO_ACCOUNT_ID, ['us-east-1'], 1), ...fullRun(alpha, ['us-east-1'], 2), ...fullRun(beta, ['us-east-1'], 3)];
    const hub = await access(MEMBER_ROLE_NAME);
    const outcome = await run(findings, T1, liveContext([MOTO_ACCOUNT_ID, alpha, beta], ['us-east-1']), hub);
    assert.equal(outcome.imported, findings.length);
    for (const [account, creds] of [
      [MOTO_ACCOUNT_ID, MOTO_CREDENTIALS],
      [alpha, credentials.alpha],
      [beta, credentials.beta],
    ] as const) {
      const own = await held('us-east-1', creds);
      assert.equal(own.length, findings.filter((finding) => finding.resource.accountId === account).length, account);
      assert.ok(own.every((finding) => finding.AwsAccountId === account && finding.ProductArn?.includes(`:${account}:product/${account}/default`) === true), account);
    }
  });

  it('without a role, reports the other accounts as access failures and sends them nothing', async () => {
    const organization = await seedOrganization(moto.endpoint, { accounts: [{ name: 'alpha' }] });
    const alpha = organization.accountId('alpha');
    await enableHub(['us-east-1']);
    const findings = [...fullRun(MOTO_ACCOUNT_ID, ['us-east-1'], 1), ...fullRun(alpha, ['us-east-1'], 1)];
    const outcome = await importToSecurityHub({
      findings,
      context: liveContext([MOTO_ACCOUNT_ID, alpha], ['us-east-1']),
      accountLevelRegion: HUB_REGION,
      now: T1,
      dryRun: false,
      access: await access(),
    });
    assert.equal(outcome.imported, findings.filter((finding) => finding.resource.accountId === MOTO_ACCOUNT_ID).length);
    assert.equal(outcome.failures.length, 1);
    const [failure] = outcome.failures;
    assert.equal(failure?.accountId, alpha);
    assert.equal(failure.stage, 'access');
    assert.equal(failure.code, 'no_role');
    assert.equal(failure.findingIds.length, findings.filter((finding) => finding.resource.accountId === alpha).length);
    const credentials = await memberCredentials(moto.endpoint, alpha);
    assert.deepEqual(await held('us-east-1', credentials), []);
  });

  it('--dry-run reads and plans but sends nothing', async () => {
    await enableHub(REGIONS);
    const findings = fullRun(MOTO_ACCOUNT_ID, REGIONS);
    const notices: string[] = [];
    const outcome = await importToSecurityHub({
      findings,
      context: liveContext([MOTO_ACCOUNT_ID], REGIONS),
      accountLevelRegion: HUB_REGION,
      now: T1,
      dryRun: true,
      access: await access(),
      onNotice: (line) => notices.push(line),
    });
    assert.equal(outcome.plan.imports.length, findings.length);
    assert.equal(outcome.imported, 0);
    assert.equal(outcome.calls.BatchImportFindings, 0);
    assert.equal(outcome.calls.GetFindings, 2);
    assert.deepEqual(await held('us-east-1'), []);
    assert.equal(notices.length, 2);
    assert.ok(notices.every((line) => line.includes('dry run')));
  });
});
