/**
 * mergeFactSets does not depend on how the per-account sets were grouped: an unsharded
 * organization audit merges one set per account, `evaluate S1 S2 …` merges shards that were
 * merged already, and both must give the same resources in the same order (found end to end:
 * a monitoring message named whichever of two equally good trails came first).
 */
import { strict as assert } from 'node:assert';
import { mergeFactSets } from '../../src/facts/merge.js';
import { isGap, type FactSet, type TrailFacts } from '../../src/facts/model.js';
import { LOG_ARCHIVE, MEMBER, logArchiveSet, managementSet, memberSet, unreachableSet } from './organizationFixtures.js';

/** The set with a plain trail of its own account added (made from the fixtures' organization trail). */
function withOwnTrail(set: FactSet, account: string, name: string): FactSet {
  const template = managementSet().trails[0] as TrailFacts;
  const arn = `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`;
  const own: TrailFacts = { ...template, ref: { ...template.ref, id: arn, name, accountId: account }, arn, name, ownerAccountId: account, isOrganizationTrail: false };
  return { ...set, trails: [...set.trails, own] };
}

const names = (facts: FactSet): string[] => [
  ...facts.trails.map((item) => (isGap(item) ? `gap ${item.ref.id}` : item.arn)),
  ...facts.buckets.map((item) => (isGap(item) ? `gap ${item.ref.id}` : item.name)),
];

describe('mergeFactSets grouping', () => {
  it('gives the same trails and buckets, in the same order, however the accounts were sharded', () => {
    const sets = [
      managementSet(),
      withOwnTrail(logArchiveSet(), LOG_ARCHIVE, 'archive-local'),
      withOwnTrail(memberSet({ memberSeesShadow: true }), MEMBER, 'app'),
      unreachableSet(),
    ] as const;
    const whole = mergeFactSets(sets);
    const [management, logArchive, member, unreachable] = sets;
    const groupings = [
      [mergeFactSets([management, member]), mergeFactSets([logArchive, unreachable])],
      [mergeFactSets([member, unreachable]), mergeFactSets([logArchive, management])],
      [mergeFactSets([unreachable, management, logArchive]), member],
    ];
    assert.ok(names(whole).length >= 3);
    for (const shards of groupings) {
      const evaluated = mergeFactSets(shards);
      assert.deepEqual(names(evaluated), names(whole));
      assert.deepEqual(evaluated.trails, whole.trails);
      assert.deepEqual(evaluated.buckets, whole.buckets);
    }
  });
});
