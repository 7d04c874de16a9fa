/**
 * THE registry of fact kinds: one line per subject folder. Everything that lists kinds follows
 * from it: `collected` of each source (a source lists exactly the kinds it has a reader for), the
 * needs a need implies (its dependencies), the IAM actions behind a need, the snapshot loader's
 * item definitions; the check schema's `needs` enum and the snapshot schema's kinds and
 * collections are generated from it by `npm run build` (scripts/registrySchemasSource.ts); and
 * test/facts/registry.test.ts guards the rest: FACT_NEEDS, the IAM permission table, the bench's
 * minimum-call model, and that the committed schemas are what the build writes.
 *
 * Declarative on purpose: the snapshot loader and the check loader read it, and must not load the
 * AWS SDK to do so.
 */
import type { FactNeed } from '../model.js';
import { BUCKET_KINDS, BUCKETS_COLLECTION } from './buckets/kinds.js';
import { EVENT_DATA_STORE_KINDS, EVENT_DATA_STORES_COLLECTION } from './eventDataStores/kinds.js';
import { KMS_KEY_KINDS, KMS_KEYS_COLLECTION } from './kmsKeys/kinds.js';
import { ALARMS_COLLECTION, LOG_GROUPS_COLLECTION, LOG_MONITORING_KINDS, TOPICS_COLLECTION } from './logMonitoring/kinds.js';
import { SECURITY_HUB_KINDS, SECURITY_HUBS_COLLECTION } from './securityHub/kinds.js';
import { TRAIL_KINDS, TRAILS_COLLECTION } from './trails/kinds.js';
import type { CollectionSpec, FactKind, KindSource } from './types.js';

export const FACT_KINDS: readonly FactKind[] = [
  ...TRAIL_KINDS,
  ...BUCKET_KINDS,
  ...EVENT_DATA_STORE_KINDS,
  ...LOG_MONITORING_KINDS,
  ...KMS_KEY_KINDS,
  ...SECURITY_HUB_KINDS,
];

/** The fact set's item collections, in the order of the fact set. */
export const COLLECTIONS: readonly CollectionSpec[] = [
  TRAILS_COLLECTION,
  BUCKETS_COLLECTION,
  EVENT_DATA_STORES_COLLECTION,
  LOG_GROUPS_COLLECTION,
  ALARMS_COLLECTION,
  TOPICS_COLLECTION,
  KMS_KEYS_COLLECTION,
  SECURITY_HUBS_COLLECTION,
];

/** The keys of a case table's compact `facts` (the check tester's): account, Regions, `collected`, each collection and its gaps. */
export const CASE_TABLE_FACT_KEYS: readonly string[] = [
  'account',
  'regions',
  'collected',
  ...COLLECTIONS.flatMap((collection) => (collection.caseTableGaps === undefined ? [collection.name] : [collection.name, collection.caseTableGaps])),
];

/**
 * The needs a source reads, in registry order: what it may claim in `collected`. A kind without a
 * reader for the source is left out, so checks over it are UNKNOWN(unsupported) there, never a
 * verdict over a list nobody filled.
 */
export function needsReadBy(source: KindSource, kinds: readonly FactKind[] = FACT_KINDS): FactNeed[] {
  return kinds.filter((kind) => kind.sources.includes(source)).map((kind) => kind.need);
}

/** `needs` and every kind they depend on, transitively (a trail's status needs the trails listed). */
export function withDependencies(needs: Iterable<FactNeed>, kinds: readonly FactKind[] = FACT_KINDS): Set<FactNeed> {
  const byNeed = new Map(kinds.map((kind) => [kind.need, kind]));
  const result = new Set<FactNeed>();
  const visit = (need: FactNeed): void => {
    if (result.has(need)) {
      return;
    }
    result.add(need);
    for (const dependency of byNeed.get(need)?.dependsOn ?? []) {
      visit(dependency);
    }
  };
  for (const need of needs) {
    visit(need);
  }
  return result;
}

/**
 * IAM action → the SDK operation it authorises and the needs that make a live audit call it (the
 * kind's own calls and those of the kinds it depends on), in registry order.
 */
export function kindOperations(kinds: readonly FactKind[] = FACT_KINDS): Map<string, { operation: string; needs: FactNeed[] }> {
  const table = new Map<string, { operation: string; needs: FactNeed[] }>();
  for (const kind of kinds) {
    for (const need of withDependencies([kind.need], kinds)) {
      const source = kinds.find((candidate) => candidate.need === need);
      for (const [action, operation] of Object.entries(source?.operations ?? {})) {
        const entry = table.get(action) ?? { operation, needs: [] };
        if (!entry.needs.includes(kind.need)) {
          entry.needs.push(kind.need);
        }
        table.set(action, entry);
      }
    }
  }
  return table;
}
