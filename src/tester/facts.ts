/**
 * Compact facts → a complete FactSet (in the spirit of ESLint's RuleTester): defaults describe a
 * fully compliant account, so a case only states what differs.
 *
 * Compact facts:
 * - `account: {publicAccessBlock?, scope?: partial}` (partial: an IaC scan's view); `regions: [names]` (default [us-east-1]); `collected?: [needs]`.
 * - `trails: [{name, homeRegion?, owner?, ...TrailFacts overrides}]`: ARN, ref, visibility,
 *   status, management-event coverage (derived from `eventSelectors`, given in the
 *   GetEventSelectors shape) and user tag keys (derived from `tags`) are filled in.
 * - `trailGaps: [{region, reason, isMultiRegion?}]`: a region whose trails could not be listed
 *   (isMultiRegion omitted = unknown, as when no region could be listed).
 * - `buckets: [{name, acl?, policy?, policyStatusIsPublic?, publicAccessBlock?, objectOwnership?,
 *   logging?, publicAccess?, trailArns?, unreadable?}]`: `publicAccess` is computed by the real
 *   evaluatePublicAccess; `unreadable: <reason>` gives the shape the collector uses for a bucket in
 *   another account (cross_account) or a deleted one (not_found).
 * - `eventDataStores: [{name, region?, status?, kmsKeyId?, ...}]`, `eventDataStoreGaps: [{region, reason}]`.
 * - `logGroups`, `alarms`, `topics`, `securityHubs`: see src/tester/logMonitoring.ts.
 * - `kmsKeys: [{trail | store | id, ...}]` (kmsKeys.ts); absent = the collection is not in the fact set.
 * - `{$unknown: <reason>}` (optionally with `operation`, `message`) anywhere stands for an Unknown.
 */
import { deriveFacts } from '../facts/derive.js';
import { bucketGap } from '../facts/gaps.js';
import type { EventDataStoreFacts, EventDataStoreGap, FactNeed, FactSet, UnknownReason } from '../facts/model.js';
import { FACT_NEEDS, UNKNOWN_REASONS, isGap } from '../facts/model.js';
import { CASE_TABLE_FACT_KEYS } from '../facts/kinds/index.js';
import { schemaValidator } from '../load/schemaValidation.js';
import { accountInconsistencies } from '../load/snapshotAccounts.js';
import { danglingBucketLinks, repeatedItems } from '../load/snapshotLinks.js';
import { buildBucket, publicAccessBlock } from './buckets.js';
import { buildKmsKey } from './kmsKeys.js';
import { buildMonitoringCollections } from './logMonitoring.js';
import { ACCOUNT_ID, PARTITION, TODAY, TableError, expandUnknowns, isRecord, requireKeys, stringField, type BuildContext, type Compact } from './compact.js';
import { buildTrail, buildTrailGap } from './trails.js';

/**
 * The keys `facts:` of a case accepts: account, Regions, `collected`, and each collection of the
 * fact-kind registry with its gaps (src/facts/kinds/index.ts).
 */
export const FACT_KEYS: readonly string[] = CASE_TABLE_FACT_KEYS;

export function buildEventDataStore(compact: Compact, context: BuildContext, where = 'eventDataStore'): EventDataStoreFacts {
  requireKeys(where, compact, ['name', 'region', 'status', 'kmsKeyId', 'multiRegionEnabled', 'organizationEnabled'], ['name']);
  const name = stringField(where, compact.name, 'name');
  const region = compact.region === undefined ? (context.regions[0] ?? 'us-east-1') : stringField(where, compact.region, 'region');
  const arn = `arn:${PARTITION}:cloudtrail:${region}:${ACCOUNT_ID}:eventdatastore/${name}`;
  const { name: _name, region: _region, ...overrides } = expandUnknowns(compact, where) as Record<string, unknown>;
  return {
    ref: { type: 'AWS::CloudTrail::EventDataStore', id: arn, name, accountId: ACCOUNT_ID, region },
    arn,
    name,
    region,
    status: 'ENABLED',
    kmsKeyId: `arn:${PARTITION}:kms:${region}:${ACCOUNT_ID}:key/5c1d9a3e-2222-4b3c-8d4e-lakekey00001`,
    multiRegionEnabled: true,
    organizationEnabled: false,
    ...overrides,
  };
}

export function buildEventDataStoreGap(compact: Compact, where = 'eventDataStoreGap'): EventDataStoreGap {
  requireKeys(where, compact, ['region', 'reason'], ['region', 'reason']);
  const region = stringField(where, compact.region, 'region');
  const reason = compact.reason as UnknownReason;
  if (!UNKNOWN_REASONS.includes(reason)) {
    throw new TableError(`${where}: reason must be one of ${UNKNOWN_REASONS.join(', ')}`);
  }
  return {
    ref: {
      type: 'AWS::CloudTrail::EventDataStore',
      id: `arn:${PARTITION}:cloudtrail:${region}:${ACCOUNT_ID}:eventdatastore/*`,
      accountId: ACCOUNT_ID,
      region,
    },
    $gap: { reason, message: `(test) ListEventDataStores failed in ${region}: ${reason}.`, operation: 'cloudtrail:ListEventDataStores', region },
    region,
  };
}

function listOf(where: string, value: unknown): Compact[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw new TableError(`${where} must be a list of mappings`);
  }
  return value;
}

