/**
 * facts/merge.ts: several per-account (or per-shard) fact sets as one organization set.
 */
import { strict as assert } from 'node:assert';
import { deriveFacts } from '../../src/facts/derive.js';
import { FactSetMergeError, mergeFactSets } from '../../src/facts/merge.js';
import { isGap, isUnknown, type BucketFacts, type FactSet, type TrailFacts } from '../../src/facts/model.js';
import { trailGap } from '../../src/facts/gaps.js';
import {
  LOG_ARCHIVE,
  MANAGEMENT,
  MEMBER,
  ORG,
  ORG_TRAIL_ARN,
  logArchiveSet,
  managementSet,
  memberSet,
  outsiderSet,
  unreachableSet,
} from './organizationFixtures.js';

function trail(facts: FactSet, arn: string): TrailFacts {
  const found = facts.trails.find((item) => !isGap(item) && item.arn === arn);
  assert.ok(found !== undefined && !isGap(found), `no trail ${arn}`);
  return found;
}

function bucket(facts: FactSet, name: string): BucketFacts {
  const found = facts.buckets.filter((item): item is BucketFacts => !isGap(item) && item.name === name);
  assert.equal(found.length, 1, `bucket ${name} once`);
  return found[0] as BucketFacts;
}

function organization(shard: number, count: number, extra: Partial<NonNullable<FactSet['organization']>> = {}): NonNullable<FactSet['organization']> {
  return {
    id: ORG,
    managementAccountId: MANAGEMENT,
    callerAccountId: MANAGEMENT,
    roleName: 'OrganizationAccountAccessRole',
    accountsInScope: [MANAGEMENT, LOG_ARCHIVE, MEMBER],
    skipped: [],
    shard: { index: shard, count },
    ...extra,
  };
}

