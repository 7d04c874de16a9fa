/**
 * Derived facts, recomputed from the raw facts they summarise.
 *
 * Some facts are not read from a source but computed from other facts by pure functions, each in
 * its kind's folder: a bucket's `publicAccess` (kinds/buckets/derive.ts), a trail's
 * `managementEvents`, its `userTagKeys`, the `isLogging` copy of `status.isLogging` and, for a
 * live audit, its `ownerInScope` (kinds/trails/derive.ts); an event data store's `kmsKeyIdentifiers`
 * (kinds/eventDataStores/derive.ts). A saved snapshot must never be trusted for them: an edited file could
 * claim a public bucket is private, and an old snapshot would keep the verdict of the logic it was
 * saved with. `evaluate` therefore replaces every derived fact with the value computed here from
 * the raw facts, with the same functions and the same inputs the collectors use, so that
 * re-deriving a collector's own output changes nothing (test/facts/derive.test.ts).
 *
 * Unknown raw facts give Unknown derived facts exactly as in the collectors (Kleene logic: an
 * Unknown only makes the result Unknown when it could change it). A derived fact whose raw
 * inputs are absent (the fact kind was not collected) is removed rather than kept unverified.
 */
import { deriveBucket } from './kinds/buckets/derive.js';
import { deriveEventDataStore } from './kinds/eventDataStores/derive.js';
import { deriveMonitoring } from './kinds/logMonitoring/derive.js';
import { deriveTrail, type TrailScope } from './kinds/trails/derive.js';
import { accountsInScope, isGap, type FactSet } from './model.js';

function listedSomewhere(facts: FactSet): (accountId: string) => boolean {
  const balance = new Map<string, number>();
  const count = (accountId: string | null, step: number): void => {
    const account = accountId ?? facts.account.id;
    balance.set(account, (balance.get(account) ?? 0) + step);
  };
  facts.regions.forEach((region) => {
    count(region.ref.accountId, 1);
  });
  facts.trails.filter(isGap).forEach((gap) => {
    count(gap.ref.accountId, -1);
  });
  return (accountId) => (balance.get(accountId) ?? 0) > 0;
}

/** The fact set with every derived fact recomputed from the raw facts. */
export function deriveFacts(facts: FactSet): FactSet {
  const scope: TrailScope = {
    inScope: new Set(accountsInScope(facts)),
    // Whether some audited Region of the account had its trails listed (a gap's multi-Region
    // trails would show there): more Regions than gaps, counted per account.
    anotherRegionListed: listedSomewhere(facts),
  };
  // `monitoring` is derived as a whole (kinds/logMonitoring/derive.ts): a stored one is never kept.
  const { monitoring: _storedMonitoring, ...raw } = facts;
  const trails = facts.trails.map((trail) => deriveTrail(trail, facts, scope));
  // Monitoring reads the trails' derived management-event coverage, so it follows them.
  const monitoring = deriveMonitoring({ ...raw, trails });
  return {
    ...raw,
    trails,
    buckets: facts.buckets.map((bucket) => deriveBucket(bucket, facts)),
    eventDataStores: facts.eventDataStores.map((store) => deriveEventDataStore(store, facts)),
    ...(monitoring === undefined ? {} : { monitoring }),
  };
}
