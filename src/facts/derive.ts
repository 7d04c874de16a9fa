/**
 * Derived facts, recomputed from the raw facts they summarise.
 *
 * Some facts are not read from a source but computed from other facts by pure functions: a
 * bucket's `publicAccess` (kinds/buckets/publicAccess.ts), a trail's `managementEvents` (kinds/trails/eventSelectors.ts), its
 * `userTagKeys` (kinds/trails/tags.ts), the `isLogging` copy of `status.isLogging` and, for a live audit, a
 * trail's `ownerInScope`. A saved snapshot must never be trusted for them: an edited file could
 * claim a public bucket is private, and an old snapshot would keep the verdict of the logic it was
 * saved with. `evaluate` therefore replaces every derived fact with the value computed here from
 * the raw facts, with the same functions and the same inputs the collectors use, so that
 * re-deriving a collector's own output changes nothing (test/facts/derive.test.ts).
 *
 * Unknown raw facts give Unknown derived facts exactly as in the collectors (Kleene logic: an
 * Unknown only makes the result Unknown when it could change it). A derived fact whose raw
 * inputs are absent (the fact kind was not collected) is removed rather than kept unverified.
 */
import { isDeepStrictEqual } from 'node:util';
import { managementEventCoverage } from './kinds/trails/eventSelectors.js';
import type {
  BucketFacts,
  BucketGap,
  EventSelectors,
  FactSet,
  ManagementEventCoverage,
  Maybe,
  PublicAccessBlock,
  PublicAccessVerdict,
  TrailFacts,
  TrailGap,
} from './model.js';
import { accountsInScope, isGap, isUnknown, unknown } from './model.js';
import { evaluatePublicAccess } from './kinds/buckets/publicAccess.js';
import { userTagKeysOf } from './kinds/trails/tags.js';

/** The fact set with every derived fact recomputed from the raw facts. */
export function deriveFacts(facts: FactSet): FactSet {
  const inScope = new Set(accountsInScope(facts));
  return {
    ...facts,
    trails: facts.trails.map((trail) => deriveTrail(trail, facts, inScope)),
    buckets: facts.buckets.map((bucket) => deriveBucket(bucket, facts)),
  };
}

/* ------------------------------------------------------------------ trails */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function deriveTrail(item: TrailFacts | TrailGap, facts: FactSet, inScope: ReadonlySet<string>): TrailFacts | TrailGap {
  if (isGap(item)) {
    // A gap holds no raw facts to derive from: what it knows is what could be listed.
    return item;
  }
  const { managementEvents: _managementEvents, userTagKeys: _userTagKeys, ...raw } = item;
  const trail: Mutable<TrailFacts> = { ...raw };
  if (facts.source === 'live') {
    // A trail is in scope exactly when an audited account owns it (an organization trail seen
    // from a member whose management account is not audited is not). IaC sources set it to true
    // by construction (the files are the scope), with no owner to compare.
    trail.ownerInScope = inScope.has(item.ownerAccountId);
  }
  if (item.status !== undefined) {
    // `isLogging` is a copy of the status's own flag (or of the same Unknown). CloudFormation
    // has no status and keeps its own `isLogging` (Unknown for a conditional trail).
    trail.isLogging = isUnknown(item.status) ? item.status : item.status.isLogging;
  }
  if (item.eventSelectors !== undefined) {
    trail.managementEvents = coverage(item.eventSelectors, item.hasCustomEventSelectors);
  }
  if (item.tags !== undefined) {
    trail.userTagKeys = userTagKeysOf(item.tags);
  }
  return trail;
}

/**
 * managementEventCoverage with Kleene handling of an Unknown HasCustomEventSelectors: it only
 * matters for an empty selector list and for AWS's default basic selector, so the coverage is
 * Unknown only when the two possible answers differ.
 */