describe('mergeFactSets', () => {
  it('keeps the owner’s copy of an organization trail over a member’s shadow copy, uniting where it was listed', () => {
    for (const order of [
      [memberSet({ memberSeesShadow: true }), managementSet()],
      [managementSet(), memberSet({ memberSeesShadow: true })],
    ]) {
      const merged = mergeFactSets(order);
      const trails = merged.trails.filter((item) => !isGap(item) && item.arn === ORG_TRAIL_ARN);
      assert.equal(trails.length, 1, 'one trail per ARN');
      const orgTrail = trail(merged, ORG_TRAIL_ARN);
      assert.equal(orgTrail.logFileValidationEnabled, false, 'the owner’s described value, not the member’s Unknown');
      assert.deepEqual(orgTrail.status, { isLogging: true });
      assert.deepEqual(orgTrail.visibleInAccounts, [MANAGEMENT, MEMBER]);
      assert.equal(orgTrail.ownerInScope, true, 'ownerInScope is derived from the merged accounts');
    }
  });

  it('keeps the bucket read with its owner’s credentials over an Unknown(cross_account) copy, trailArns united', () => {
    const merged = mergeFactSets([managementSet(), logArchiveSet()]);
    const logs = bucket(merged, 'org-logs');
    assert.equal(logs.ownerAccountId, LOG_ARCHIVE);
    assert.deepEqual(logs.trailArns, [ORG_TRAIL_ARN]);
    // Derived with the owner's own account-level Block Public Access (null: none): a real verdict.
    assert.ok(logs.publicAccess !== undefined && !isUnknown(logs.publicAccess), JSON.stringify(logs.publicAccess));
    assert.equal(logs.publicAccess.isPublic, false);
    // Without the log-archive account the bucket stays Unknown(cross_account): never a verdict.
    const alone = bucket(mergeFactSets([managementSet(), memberSet()]), 'org-logs');
    assert.ok(isUnknown(alone.publicAccess) && alone.publicAccess.$unknown.reason === 'cross_account');
  });

  it('lists the audited accounts once, sorted, the caller’s account as `account`, and every Region per account', () => {
    const merged = mergeFactSets([
      { ...memberSet(), organization: organization(2, 2) },
      { ...managementSet(), organization: organization(1, 2) },
      { ...logArchiveSet(), organization: organization(2, 2) },
    ]);
    assert.deepEqual(merged.accounts, [MANAGEMENT, LOG_ARCHIVE, MEMBER]);
    assert.deepEqual(merged.auditedAccounts?.map((account) => account.id), [MANAGEMENT, LOG_ARCHIVE, MEMBER]);
    assert.equal(merged.account.id, MANAGEMENT);
    assert.equal(merged.regions.length, 6);
    assert.deepEqual(merged.organization?.shards, [
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    assert.equal(merged.organization.shard, undefined, 'the merged set is no single shard');
  });

  it('chooses the first audited account when the caller was not audited', () => {
    const merged = mergeFactSets([
      { ...memberSet(), organization: organization(1, 1, { callerAccountId: '999999999999' }) },
      logArchiveSet(),
    ]);
    assert.equal(merged.account.id, LOG_ARCHIVE);
  });

  it('unites the skipped accounts and the accounts in scope', () => {
    const skipped = { accountId: '666666666666', reason: 'suspended', message: `SUSPENDED in organization ${ORG}` } as const;
    const merged = mergeFactSets([
      { ...managementSet(), organization: organization(1, 2, { skipped: [skipped] }) },
      { ...memberSet(), organization: organization(2, 2, { skipped: [skipped], accountsInScope: [MEMBER, '777777777777'] }) },
    ]);
    assert.deepEqual(merged.organization?.skipped, [skipped]);
    assert.deepEqual(merged.organization.accountsInScope, [MANAGEMENT, LOG_ARCHIVE, MEMBER, '777777777777']);
  });

  it('is the whole organization only when every set was (one --ou set narrows the union; an older set without the field too)', () => {
    const whole = (...flags: (boolean | undefined)[]): boolean | undefined =>
      mergeFactSets(
        flags.map((flag, index) => ({
          ...(index === 0 ? managementSet() : memberSet()),
          organization: organization(index + 1, 2, flag === undefined ? {} : { wholeOrganization: flag }),
        })),
      ).organization?.wholeOrganization;
    assert.equal(whole(true, true), true);
    assert.equal(whole(false, true), false);
    assert.equal(whole(true, false), false);
    assert.equal(whole(true, undefined), false);
    assert.equal(whole(undefined, undefined), undefined);
  });

  it('refuses an account audited in two sets (overlapping shards), naming both sets', () => {
    assert.throws(
      () => mergeFactSets([managementSet(), memberSet(), memberSet()]),
      (error: unknown) => error instanceof FactSetMergeError && error.message.includes(MEMBER) && error.sets.length === 2 && error.sets.includes(1) && error.sets.includes(2),
    );
  });

  it('refuses sets of two organizations, and a live set with a template scan', () => {
    assert.throws(
      () => mergeFactSets([{ ...managementSet(), organization: organization(1, 2) }, { ...memberSet(), organization: organization(2, 2, { id: 'o-zzzzzzzzzz' }) }]),
      (error: unknown) => error instanceof FactSetMergeError && error.path === 'organization.id' && /different organizations/u.test(error.message),
    );
    assert.throws(
      () =>
        mergeFactSets([
          { ...managementSet(), organization: organization(1, 2, { regionsRequested: ['eu-west-1', 'us-east-1'] }) },
          { ...memberSet(), organization: organization(2, 2, { regionsRequested: ['us-east-1'] }) },
        ]),
      (error: unknown) => error instanceof FactSetMergeError && error.path === 'organization.regionsRequested' && /different Regions/u.test(error.message),
    );
    assert.throws(
      () => mergeFactSets([{ ...managementSet(), organization: organization(1, 3) }, { ...memberSet(), organization: organization(2, 2) }]),
      (error: unknown) => error instanceof FactSetMergeError && error.path === 'organization.shard' && /different partitions \(1\/3 and 2\/2\)/u.test(error.message),
    );
    assert.throws(
      () => mergeFactSets([managementSet(), { ...memberSet(), source: 'cloudformation' }]),
      (error: unknown) => error instanceof FactSetMergeError && error.path === 'source',
    );
  });

  it('keeps only the kinds every set collected, the earliest collection time, and sums the API calls', () => {
    const partial = { ...memberSet(), collected: memberSet().collected.filter((need) => need !== 'bucketLogging') };
    const merged = mergeFactSets([managementSet(), partial, logArchiveSet()]);
    assert.deepEqual(merged.collected, ['trails', 'trailStatus', 'eventSelectors', 'bucketPublicAccess']);
    assert.equal(merged.collectedAt, '2026-12-06T09:59:00.000Z');
    assert.deepEqual(merged.stats.apiCalls, { 'cloudtrail:DescribeTrails': 6, 's3:ListBuckets': 5, 'sts:GetCallerIdentity': 3 });
    assert.equal(merged.stats.durationMs, 300, 'the longest set');
  });

  it('keeps each account’s trail gaps, and judges a gap by its own account’s listings', () => {
    // The member could list no Region at all: its gaps may hide a multi-Region trail, whatever the
    // management account could list.
    const failure = { reason: 'access_denied', message: 'DescribeTrails denied', operation: 'cloudtrail:DescribeTrails' } as const;
    const member = memberSet();
    const blind = { ...member, trails: member.regions.map((region) => trailGap(region.name, failure, MEMBER, 'aws', false)) };
    const merged = mergeFactSets([managementSet(), blind]);
    const gaps = merged.trails.filter(isGap);
    assert.equal(gaps.length, 2);
    for (const gap of gaps) {
      assert.ok(isUnknown(gap.isMultiRegion), 'no Region of the member was listed');
    }
  });

  it('merges the same result in any order, and re-deriving it changes nothing', () => {
    const sets = [managementSet(), memberSet({ memberSeesShadow: true }), logArchiveSet(), outsiderSet(), unreachableSet()];
    const merged = mergeFactSets(sets);
    assert.deepEqual(mergeFactSets([...sets].reverse()), merged);
    assert.deepEqual(deriveFacts(JSON.parse(JSON.stringify(merged)) as FactSet), JSON.parse(JSON.stringify(merged)));
  });

  it('merges 200 accounts × 17 Regions in well under a second (one Map per collection)', () => {
    const regions = Array.from({ length: 17 }, (_, index) => `xx-test-${String(index + 1)}`);
    const sets = Array.from({ length: 200 }, (_, index) => {
      const id = String(100000000000 + index);
      const base = memberSet();
      const arn = `arn:aws:cloudtrail:us-east-1:${id}:trail/own`;
      const own = { ...trail(managementSet(), ORG_TRAIL_ARN), arn, name: 'own', ownerAccountId: id, isOrganizationTrail: false, ref: { ...base.account.ref, type: 'AWS::CloudTrail::Trail', id: arn } };
      return {
        ...base,
        accounts: [id],
        account: { ...base.account, id, ref: { ...base.account.ref, id, accountId: id } },
        regions: regions.map((name) => ({ ref: { type: 'AWS::::Account', id, accountId: id, region: name }, name })),
        trails: [own, trail(memberSet({ memberSeesShadow: true }), ORG_TRAIL_ARN)],
        buckets: [{ ...bucket(managementSet(), 'org-logs'), trailArns: [arn, ORG_TRAIL_ARN] }],
      } satisfies FactSet;
    });
    const started = performance.now();
    const merged = mergeFactSets(sets);
    const elapsed = performance.now() - started;
    assert.equal(merged.regions.length, 200 * 17);
    assert.equal(merged.trails.length, 201);
    assert.equal(trail(merged, ORG_TRAIL_ARN).visibleInAccounts?.length, 200);
    assert.equal(bucket(merged, 'org-logs').trailArns.length, 201);
    assert.ok(elapsed < 1000, `merge took ${elapsed.toFixed(0)} ms`);
  });
});
