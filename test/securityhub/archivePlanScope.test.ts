/**
 * The planner's scope rules found by black-box testing (issue 14): what a shard, an unreadable
 * bucket Region, a moved account-level Region and a look-alike finding must not do.
 */
import { strict as assert } from 'node:assert';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { planSecurityHubImport } from '../../src/securityhub/archivePlan.js';
import { EVALUATED_AT_FIELD } from '../../src/securityhub/findingIdentity.js';
import { ACCOUNT, OTHER_ACCOUNT } from '../report/fixtures.js';
import { accountLevel, bucket, context, FakeHub, FULL_RUN, HUB_REGION, regionLevel, REGIONS, T1, T2, trail } from './planFixtures.js';

describe('Security Hub plan: scope rules', () => {
  it('a shard sends nothing for the accounts it did not audit (their UNKNOWN stand-ins), leaving their findings as they were', () => {
    const hub = new FakeHub();
    const otherShard = context({ accounts: [OTHER_ACCOUNT] });
    hub.run([accountLevel('PASS', OTHER_ACCOUNT), trail('theirs', 'FAIL', 'us-east-1', OTHER_ACCOUNT)], T1, otherShard);
    const theirsBefore = [...hub.held.values()];
    // This shard audited ACCOUNT; the other shard's account appears only as UNKNOWN stand-ins.
    const standIns = [accountLevel('UNKNOWN', OTHER_ACCOUNT), regionLevel('UNKNOWN', 'us-east-1', OTHER_ACCOUNT)];
    const plan = hub.run([...FULL_RUN, ...standIns], T2);
    assert.equal(plan.imports.length, FULL_RUN.length);
    assert.ok(plan.imports.every((f) => f.AwsAccountId === ACCOUNT));
    assert.deepEqual(
      plan.notSent.map((n) => n.reason),
      ['account_not_in_scope', 'account_not_in_scope'],
    );
    for (const before of theirsBefore) {
      assert.deepEqual(hub.held.get(`${String(before.ProductArn)}\n${String(before.Id)}`), before, 'the other shard’s findings are untouched');
    }
    assert.deepEqual(plan.archives, []);
  });

  it('a bucket whose Region could not be read updates its earlier finding where it is, never leaving a stale PASSED beside it', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const held = hub.byResource('arn:aws:s3:::logs');
    assert.equal(held.length, 1);
    const unreadable = FULL_RUN.map((f) => (f.resource.id === 'arn:aws:s3:::logs' ? bucket('logs', 'UNKNOWN', 'unknown') : f));
    const plan = hub.run(unreadable, T2);
    const after = hub.byResource('arn:aws:s3:::logs');
    assert.equal(after.length, 1, 'one finding for the bucket, not a second one in the account-level Region');
    const [now] = after;
    assert.ok(now);
    assert.equal(now.Id, held[0]?.Id);
    assert.equal(now.Region, 'us-east-1');
    assert.equal(now.Compliance?.Status, 'NOT_AVAILABLE');
    assert.equal(now.ProductFields?.['trailaudit/ResourceRegion'], 'us-east-1');
    assert.deepEqual(plan.archives, []);
  });

  it('a bucket of unreadable Region with no earlier finding goes to the account-level Region', () => {
    const plan = new FakeHub().run([bucket('new', 'UNKNOWN', 'unknown')], T1);
    assert.equal(plan.imports[0]?.Region, HUB_REGION);
  });

  it('an account-level finding belongs to its account, not a Region: its copies from an earlier --security-hub-region are archived', () => {
    const earlier = new FakeHub();
    // Imported earlier with other --security-hub-region values: in us-west-2 (not audited now) and eu-west-1 (audited).
    for (const region of ['us-west-2', 'eu-west-1']) {
      earlier.apply(planSecurityHubImport({ previous: [], findings: [accountLevel('PASS')], context: context(), accountLevelRegion: region, now: T1 }).imports);
    }
    assert.ok(!REGIONS.includes('us-west-2'));
    const plan = planSecurityHubImport({ previous: [...earlier.held.values()], findings: FULL_RUN, context: context(), accountLevelRegion: HUB_REGION, now: T2 });
    assert.deepEqual(plan.archives.map((f) => `${String(f.Region)} ${String(f.GeneratorId)}`).sort(), ['eu-west-1 trailaudit/CloudTrail.1', 'us-west-2 trailaudit/CloudTrail.1']);
    assert.deepEqual(
      plan.imports.filter((f) => f.GeneratorId === 'trailaudit/CloudTrail.1').map((f) => `${String(f.Region)} ${String(f.Compliance?.Status)}`),
      [`${HUB_REGION} FAILED`],
    );
  });

  it('a resource this run reported is judged wherever it lives: a trail homed outside --regions loses a finding its check no longer gives', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    // The eu-west-1 trail, seen from a --regions us-east-1 run (a multi-Region trail), is NOT_APPLICABLE for CloudTrail.4 now.
    const seen = FULL_RUN.filter((f) => f.resource.region !== 'eu-west-1').concat([trail('eu', 'NOT_APPLICABLE', 'eu-west-1')]);
    const plan = hub.run(seen, T2, context({ regions: ['us-east-1'] }));
    assert.deepEqual(plan.archives.map((f) => f.Resources?.[0]?.Id), [trail('eu', 'FAIL', 'eu-west-1').resource.id]);
    // The eu-west-1 bucket, not reported, stays.
    assert.ok(plan.kept.some((k) => k.id.includes('arn:aws:s3:::eu-logs') && k.reason === 'region_not_in_scope'));
  });

  it('a bucket UNKNOWN under the trail’s account never archives its owner’s finding of the same bucket: it updates it', () => {
    const hub = new FakeHub();
    const owner = context({ accounts: [ACCOUNT, OTHER_ACCOUNT] });
    hub.run([bucket('org-logs', 'FAIL', 'us-east-1', OTHER_ACCOUNT)], T1, owner);
    const plan = hub.run([bucket('org-logs', 'UNKNOWN', 'us-east-1', ACCOUNT)], T2, owner);
    assert.deepEqual(plan.archives, []);
    // FAILED stays FAILED (marked not re-evaluated): archivePlanStillFailed.test.ts.
    assert.deepEqual(hub.byResource('arn:aws:s3:::org-logs').map((f) => [f.AwsAccountId, f.Compliance?.Status, f.ProductFields?.['trailaudit/NotReevaluated']]), [[OTHER_ACCOUNT, 'FAILED', 'error']]);
    // Without the owner's finding among the audited accounts' (owner not audited): kept, never archived.
    const alone = new FakeHub();
    alone.run([bucket('org-logs', 'FAIL', 'us-east-1', OTHER_ACCOUNT)], T1, owner);
    const blocked = alone.run([bucket('org-logs', 'UNKNOWN', 'us-east-1', ACCOUNT)], T2, context({ accounts: [ACCOUNT] }));
    assert.deepEqual(blocked.archives, []);
  });

  it('a shard, or an evaluation of some shards, archives nothing (the organization trail’s bucket may be judged in another part)', () => {
    for (const organization of [
      { shard: { index: 1, count: 2 }, accountsInScope: 2 },
      { accountsInScope: 3 },
    ]) {
      const hub = new FakeHub();
      hub.run(FULL_RUN, T1);
      const ctx = context({
        organization: { id: 'o-1', managementAccountId: ACCOUNT, callerAccountId: ACCOUNT, roleName: 'R', accountNames: {}, skipped: [], unreachable: [], ...organization },
      });
      const plan = hub.run(FULL_RUN.slice(1), T2, ctx);
      assert.deepEqual(plan.archives, []);
      assert.deepEqual(new Set(plan.kept.map((k) => k.reason)), new Set(['partial_organization']));
    }
  });

  it('a finding of our product and generator with an Id trailaudit never makes is not ours to archive', () => {
    const hub = new FakeHub();
    const plan = hub.run(FULL_RUN, T1);
    const [sample] = plan.imports.filter((f) => f.GeneratorId === 'trailaudit/CloudTrail.4');
    assert.ok(sample);
    const lookAlike: AwsSecurityFinding = { ...sample, Id: 'my-own-integration-0001' };
    hub.apply([lookAlike]);
    const next = hub.run(FULL_RUN, T2);
    assert.deepEqual(next.archives, []);
    assert.ok(!next.kept.some((k) => k.id === 'my-own-integration-0001'));
  });

  it('dates imports and archives with the run that made them (an older report is refused over them)', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const plan = planSecurityHubImport({
      previous: [...hub.held.values()],
      findings: FULL_RUN.filter((f) => f.resource.id !== 'arn:aws:s3:::logs'),
      context: context(),
      accountLevelRegion: HUB_REGION,
      now: T2,
      observedAt: '2026-01-01T12:00:00.000Z',
    });
    assert.equal(plan.archives.length, 1);
    for (const finding of [...plan.imports, ...plan.archives]) {
      assert.equal(finding.ProductFields?.[EVALUATED_AT_FIELD], '2026-01-01T12:00:00.000Z', finding.Id);
    }
  });

  it('a bucket UNKNOWN under the trail’s account updates its owner’s finding in place, not a second finding in the trail’s account', () => {
    const hub = new FakeHub();
    const both = context({ accounts: [ACCOUNT, OTHER_ACCOUNT] });
    hub.run([bucket('org-logs', 'PASS', 'us-east-1', OTHER_ACCOUNT)], T1, both);
    const [owners] = hub.byResource('arn:aws:s3:::org-logs');
    assert.ok(owners);
    // S3 denied: the owner and Region of the bucket could not be read; filed under the trail's account.
    const plan = hub.run([bucket('org-logs', 'UNKNOWN', 'unknown', ACCOUNT)], T2, both);
    const held = hub.byResource('arn:aws:s3:::org-logs');
    assert.deepEqual(held.map((f) => [f.Id, f.AwsAccountId, f.Compliance?.Status]), [[owners.Id, OTHER_ACCOUNT, 'NOT_AVAILABLE']]);
    assert.deepEqual(plan.archives, []);
  });

  it('an account-wide finding moved to another --security-hub-region keeps its first-seen time', () => {
    const first = planSecurityHubImport({ previous: [], findings: [accountLevel('PASS')], context: context(), accountLevelRegion: 'eu-west-1', now: T1 });
    const moved = planSecurityHubImport({ previous: first.imports, findings: [accountLevel('FAIL')], context: context(), accountLevelRegion: HUB_REGION, now: T2 });
    const [copy] = moved.imports;
    assert.equal(copy?.Region, HUB_REGION);
    assert.equal(copy.FirstObservedAt, T1);
    assert.deepEqual(moved.archives.map((f) => f.Region), ['eu-west-1']);
  });
});

