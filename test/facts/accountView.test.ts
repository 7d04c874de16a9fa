/**
 * facts/accountView.ts: what one audited account's account- and Region-level checks see.
 */
import { strict as assert } from 'node:assert';
import { accountView, auditedAccountsOf } from '../../src/facts/accountView.js';
import { mergeFactSets } from '../../src/facts/merge.js';
import { isGap, type FactSet, type TrailFacts } from '../../src/facts/model.js';
import { LOG_ARCHIVE, MANAGEMENT, MEMBER, ORG_TRAIL_ARN, OUTSIDER, UNREACHABLE, logArchiveSet, managementSet, memberSet, outsiderSet, unreachableSet } from './organizationFixtures.js';

function arns(facts: FactSet): string[] {
  return facts.trails.map((trail) => (isGap(trail) ? `gap:${trail.ref.id}` : trail.arn));
}

/** A set of one account owning a plain (non-organization) trail. */
function withOwnTrail(set: FactSet, name: string): FactSet {
  const id = set.account.id;
  const template = managementSet().trails[0] as TrailFacts;
  const arn = `arn:aws:cloudtrail:eu-west-1:${id}:trail/${name}`;
  const own: TrailFacts = { ...template, arn, name, ownerAccountId: id, isOrganizationTrail: false, isMultiRegion: false, homeRegion: 'eu-west-1', s3BucketName: null, ref: { ...template.ref, id: arn, name, accountId: id, region: 'eu-west-1' } };
  return { ...set, trails: [...set.trails, own], buckets: set.buckets };
}

describe('accountView', () => {
  const merged = mergeFactSets([
    managementSet(),
    withOwnTrail(logArchiveSet(), 'archive-local'),
    memberSet({ memberSeesShadow: true }),
    withOwnTrail(outsiderSet(), 'outsider-local'),
    unreachableSet(),
  ]);

  it('is the set itself for a single-account set', () => {
    const single = managementSet();
    assert.equal(accountView(single, MANAGEMENT), single);
    assert.deepEqual(auditedAccountsOf(single).map((account) => account.id), [MANAGEMENT]);
  });

  it('holds the account’s own trails and the organization trail that covers it, never another account’s plain trail', () => {
    assert.deepEqual(arns(accountView(merged, MANAGEMENT)), [ORG_TRAIL_ARN]);
    // Credited by organization membership: the log-archive account does not list the trail.
    assert.deepEqual(arns(accountView(merged, LOG_ARCHIVE)).sort(), [ORG_TRAIL_ARN, `arn:aws:cloudtrail:eu-west-1:${LOG_ARCHIVE}:trail/archive-local`].sort());
    // Credited by listing (its shadow copy).
    assert.deepEqual(arns(accountView(merged, MEMBER)), [ORG_TRAIL_ARN]);
    // Another organization: only its own trail.
    assert.deepEqual(arns(accountView(merged, OUTSIDER)), [`arn:aws:cloudtrail:eu-west-1:${OUTSIDER}:trail/outsider-local`]);
  });

  it('credits a member that lists the organization trail even when the owner is not audited', () => {
    // A member-only audit (`--accounts MEMBER,OUTSIDER`): the member's own read of the shadow trail.
    const memberOnly = mergeFactSets([memberSet({ memberSeesShadow: true }), outsiderSet()]);
    assert.deepEqual(arns(accountView(memberOnly, MEMBER)), [ORG_TRAIL_ARN]);
    assert.deepEqual(arns(accountView(memberOnly, OUTSIDER)), []);
  });

  it('does not credit by organization when the owner’s organization is unknown', () => {
    const unknownOrg = mergeFactSets([
      { ...managementSet(), account: { ...managementSet().account, organizationId: null } },
      memberSet(),
    ]);
    assert.deepEqual(arns(accountView(unknownOrg, MEMBER)), []);
  });

  it('is a single-account set: the account, its Regions, accounts = [it]', () => {
    const view = accountView(merged, MEMBER);
    assert.equal(view.account.id, MEMBER);
    assert.deepEqual(view.accounts, [MEMBER]);
    assert.equal(view.auditedAccounts, undefined);
    assert.deepEqual(view.regions.map((region) => `${region.ref.accountId ?? ''}/${region.name}`), [`${MEMBER}/us-east-1`, `${MEMBER}/eu-west-1`]);
  });

  it('gives an unreachable account its Regions and no trail of its own (the engine judges nothing on it)', () => {
    const view = accountView(merged, UNREACHABLE);
    assert.deepEqual(arns(view), [ORG_TRAIL_ARN]);
    assert.equal(view.regions.length, 2);
    assert.equal(view.account.unreachable?.reason, 'access_denied');
  });
});