function coverage(selectors: Maybe<EventSelectors>, hasCustom: Maybe<boolean> | undefined): Maybe<ManagementEventCoverage> {
  if (isUnknown(selectors)) {
    return selectors;
  }
  try {
    if (!isUnknown(hasCustom)) {
      return managementEventCoverage(selectors, hasCustom);
    }
    const ifCustom = managementEventCoverage(selectors, true);
    return isDeepStrictEqual(ifCustom, managementEventCoverage(selectors, false)) ? ifCustom : hasCustom;
  } catch (error) {
    // The schema admits the shape; a value the analysis still cannot read is a gap, not a verdict.
    return unknown('error', `The snapshot's event selectors could not be analysed: ${error instanceof Error ? error.message : String(error)}`, {
      operation: 'cloudtrail:GetEventSelectors',
    });
  }
}

/* ------------------------------------------------------------------ buckets */

function deriveBucket(item: BucketFacts | BucketGap, facts: FactSet): BucketFacts | BucketGap {
  if (isGap(item)) {
    return item;
  }
  const { publicAccess: _publicAccess, ...raw } = item;
  if (item.acl === undefined) {
    // bucketPublicAccess was not collected: no verdict to keep (the schema requires the raw
    // facts whenever it was).
    return raw;
  }
  return { ...raw, publicAccess: publicAccessOf(item, facts) };
}

function missing(what: string, name: string): Maybe<never> {
  return unknown('error', `The snapshot holds no ${what} for bucket ${name}, which its public-access verdict needs.`);
}

function publicAccessOf(bucket: BucketFacts, facts: FactSet): Maybe<PublicAccessVerdict> {
  const owner = bucket.ownerAccountId;
  if (isUnknown(owner)) {
    // A bucket that could not be located (deleted, another account's, not declared in the
    // scanned files): the collectors read nothing else about it, and even whose account-level
    // Block Public Access applies is not known, so the verdict is that same Unknown.
    return owner;
  }
  // `=== undefined`, not `??`: null is a real answer ("none configured").
  const held = <T>(value: Maybe<T> | undefined, what: string): Maybe<T> => (value === undefined ? missing(what, bucket.name) : value);
  return evaluatePublicAccess({
    acl: held(bucket.acl, 'ACL'),
    policy: held(bucket.policy, 'bucket policy'),
    policyStatusIsPublic: held(bucket.policyStatusIsPublic, 'policy status'),
    // Unknown('unsupported') when the live audit did not read them because neither the ACL nor
    // the policy could make the bucket public (absent in snapshots saved before that): if an
    // edited snapshot made them matter, the verdict is Unknown, never "not public".
    objectOwnership: held(bucket.objectOwnership, 'Object Ownership'),
    bucketPublicAccessBlock: held(bucket.publicAccessBlock, 'bucket-level Block Public Access'),
    accountPublicAccessBlock: accountBlockFor(bucket, owner, facts),
  });
}

/** The account-level Block Public Access the collector combined with this bucket's settings. */
function accountBlockFor(bucket: BucketFacts, owner: string, facts: FactSet): Maybe<PublicAccessBlock | null> {
  const { account } = facts;
  if (facts.source !== 'live') {
    // A merged scan records, on a bucket whose file used another account-level block than the
    // merged one, the block it was evaluated with (collect/iac/scan.ts). Otherwise the file's
    // own: none credited for CloudFormation (null), the plan's declared one for Terraform.
    // Not crediting a block can only make a bucket look more public, never less. (A live
    // snapshot's buckets never carry the field, and it is ignored there: the audited account's
    // own block is a fact of the snapshot.)
    return bucket.accountPublicAccessBlock !== undefined ? bucket.accountPublicAccessBlock : (account.publicAccessBlock ?? null);
  }
  if (owner !== account.id) {
    // Another account's settings apply to its bucket; the audited account's never do.
    return unknown('cross_account', `Bucket ${bucket.name} belongs to account ${owner}; its account-level Block Public Access is read there.`, {
      account: owner,
    });
  }
  // `=== undefined`, not `??`: null is a real answer ("never configured").
  return account.publicAccessBlock === undefined
    ? unknown('error', `The snapshot holds no account-level Block Public Access, which the verdict for bucket ${bucket.name} needs.`)
    : account.publicAccessBlock;
}
