/**
 * The Security Hub import / archive planner on fixtures (test/securityhub/planFixtures.ts: a fake
 * Security Hub that applies each plan, so the round trip is the planner's own output).
 */
import { strict as assert } from 'node:assert';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding } from '../../src/engine/types.js';
import { formatAsff } from '../../src/report/asff.js';
import { planSecurityHubImport } from '../../src/securityhub/archivePlan.js';
import { RESOURCE_REGION_FIELD } from '../../src/securityhub/findingIdentity.js';
import { ACCOUNT, CHECKS, OTHER_ACCOUNT, makeContext, makeFinding } from '../report/fixtures.js';
import { archivedIds, bucket, context, FakeHub, FULL_RUN, HUB_REGION, idOf, ids, T1, T2, T3, trail, trailArn } from './planFixtures.js';

describe('Security Hub import and archive plan', () => {
  it('first import: one ACTIVE finding per PASS/FAIL/UNKNOWN with the mapped status, none for NOT_APPLICABLE, nothing archived', () => {
    const notApplicable = trail('org', 'NOT_APPLICABLE');
    const unknown = bucket('denied', 'UNKNOWN', 'us-east-1');
    const plan = new FakeHub().run([...FULL_RUN, unknown, notApplicable], T1);
    assert.equal(plan.imports.length, FULL_RUN.length + 1);
    assert.deepEqual(plan.archives, []);
    assert.deepEqual(plan.notSent, [{ checkId: 'CloudTrail.4', resourceId: notApplicable.resource.id, accountId: ACCOUNT, region: 'us-east-1', reason: 'not_applicable' }]);
    assert.equal(new Set(plan.imports.map((f) => f.Id)).size, plan.imports.length, 'Ids are unique');
    const statuses = plan.imports.map((f) => [f.ProductFields?.['trailaudit/Status'], f.Compliance?.Status]);
    assert.deepEqual(new Set(statuses.map((pair) => pair.join('→'))), new Set(['FAIL→FAILED', 'PASS→PASSED', 'UNKNOWN→NOT_AVAILABLE']));
    for (const finding of plan.imports) {
      assert.equal(finding.RecordState, 'ACTIVE');
      assert.equal(finding.ProductArn, `arn:aws:securityhub:${String(finding.Region)}:${ACCOUNT}:product/${ACCOUNT}/default`);
      assert.equal(finding.GeneratorId, `trailaudit/${String(finding.ProductFields?.['trailaudit/CheckId'])}`);
      assert.deepEqual([finding.CreatedAt, finding.FirstObservedAt, finding.UpdatedAt, finding.LastObservedAt], [T1, T1, T1, T1]);
      assert.ok((finding.Id ?? '').includes(`/${ACCOUNT}/`), `the Id names the account: ${String(finding.Id)}`);
    }
  });

  it('puts account-level findings into the account-level Region and resource-level ones into their own', () => {
    const plan = new FakeHub().run(FULL_RUN, T1);
    const account = plan.imports.find((f) => f.GeneratorId === 'trailaudit/CloudTrail.1');
    assert.equal(account?.Region, HUB_REGION);
    assert.equal(account.ProductArn, `arn:aws:securityhub:${HUB_REGION}:${ACCOUNT}:product/${ACCOUNT}/default`);
    assert.equal(account.Id, `trailaudit/CloudTrail.1/${ACCOUNT}/global/${ACCOUNT}`);
    const eu = plan.imports.find((f) => f.Resources?.[0]?.Id === 'arn:aws:s3:::eu-logs');
    assert.equal(eu?.Region, 'eu-west-1');
    assert.equal(eu.Id, `trailaudit/CloudTrail.6/${ACCOUNT}/eu-west-1/arn:aws:s3:::eu-logs`);
  });

  it('re-import: same Ids, no duplicate, CreatedAt/FirstObservedAt kept, UpdatedAt/LastObservedAt moved forward', () => {
    const hub = new FakeHub();
    const first = hub.run(FULL_RUN, T1);
    const second = hub.run(FULL_RUN, T2);
    assert.deepEqual(ids(second.imports), ids(first.imports));
    assert.equal(hub.held.size, FULL_RUN.length);
    assert.deepEqual(second.archives, []);
    for (const finding of second.imports) {
      assert.deepEqual([finding.CreatedAt, finding.FirstObservedAt, finding.UpdatedAt, finding.LastObservedAt], [T1, T1, T2, T2], finding.Id);
    }
  });

  it('a fixed resource is updated to PASSED, not archived', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const fixed = FULL_RUN.map((f) => (f.resource.id === trailArn('main') ? { ...f, status: 'PASS' as const } : f));
    const plan = hub.run(fixed, T2);
    assert.deepEqual(plan.archives, []);
    const [held] = hub.byResource(trailArn('main'));
    assert.equal(held?.Compliance?.Status, 'PASSED');
    assert.equal(held.RecordState, 'ACTIVE');
    assert.equal(held.CreatedAt, T1);
  });

  it('a deleted trail’s finding is archived with a newer UpdatedAt, its other fields as Security Hub held them', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const before = hub.byResource(trailArn('main'))[0];
    assert.ok(before);
    const plan = hub.run(FULL_RUN.filter((f) => f.resource.id !== trailArn('main')), T2);
    assert.deepEqual(archivedIds(plan), [before.Id]);
    assert.deepEqual(plan.archives[0], { ...before, RecordState: 'ARCHIVED', UpdatedAt: T2, ProductFields: { ...before.ProductFields, 'trailaudit/EvaluatedAt': T2 } });
    assert.deepEqual(plan.kept, []);
    // Archived once: a third run does not archive it again.
    const third = hub.run(FULL_RUN.filter((f) => f.resource.id !== trailArn('main')), T3);
    assert.deepEqual(third.archives, []);
    assert.deepEqual(third.kept, []);
  });

  it('a previously archived finding reported again is re-activated with its first-seen times', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    hub.run(FULL_RUN.filter((f) => f.resource.id !== trailArn('main')), T2);
    assert.equal(hub.byResource(trailArn('main'))[0]?.RecordState, 'ARCHIVED');
    const plan = hub.run(FULL_RUN, T3);
    const again = plan.imports.find((f) => f.Resources?.[0]?.Id === trailArn('main'));
    assert.equal(again?.RecordState, 'ACTIVE');
    assert.deepEqual([again.CreatedAt, again.FirstObservedAt, again.UpdatedAt], [T1, T1, T3]);
    assert.equal(hub.byResource(trailArn('main')).length, 1);
  });

  it('--checks subset: archives nothing of the checks that did not run, still archives in the one that did', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const onlyTrails = FULL_RUN.filter((f) => f.checkId === 'CloudTrail.4' && f.resource.id !== trailArn('audit'));
    const plan = hub.run(onlyTrails, T2, makeContext({ scope: context().scope, checks: CHECKS.filter((c) => c.id === 'CloudTrail.4') }));
    assert.deepEqual(archivedIds(plan), [idOf(hub, trailArn('audit'))]);
    assert.equal(plan.kept.length, FULL_RUN.filter((f) => f.checkId !== 'CloudTrail.4').length);
    assert.ok(plan.kept.every((k) => k.reason === 'check_not_run'));
  });

  it('--regions subset: archives nothing in the other Regions, still archives in the audited one', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const usOnly = FULL_RUN.filter((f) => f.resource.region !== 'eu-west-1' && f.resource.id !== trailArn('audit'));
    const plan = hub.run(usOnly, T2, context({ regions: ['us-east-1'] }));
    assert.deepEqual(archivedIds(plan), [idOf(hub, trailArn('audit'))]);
    const euIds = ids([...hub.held.values()].filter((f) => f.Region === 'eu-west-1'));
    assert.equal(euIds.length, FULL_RUN.filter((f) => f.resource.region === 'eu-west-1').length);
    assert.deepEqual(plan.kept.map((k) => k.id).sort(), euIds);
    assert.ok(plan.kept.every((k) => k.reason === 'region_not_in_scope'));
    assert.ok([...hub.held.values()].filter((f) => f.Region === 'eu-west-1').every((f) => f.RecordState === 'ACTIVE'));
  });

  it('an account outside the run’s accounts (another shard) is never archived in', () => {
    const other = [trail('theirs', 'FAIL', 'us-east-1', OTHER_ACCOUNT), bucket('their-logs', 'PASS', 'us-east-1', OTHER_ACCOUNT)];
    const hub = new FakeHub();
    hub.run([...FULL_RUN, ...other], T1, context({ accounts: [ACCOUNT, OTHER_ACCOUNT] }));
    const plan = hub.run(FULL_RUN.filter((f) => f.resource.id !== trailArn('audit')), T2);
    assert.deepEqual(archivedIds(plan), [idOf(hub, trailArn('audit'))]);
    assert.deepEqual(plan.kept.map((k) => k.reason), ['account_not_in_scope', 'account_not_in_scope']);
    assert.ok([...hub.held.values()].filter((f) => f.AwsAccountId === OTHER_ACCOUNT).every((f) => f.RecordState === 'ACTIVE'));
  });

  it('an UNKNOWN in (account, Region, check) blocks archiving there, not in another Region', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    // us-east-1: trail main gone and trail audit UNKNOWN; eu-west-1: trail eu gone, nothing unknown.
    const second = [
      ...FULL_RUN.filter((f) => f.checkId !== 'CloudTrail.4'),
      trail('audit', 'UNKNOWN'),
    ];
    const plan = hub.run(second, T2);
    assert.deepEqual(archivedIds(plan), [idOf(hub, trailArn('eu', 'eu-west-1'))]);
    assert.deepEqual(plan.kept, [{ id: idOf(hub, trailArn('main')), productArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, reason: 'unknown_in_scope' }]);
  });

  it('UNKNOWNs that hide resources anywhere block the check in every Region: a stand-in, an account-wide one, a bucket with no account', () => {
    const blockers: readonly (readonly [string, Finding])[] = [
      ['trails that could not be listed', { ...trail('*', 'UNKNOWN', 'eu-west-1'), resource: { type: 'AWS::CloudTrail::Trail', id: trailArn('*', 'eu-west-1'), accountId: ACCOUNT, region: 'eu-west-1' } }],
      ['an account that could not be entered', makeFinding({ checkId: 'CloudTrail.4', status: 'UNKNOWN', resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' } })],
    ];
    for (const [label, blocker] of blockers) {
      const hub = new FakeHub();
      hub.run(FULL_RUN, T1);
      const plan = hub.run([...FULL_RUN.filter((f) => f.checkId !== 'CloudTrail.4'), blocker], T2);
      assert.deepEqual(plan.archives, [], label);
      // The two FAILED ones stay FAILED; the PASSED one is not left PASSED: NOT_AVAILABLE in place.
      assert.equal(plan.kept.filter((k) => k.reason === 'unknown_in_scope').length, 2, label);
      const downgraded = plan.imports.filter((f) => f.Resources?.[0]?.Id === trailArn('audit'));
      assert.deepEqual(downgraded.map((f) => [f.Id, f.Compliance?.Status]), [[idOf(hub, trailArn('audit')), 'NOT_AVAILABLE']], label);
    }
    // A log bucket whose owner and Region could not be read: it may be any bucket of any account.
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const plan = hub.run([...FULL_RUN.filter((f) => f.checkId !== 'CloudTrail.6'), bucket('logs', 'UNKNOWN', 'unknown', null)], T2);
    assert.deepEqual(plan.archives, []);
    assert.deepEqual(new Set(plan.kept.map((k) => k.reason)), new Set(['unknown_in_scope']));
  });

  it('an account-level finding is kept when its check has an UNKNOWN anywhere in its account', () => {
    // CloudTrail.3 once reported on the account as a whole (an account entered with no Region listed).
    const accountWide = makeFinding({ checkId: 'CloudTrail.3', status: 'UNKNOWN', resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' } });
    const withUnknown = FULL_RUN.map((f) => (f.checkId === 'CloudTrail.3' && f.resource.region === 'us-east-1' ? { ...f, status: 'UNKNOWN' as const } : f));
    const hub = new FakeHub();
    hub.run([...FULL_RUN, accountWide], T1);
    const plan = hub.run(withUnknown, T2);
    assert.deepEqual(plan.archives, []);
    assert.deepEqual(plan.kept.map((k) => [k.id, k.reason]), [[`trailaudit/CloudTrail.3/${ACCOUNT}/global/${ACCOUNT}`, 'unknown_in_scope']]);
    // The control: with no UNKNOWN left, it is archived.
    assert.deepEqual(archivedIds(hub.run(FULL_RUN, T3)), [`trailaudit/CloudTrail.3/${ACCOUNT}/global/${ACCOUNT}`]);
  });

  it('an account the organization audit could not enter is never archived in', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const ctx = context({
      organization: {
        id: 'o-1', managementAccountId: OTHER_ACCOUNT, callerAccountId: OTHER_ACCOUNT, roleName: 'Audit', accountNames: {}, skipped: [],
        unreachable: [{ accountId: ACCOUNT, reason: 'access_denied', message: 'AssumeRole denied' }], accountsInScope: 1,
      },
    });
    const plan = hub.run(FULL_RUN.filter((f) => f.resource.id !== trailArn('main')), T2, ctx);
    assert.deepEqual(plan.archives, []);
    assert.deepEqual(plan.kept.map((k) => k.reason), ['unknown_in_scope']);
  });

  it('a resource now NOT_APPLICABLE is archived (Security Hub archives NOT_APPLICABLE findings itself)', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const plan = hub.run(FULL_RUN.map((f) => (f.resource.id === trailArn('main') ? { ...f, status: 'NOT_APPLICABLE' as const } : f)), T2);
    assert.deepEqual(archivedIds(plan), [idOf(hub, trailArn('main'))]);
  });

  it('never touches another product’s or generator’s finding, nor an aggregated copy', () => {
    const base: AwsSecurityFinding = {
      SchemaVersion: '2018-10-08', Id: 'x', ProductArn: '', GeneratorId: '', AwsAccountId: ACCOUNT, Region: 'us-east-1',
      CreatedAt: T1, UpdatedAt: T1, Title: 't', Description: 'd', Types: [], Resources: [], RecordState: 'ACTIVE',
    };
    const foreign: AwsSecurityFinding[] = [
      { ...base, Id: 'arn:aws:securityhub:us-east-1:111122223333:security-control/CloudTrail.4/finding/1', ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub', GeneratorId: 'security-control/CloudTrail.4' },
      { ...base, Id: 'other-tool/1', ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, GeneratorId: 'prowler/cloudtrail' },
      // Ours by generator, but held under another Region's product: a copy in the aggregation Region.
      { ...base, Id: 'trailaudit/CloudTrail.4/x', ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`, GeneratorId: 'trailaudit/CloudTrail.4' },
      // Ours by generator, in another account's product.
      { ...base, Id: 'trailaudit/CloudTrail.4/y', ProductArn: `arn:aws:securityhub:us-east-1:${OTHER_ACCOUNT}:product/${OTHER_ACCOUNT}/default`, GeneratorId: 'trailaudit/CloudTrail.4' },
    ];
    const hub = new FakeHub(foreign);
    const plan = hub.run(FULL_RUN, T1);
    assert.deepEqual(plan.archives, []);
    assert.deepEqual(plan.kept, []);
    // The control: the same record under our own product and generator is archived.
    const ours = { ...base, Id: 'trailaudit/CloudTrail.4/old', ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, GeneratorId: 'trailaudit/CloudTrail.4' };
    assert.deepEqual(archivedIds(new FakeHub([...foreign, ours]).run(FULL_RUN, T1)), ['trailaudit/CloudTrail.4/old']);
  });

  it('replaces findings imported from an older trailaudit.asff.json (Ids without the account) inside the scope only', () => {
    // What `aws securityhub batch-import-findings --findings file://trailaudit.asff.json` left
    // behind before the file carried the account in its Ids and the resource Region field.
    const legacy = (JSON.parse(formatAsff(FULL_RUN, context())) as AwsSecurityFinding[]).map((finding, index) => {
      const source = FULL_RUN[index];
      assert.ok(source);
      const { [RESOURCE_REGION_FIELD]: _resourceRegion, ...productFields } = finding.ProductFields ?? {};
      return { ...finding, Id: `trailaudit/${source.control}/${source.resource.region}/${source.resource.id}`, ProductFields: productFields };
    });
    assert.equal(legacy.length, FULL_RUN.length);
    const hub = new FakeHub(legacy);
    // A --regions us-east-1 run: it reports nothing homed in eu-west-1.
    const usOnly = FULL_RUN.filter((f) => f.resource.region !== 'eu-west-1');
    const plan = hub.run(usOnly, T1, context({ regions: ['us-east-1'] }));
    assert.equal(plan.imports.length, usOnly.length);
    // With no Region field of their own, their Security Hub Region stands in: us-east-1 ones are
    // archived (the new Ids replace them), the eu-west-1 ones are outside this run's Regions.
    assert.deepEqual(archivedIds(plan), ids(legacy.filter((f) => f.Region === 'us-east-1')));
    assert.deepEqual(plan.kept.map((k) => k.id).sort(), ids(legacy.filter((f) => f.Region === 'eu-west-1')));
  });

  it('an infrastructure-code run archives nothing', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const plan = hub.run(FULL_RUN.slice(0, 1), T2, context({ source: 'terraform' }));
    assert.deepEqual(plan.archives, []);
    assert.ok(plan.kept.length > 0 && plan.kept.every((k) => k.reason === 'not_live'));
  });

  it('moves UpdatedAt past the held one when the clock is not ahead of it, so the update is not ignored', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T2);
    const plan = hub.run(FULL_RUN.filter((f) => f.resource.id !== trailArn('main')), T1);
    assert.ok(plan.imports.every((f) => f.UpdatedAt === '2026-01-02T00:00:00.001Z' && f.LastObservedAt === T1));
    assert.equal(plan.archives[0]?.UpdatedAt, '2026-01-02T00:00:00.001Z');
  });

  it('marks a suppressed failure SUPPRESSED with its reason and expiry, still FAILED', () => {
    const suppressed = { ...trail('legacy', 'FAIL'), suppressed: { reason: 'replaced in Q3', expires: '2027-06-30', resource: '*' } };
    const [finding] = new FakeHub().run([suppressed], T1).imports;
    assert.equal(finding?.Compliance?.Status, 'FAILED');
    assert.deepEqual(finding.Workflow, { Status: 'SUPPRESSED' });
    assert.equal(finding.Note?.Text, 'Suppressed until 2027-06-30: replaced in Q3');
  });

  it('sends one finding per Id, a failure winning over a pass', () => {
    const plan = new FakeHub().run([trail('main', 'PASS'), trail('main', 'FAIL'), trail('main', 'UNKNOWN')], T1);
    assert.equal(plan.imports.length, 1);
    assert.equal(plan.imports[0]?.Compliance?.Status, 'FAILED');
    assert.deepEqual(plan.notSent.map((n) => n.reason), ['duplicate_id', 'duplicate_id']);
  });

  it('keeps Ids of long resource ids within 512 characters and distinct', () => {
    const long = (suffix: string): Finding => trail(`${'x'.repeat(600)}${suffix}`, 'FAIL');
    const plan = new FakeHub().run([long('a'), long('b')], T1);
    assert.equal(plan.imports.length, 2);
    assert.ok(plan.imports.every((f) => (f.Id ?? '').length <= 512));
    assert.notEqual(plan.imports[0]?.Id, plan.imports[1]?.Id);
  });

  it('observedAt (a report imported later): LastObservedAt and a new FirstObservedAt are when it was observed, UpdatedAt the import', () => {
    const first = planSecurityHubImport({ previous: [], findings: FULL_RUN, context: context(), accountLevelRegion: HUB_REGION, now: T2, observedAt: T1 });
    assert.ok(first.imports.length > 0);
    for (const finding of first.imports) {
      assert.deepEqual([finding.CreatedAt, finding.FirstObservedAt, finding.UpdatedAt, finding.LastObservedAt], [T2, T1, T2, T1], finding.Id);
    }
  });
});
