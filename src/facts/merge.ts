/**
 * Several fact sets as one (CONTRACT, issue 13; implemented by the merge/engine part):
 * the per-account sets of an organization audit, and the shard snapshots `evaluate S1 S2 …`
 * reads. Pure.
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
 * - the other collections: one item per `ref.id` (gaps per account and Region);
 * - `collected`: the kinds every set collected (intersection): a kind one set lacks is unsupported;
 * - `collectedAt`: the earliest; `stats`: API calls summed, duration the longest;
 * - derived facts are recomputed (deriveFacts) on the result.
 */
import type { FactSet } from './model.js';

export function mergeFactSets(sets: readonly FactSet[]): FactSet {
  if (sets.length === 1 && sets[0] !== undefined) {
    return sets[0];
  }
  throw new Error('internal: mergeFactSets is not implemented yet (issue 13 contract)');
}
