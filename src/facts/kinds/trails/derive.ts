/**
 * A trail's derived facts (facts/derive.ts says why they are recomputed): `isLogging` from its
 * status, `managementEvents` from its selectors, `userTagKeys` from its tags, and for a live audit
 * `ownerInScope` from the accounts in scope.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EventSelectors, FactSet, ManagementEventCoverage, Maybe, TrailFacts, TrailGap } from '../../model.js';
import { isGap, isUnknown, unknown } from '../../model.js';
import { trailGap } from '../../gaps.js';
import { managementEventCoverage } from './eventSelectors.js';
import { trailHealth } from './health.js';
import { userTagKeysOf } from './tags.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What deriving a trail needs to know of the whole set, computed once per set. */
export interface TrailScope {
  /** The accounts in scope (a trail one of them owns is audited here). */
  readonly inScope: ReadonlySet<string>;
  /**
   * Some audited Region of the account had its trails listed, so a gap there hides no
   * multi-Region trail. Per account: in an organization set, another account's listings say
   * nothing about this one's.
   */
  readonly anotherRegionListed: (accountId: string) => boolean;
}

export function deriveTrail(item: TrailFacts | TrailGap, facts: FactSet, scope: TrailScope): TrailFacts | TrailGap {
  if (isGap(item)) {
    // A gap holds no raw facts: what it knows follows from the listing that failed, and from
    // whether another Region could be listed. A live snapshot's gap is rebuilt from those, so an
    // edit (`ownerInScope: false`, `isMultiRegion: false`) cannot turn its UNKNOWNs into
    // NOT_APPLICABLE or a PASS.
    if (facts.source !== 'live') {
      return item;
    }
    const account = item.ref.accountId ?? facts.account.id;
    return trailGap(item.homeRegion, item.$gap, account, facts.account.partition, scope.anotherRegionListed(account));
  }
  // Every derived fact is dropped and recomputed below (or left out when its inputs are absent).
  const {
    managementEvents: _managementEvents,
    userTagKeys: _userTagKeys,
    s3DataEvents: _s3DataEvents,
    deliveryAgeHours: _deliveryAgeHours,
    cloudWatchLogsDeliveryAgeHours: _cloudWatchLogsDeliveryAgeHours,
    digestDeliveryAgeHours: _digestDeliveryAgeHours,
    loggingAgeHours: _loggingAgeHours,
    bucketExists: _bucketExists,
    logGroupExists: _logGroupExists,
    kmsKey: _kmsKey,
    ...raw
  } = item;
  const trail: Mutable<TrailFacts> = { ...raw };
  if (facts.source === 'live') {
    // A trail is in scope exactly when an audited account owns it (an organization trail seen
    // from a member whose management account is not audited is not). IaC sources set it to true
    // by construction (the files are the scope), with no owner to compare.
    trail.ownerInScope = scope.inScope.has(item.ownerAccountId);
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
  // Health facts (TrailHealth.1–4, S3.22/23) read the raw trail, never the ownership set above.
  return { ...trail, ...trailHealth(raw, facts) };
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
