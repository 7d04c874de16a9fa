/**
 * An older run never turns newer verdicts back (issue 14 black-box findings): an overlapping
 * scheduled run, a retried reduce, an old report or an old snapshot evaluated today. Each import
 * and archive records when its run observed the account (`trailaudit/EvaluatedAt`); an import
 * whose observation time is earlier than any of ours Security Hub holds where it would write sends
 * nothing at all. On moto (real upserts; its ignored filters do not matter: the check is made on
 * what comes back).
 */
import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/engine/types.js';
import type { ReportContext } from '../../src/report/types.js';
import { createHubAccess } from '../../src/securityhub/access.js';
import { importToSecurityHub } from '../../src/securityhub/importRun.js';
import type { HubAccess, ImportOutcome } from '../../src/securityhub/types.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { enableSecurityHub, heldFindings } from '../../support/moto/securityHub.js';
import { fullRun, liveContext, trailArn, trailFinding } from './fixtures.js';

const REGIONS = ['eu-west-1', 'us-east-1'];
const HUB_REGION = 'us-east-1';
const COLLECTED_1 = '2026-12-01T00:00:00.000Z';
const COLLECTED_2 = '2026-12-02T00:00:00.000Z';

describe('Security Hub import: an older run is refused', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let access: HubAccess | undefined;

  afterEach(() => {
    access?.close();
    access = undefined;
  });

  async function hub(): Promise<HubAccess> {
    access ??= await createHubAccess({ endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS, region: HUB_REGION });
    return access;
  }

  /** A run whose facts were collected at `collectedAt`, imported now (a report or snapshot of any age). */
  async function run(findings: readonly Finding[], collectedAt: string, regions = REGIONS, dryRun = false): Promise<ImportOutcome> {
    const context: ReportContext = { ...liveContext([MOTO_ACCOUNT_ID], regions), collectedAt, finishedAt: new Date().toISOString() };
    return importToSecurityHub({ findings, context, accountLevelRegion: HUB_REGION, now: new Date(), dryRun, access: await hub() });
  }

  async function heldEverywhere(): Promise<string[]> {
    const all = [...(await heldFindings(moto.endpoint, 'us-east-1')), ...(await heldFindings(moto.endpoint, 'eu-west-1'))];
    return all.map((f) => `${String(f.Id)} ${String(f.RecordState)} ${String(f.Compliance?.Status)}`).sort();
  }

  it('refuses a run collected before the one Security Hub holds, sending nothing; the same run again is fine', async () => {
    await enableSecurityHub(moto.endpoint, REGIONS);
    const findings = fullRun(MOTO_ACCOUNT_ID, REGIONS);
    const fixedArn = trailArn('trail-0', 'eu-west-1', MOTO_ACCOUNT_ID);
    const fixed = findings.map((f) => (f.resource.id === fixedArn ? trailFinding('trail-0', 'PASS', 'eu-west-1', MOTO_ACCOUNT_ID) : f));
    assert.deepEqual((await run(fixed, COLLECTED_2)).failures, []);
    const before = await heldEverywhere();

    const older = await run(findings, COLLECTED_1);
    assert.equal(older.imported, 0);
    assert.deepEqual([...new Set(older.failures.map((f) => f.stage))], ['newer_run']);
    assert.ok(older.failures.every((f) => f.findingIds.length > 0 && f.message.includes(COLLECTED_1)));
    assert.deepEqual(await heldEverywhere(), before, 'nothing was sent');

    // The newer run imported again (a retried reduce of the same run): not refused.
    assert.deepEqual((await run(fixed, COLLECTED_2)).failures, []);
  });

  it('an archive by a later run also refuses an older one (it would re-activate what the later run archived)', async () => {
    await enableSecurityHub(moto.endpoint, REGIONS);
    const findings = fullRun(MOTO_ACCOUNT_ID, REGIONS);
    assert.deepEqual((await run(findings, COLLECTED_1)).failures, []);
    const deleted = trailArn('trail-1', 'us-east-1', MOTO_ACCOUNT_ID);
    // The later run is a partial one (--regions us-east-1): only an archive is left newer than the first.
    const later = await run(findings.filter((f) => ['us-east-1', 'global'].includes(f.resource.region) && f.resource.id !== deleted), COLLECTED_2, ['us-east-1']);
    assert.equal(later.archived, findings.filter((f) => f.resource.id === deleted && f.status !== 'NOT_APPLICABLE').length);
    assert.ok(later.archived > 0);
    const before = await heldEverywhere();
    const older = await run(findings, COLLECTED_1, REGIONS, true);
    assert.ok(older.failures.some((f) => f.stage === 'newer_run'), 'the dry run says so too');
    const again = await run(findings, COLLECTED_1);
    assert.ok(again.failures.some((f) => f.stage === 'newer_run' && f.region === 'us-east-1'));
    assert.deepEqual(await heldEverywhere(), before);
  });

  it('looks wherever the run would write, also a Region it did not audit (a multi-Region trail homed elsewhere)', async () => {
    await enableSecurityHub(moto.endpoint, REGIONS);
    // A later run audited us-east-1 and found the trail homed there passing.
    const passing = trailFinding('global-trail', 'PASS', 'us-east-1', MOTO_ACCOUNT_ID);
    assert.deepEqual((await run([passing], COLLECTED_2, ['us-east-1'])).failures, []);
    // An older run audited only eu-west-1, and reported the same trail (homed in us-east-1) failing.
    const failing = trailFinding('global-trail', 'FAIL', 'us-east-1', MOTO_ACCOUNT_ID);
    const older = await run([failing], COLLECTED_1, ['eu-west-1']);
    assert.deepEqual(older.failures.map((f) => `${f.stage} ${f.region}`), ['newer_run us-east-1']);
    const [held] = (await heldFindings(moto.endpoint, 'us-east-1')).filter((f) => f.Resources?.[0]?.Id === passing.resource.id);
    assert.equal(held?.Compliance?.Status, 'PASSED');
  });

  it('a later run of other checks does not refuse an older run: it writes and archives only its own checks’ findings', async () => {
    await enableSecurityHub(moto.endpoint, REGIONS);
    const findings = fullRun(MOTO_ACCOUNT_ID, REGIONS);
    const checks = [...new Set(findings.map((f) => f.checkId))];
    assert.ok(checks.length >= 2);
    const [mine, theirs] = [checks.slice(0, 1), checks.slice(1)];
    const only = (ids: readonly string[]): ReportContext['checks'] => liveContext([MOTO_ACCOUNT_ID], REGIONS).checks.filter((check) => ids.includes(check.id));
    const later: ReportContext = { ...liveContext([MOTO_ACCOUNT_ID], REGIONS), checks: only(theirs), collectedAt: COLLECTED_2, finishedAt: new Date().toISOString() };
    const newer = await importToSecurityHub({ findings: findings.filter((f) => theirs.includes(f.checkId)), context: later, accountLevelRegion: HUB_REGION, now: new Date(), dryRun: false, access: await hub() });
    assert.deepEqual(newer.failures, []);
    const older: ReportContext = { ...liveContext([MOTO_ACCOUNT_ID], REGIONS), checks: only(mine), collectedAt: COLLECTED_1, finishedAt: new Date().toISOString() };
    const outcome = await importToSecurityHub({ findings: findings.filter((f) => mine.includes(f.checkId)), context: older, accountLevelRegion: HUB_REGION, now: new Date(), dryRun: false, access: await hub() });
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.imported, findings.filter((f) => mine.includes(f.checkId) && f.status !== 'NOT_APPLICABLE').length);
    assert.ok(outcome.imported > 0);
  });
});

