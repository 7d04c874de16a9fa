/**
 * A FAILED finding Security Hub holds stays FAILED when this run's verdict for its Id is UNKNOWN
 * (issue 16: testers saw known failures turn NOT_AVAILABLE after one denied call or one deleted log
 * bucket). PASSED → NOT_AVAILABLE stays as documented. Fixtures: planFixtures.ts's upserting hub.
 */
import { strict as assert } from 'node:assert';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding } from '../../src/engine/types.js';
import { LAST_JUDGED_FIELD, NOT_REEVALUATED_FIELD } from '../../src/securityhub/archivePlan.js';
import { EVALUATED_AT_FIELD } from '../../src/securityhub/findingIdentity.js';
import { planSecurityHubImport } from '../../src/securityhub/archivePlan.js';
import { accountLevel, bucket, context, FakeHub, FULL_RUN, HUB_REGION, T1, T2, T3 } from './planFixtures.js';

function unknown(finding: Finding, reason: Finding['reason'], message: string): Finding {
  return { ...finding, status: 'UNKNOWN', reason, message };
}

describe('Security Hub plan: an UNKNOWN never turns a FAILED finding NOT_AVAILABLE', () => {
  it('a FAILED bucket finding whose bucket is now not_found stays FAILED, marked as not re-evaluated', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const failed = bucket('eu-logs', 'FAIL', 'eu-west-1');
    const [before] = hub.byResource(failed.resource.id);
    assert.equal(before?.Compliance?.Status, 'FAILED');
    const run = FULL_RUN.map((f) => (f.resource.id === failed.resource.id ? unknown(f, 'not_found', 'the bucket eu-logs does not exist') : f));
    const plan = hub.run(run, T2);
    const [sent] = plan.imports.filter((f) => f.Id === before.Id);
    assert.equal(sent?.Compliance?.Status, 'FAILED');
    assert.equal(sent.ProductFields?.[NOT_REEVALUATED_FIELD], 'not_found');
    assert.equal(sent.ProductFields['trailaudit/NotReevaluatedMessage'], 'the bucket eu-logs does not exist');
    assert.equal(sent.ProductFields[LAST_JUDGED_FIELD], T1);
    assert.equal(sent.ProductFields[EVALUATED_AT_FIELD], T2);
    // Not observed by this run; first seen and created when they were; a newer UpdatedAt.
    assert.equal(sent.LastObservedAt, before.LastObservedAt);
    assert.equal(sent.FirstObservedAt, before.FirstObservedAt);
    assert.equal(sent.CreatedAt, before.CreatedAt);
    assert.equal(sent.UpdatedAt, T2);
    assert.equal(sent.Description, before.Description);
    assert.deepEqual(plan.archives, []);
  });

  it('several runs that cannot judge it keep the time it was last judged; a run that judges it again clears the mark', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const held = (): AwsSecurityFinding[] => [...hub.held.values()].filter((f) => f.GeneratorId === 'trailaudit/CloudTrail.1');
    assert.deepEqual(held().map((f) => f.Compliance?.Status), ['FAILED']);
    const denied = FULL_RUN.map((f) => (f.checkId === 'CloudTrail.1' ? unknown(f, 'access_denied', 'AssumeRole denied') : f));
    hub.run(denied, T2);
    hub.run(denied, T3);
    const [kept] = held();
    assert.equal(held().length, 1);
    assert.ok(kept?.ProductFields !== undefined);
    assert.equal(kept.Compliance?.Status, 'FAILED');
    assert.equal(kept.ProductFields[LAST_JUDGED_FIELD], T1);
    assert.equal(kept.ProductFields[NOT_REEVALUATED_FIELD], 'access_denied');
    hub.run(FULL_RUN, '2026-01-04T00:00:00.000Z');
    const [judged] = held();
    assert.ok(judged !== undefined);
    assert.equal(judged.Compliance?.Status, 'FAILED');
    assert.equal(judged.ProductFields?.[NOT_REEVALUATED_FIELD], undefined);
    assert.equal(judged.LastObservedAt, '2026-01-04T00:00:00.000Z');
  });

  it('an account-wide FAILED finding of an earlier --security-hub-region, UNKNOWN now: stays FAILED where it is, no NOT_AVAILABLE copy in the new Region', () => {
    const hub = new FakeHub();
    hub.apply(planSecurityHubImport({ previous: [], findings: [accountLevel('FAIL')], context: context(), accountLevelRegion: 'eu-west-1', now: T1 }).imports);
    const [old] = [...hub.held.values()];
    assert.equal(old?.Region, 'eu-west-1');
    const plan = planSecurityHubImport({ previous: [...hub.held.values()], findings: [unknown(accountLevel('FAIL'), 'access_denied', 'AssumeRole denied')], context: context(), accountLevelRegion: HUB_REGION, now: T2 });
    assert.deepEqual(plan.imports.map((f) => [f.Region, f.ProductArn === old.ProductArn, f.Compliance?.Status, f.ProductFields?.[NOT_REEVALUATED_FIELD]]), [['eu-west-1', true, 'FAILED', 'access_denied']]);
    assert.deepEqual(plan.archives, []);
  });

  it('a PASSED finding whose verdict is now UNKNOWN turns NOT_AVAILABLE in place (never a stale PASS)', () => {
    const hub = new FakeHub();
    hub.run(FULL_RUN, T1);
    const passed = bucket('logs', 'PASS', 'us-east-1');
    const plan = hub.run(FULL_RUN.map((f) => (f.resource.id === passed.resource.id ? unknown(f, 'access_denied', 'GetBucketLogging denied') : f)), T2);
    const sent = plan.imports.filter((f) => f.Resources?.[0]?.Id === passed.resource.id);
    assert.deepEqual(sent.map((f) => f.Compliance?.Status), ['NOT_AVAILABLE']);
    assert.equal(sent[0]?.ProductFields?.[NOT_REEVALUATED_FIELD], undefined);
  });
});