/** A complete FactSet from compact facts; validated against schemas/facts.schema.json. */
export function buildFacts(compact: Compact): FactSet {
  requireKeys('facts', compact, FACT_KEYS, []);
  const regions = (compact.regions ?? ['us-east-1']) as string[];
  if (!Array.isArray(regions) || !regions.every((region) => typeof region === 'string')) {
    throw new TableError('facts.regions must be a list of region names');
  }
  const accountCompact = (compact.account ?? {}) as Compact;
  requireKeys('facts.account', accountCompact, ['publicAccessBlock', 'scope'], []);
  if (accountCompact.scope !== undefined && accountCompact.scope !== 'partial') {
    throw new TableError('facts.account.scope can only be partial (what a template scan shows)');
  }
  const accountPab = publicAccessBlock('facts.account.publicAccessBlock', expandUnknowns(accountCompact.publicAccessBlock ?? null));
  const context: BuildContext = { regions, accountPublicAccessBlock: accountPab };
  const trails = listOf('facts.trails', compact.trails).map((trail, index) => buildTrail(trail, context, `facts.trails[${index}]`));
  const ownerGiven = listOf('facts.trails', compact.trails).map((trail) => 'ownerInScope' in trail);
  const gaps = listOf('facts.trailGaps', compact.trailGaps).map((gap, index) => buildTrailGap(gap, `facts.trailGaps[${index}]`));
  // As the live collector does: a region whose trails could not be listed hides their log buckets.
  const buckets = [
    ...listOf('facts.buckets', compact.buckets).map((bucket, index) => buildBucket(bucket, context, trails, `facts.buckets[${index}]`)),
    ...gaps.map((gap) => bucketGap(gap.homeRegion, gap.$gap, ACCOUNT_ID, PARTITION)),
  ];
  const stores = listOf('facts.eventDataStores', compact.eventDataStores).map((store, index) =>
    buildEventDataStore(store, context, `facts.eventDataStores[${index}]`),
  );
  const storeGaps = listOf('facts.eventDataStoreGaps', compact.eventDataStoreGaps).map((gap, index) =>
    buildEventDataStoreGap(gap, `facts.eventDataStoreGaps[${index}]`),
  );
  // Absent unless the case lists them, as in a snapshot that did not collect them.
  const kmsKeys = compact.kmsKeys === undefined ? undefined : listOf('facts.kmsKeys', compact.kmsKeys).map((key, index) => buildKmsKey(key, context, trails, `facts.kmsKeys[${index}]`, stores));
  const collected = (compact.collected ?? FACT_NEEDS) as FactNeed[];
  if (!Array.isArray(collected) || !collected.every((need) => FACT_NEEDS.includes(need))) {
    throw new TableError(`facts.collected must list fact needs among ${FACT_NEEDS.join(', ')}`);
  }
  const facts: FactSet = {
    schemaVersion: 1,
    source: 'live',
    collectedAt: `${TODAY}T00:00:00.000Z`,
    collected,
    account: {
      ref: { type: 'AWS::::Account', id: ACCOUNT_ID, accountId: ACCOUNT_ID, region: 'global' },
      id: ACCOUNT_ID,
      partition: PARTITION,
      publicAccessBlock: accountPab,
      ...(accountCompact.scope === 'partial' ? { scope: 'partial' as const } : {}),
    },
    regions: regions.map((name) => ({ ref: { type: 'AWS::::Account', id: ACCOUNT_ID, accountId: ACCOUNT_ID, region: name }, name })),
    trails: [...trails, ...gaps],
    buckets,
    eventDataStores: [...stores, ...storeGaps],
    ...buildMonitoringCollections(compact, context, trails),
    ...(kmsKeys === undefined ? {} : { kmsKeys }),
    stats: { apiCalls: {}, durationMs: 0 },
  };
  // The snapshot schema is what `trailaudit evaluate` accepts: built facts must be loadable too.
  const validate = schemaValidator('facts.schema.json');
  if (!validate(JSON.parse(JSON.stringify(facts)))) {
    throw new TableError(`built facts do not satisfy facts.schema.json: ${JSON.stringify(validate.errors)}`);
  }
  // …and pass the consistency checks `evaluate` makes, so a case cannot stand on facts no audit
  // produces (a trail whose bucket is missing from the buckets a case lists would make CloudTrail.6
  // NOT_APPLICABLE). A case that lists no buckets is about trails only; its trails' buckets are left out.
  const links = compact.buckets === undefined ? [] : danglingBucketLinks(facts, 'facts');
  const inconsistent = [...accountInconsistencies(facts, 'facts'), ...repeatedItems(facts, 'facts'), ...links][0];
  if (inconsistent !== undefined) {
    throw new TableError(`facts.${inconsistent.path}: ${inconsistent.message}`);
  }
  // Derived facts (a bucket's publicAccess, a trail's managementEvents and userTagKeys) are
  // recomputed from the raw ones exactly as `evaluate` does: a case cannot set a verdict the real
  // derivation would never give. The one exception is a trail's `ownerInScope` when the case sets
  // it: cases use it to show how checks treat a trail of another account in the audit, or an
  // ownership that could not be determined (which no derivation produces, and checks must still
  // never PASS on).
  const derived = deriveFacts(facts);
  return {
    ...derived,
    trails: derived.trails.map((trail, index) => {
      if (isGap(trail)) {
        // A gap is as the case declares it (its isMultiRegion may be left Unknown even where
        // another Region was listed, to show how checks treat that).
        return gaps[index - trails.length] ?? trail;
      }
      const built = trails[index];
      return built === undefined || !ownerGiven[index] ? trail : { ...trail, ownerInScope: built.ownerInScope };
    }),
  };
}
