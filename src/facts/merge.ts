/**
 * Several fact sets as one (issue 13): the per-account sets of an organization audit, and the
 * shard snapshots `evaluate S1 S2 …` reads. Pure. The scope (accounts, organization, kinds,
 * stats) is merged by mergeScope.ts, the resources by mergeItems.ts.
 *
 * Semantics:
 * - `accounts` and `auditedAccounts`: the union, sorted by id (a single-account set contributes
 *   its `account`); an account audited in two sets is an input error (shards are disjoint);
 * - `account`: the caller's account when audited, else the first audited account;
 * - `organization`: the same organization in every set (else an input error), `skipped` united,
 *   `shards` listing each set's `shard`;
 * - `regions`: concatenated (each region item names its account in `ref.accountId`);
 * - trails: one per ARN; the copy collected by the trail's owner wins over a member's shadow copy
 *   (whose details are Unknown(cross_account) "described in the owner account"); their
 *   `visibleInAccounts` are united. Trail gaps are kept per account;
 * - buckets: one per name; a copy read with the owner's credentials wins over an
 *   Unknown(cross_account) one; `trailArns` united;
 * - the other collections (every one of the kinds registry): one item per `ref.id` (gaps per
 *   account and Region), the copy read by the item's account preferred;
 * - `collected`: the kinds every set collected (intersection): a kind one set lacks is unsupported;
 * - `collectedAt`: the earliest; `stats`: API calls summed, duration the longest;
 * - derived facts are recomputed (deriveFacts) on the result.
 *
 * The sets are taken in the order of their lowest audited account id, so the order of the files
 * does not change the result. Errors the user can fix (overlapping shards, two organizations, a
 * live snapshot with a template scan) are {@link FactSetMergeError}s naming the sets by index.
 */
import { deriveFacts } from './derive.js';
import { COLLECTIONS } from './kinds/index.js';
import type { FactSet, ResourceRef } from './model.js';
import { FactSetMergeError } from './mergeError.js';
import { mergeBuckets, mergeByRef, mergeRegions, mergeTrails } from './mergeItems.js';
import {
  auditedAccounts,
  checkComparable,
  commonKinds,
  earliestCollectedAt,
  mergeEntries,
  mergeOrganization,
  mergeStats,
  representativeAccount,
} from './mergeScope.js';

export { FactSetMergeError } from './mergeError.js';

export function mergeFactSets(sets: readonly FactSet[]): FactSet {
  if (sets.length === 0) {
    throw new FactSetMergeError('no fact set to merge', [], '');
  }
  if (sets.length === 1 && sets[0] !== undefined) {
    return sets[0];
  }
  const entries = mergeEntries(sets);
  checkComparable(entries);
  const accounts = auditedAccounts(entries);
  const organization = mergeOrganization(entries);
  // Every collection of the registry: one added later is merged by `ref.id` without an edit here.
  const others = COLLECTIONS.filter(({ name }) => name !== 'trails' && name !== 'buckets').flatMap(({ name }) => {
    const items = mergeByRef<{ readonly ref: ResourceRef }>(entries, (set) => set[name]);
    return items === undefined ? [] : [[name, items] as const];
  });
  const [first] = entries as [(typeof entries)[number], ...typeof entries];
  const merged: FactSet = {
    schemaVersion: first.set.schemaVersion,
    source: first.set.source,
    collectedAt: earliestCollectedAt(entries),
    collected: commonKinds(entries),
    accounts: accounts.map((account) => account.id),
    account: representativeAccount(accounts, organization),
    auditedAccounts: accounts,
    ...(organization === undefined ? {} : { organization }),
    regions: mergeRegions(entries),
    trails: mergeTrails(entries),
    buckets: mergeBuckets(entries),
    eventDataStores: [],
    ...(Object.fromEntries(others) as Partial<FactSet>),
    stats: mergeStats(entries),
  };
  return deriveFacts(merged);
}
