/**
 * A trail's derived health facts (TrailHealth.1–4, S3.22/S3.23): whether it logs S3 data events,
 * how long ago it last delivered, and whether its bucket, log group and KMS key exist and work.
 * Pure: computed from the trail's raw facts, the other collections and the fact set's
 * `collectedAt`, so a saved snapshot re-evaluates to the same verdicts.
 *
 * Each fact is computed only when its inputs were collected, and is left out otherwise (never a
 * guess); an input that could not be read gives an Unknown with its reason. The KMS key's own
 * view is in healthKey.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EventSelectors, FactSet, Maybe, S3DataEventCoverage, TrailFacts, TrailStatus, Unknown } from '../../model.js';
import { isUnknown, unknown } from '../../model.js';
import { logGroupOf } from '../logMonitoring/logGroupArn.js';
import { bucketsByName, logGroupIndex } from './healthIndex.js';
import { ambiguousTrail } from './healthKey.js';
import { s3ObjectDataEvents } from './dataEvents.js';
import { hoursSince } from './deliveryAge.js';
import { trailKeyView } from './healthKey.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type TrailHealthFacts = Pick<
  Mutable<TrailFacts>,
  | 's3DataEvents'
  | 'deliveryAgeHours'
  | 'cloudWatchLogsDeliveryAgeHours'
  | 'digestDeliveryAgeHours'
  | 'loggingAgeHours'
  | 'bucketExists'
  | 'logGroupExists'
  | 'kmsKey'
>;

/** The bucket kinds: each locates the trail's bucket (ListBuckets + GetBucketLocation) first. */
const BUCKET_NEEDS = ['bucketLocation', 'bucketPublicAccess', 'bucketLogging'] as const;

/** The derived health facts of a trail (raw facts only: its stored derived facts already dropped). */
export function trailHealth(trail: TrailFacts, facts: FactSet): TrailHealthFacts {
  const health: TrailHealthFacts = {};
  if (trail.eventSelectors !== undefined) {
    health.s3DataEvents = dataEvents(trail.eventSelectors, trail.hasCustomEventSelectors);
  }
  // Templates and plans hold no status at all (no deployment, no delivery): their ages are Unknown
  // whenever the status kind is claimed, never absent (an absent age would read as "never delivered").
  if (trail.status !== undefined || (facts.source !== 'live' && facts.collected.includes('trailStatus'))) {
    Object.assign(health, deliveryAges(trail.status, facts));
  }
  if (BUCKET_NEEDS.some((need) => facts.collected.includes(need))) {
    health.bucketExists = bucketExists(trail, facts);
  }
  if (facts.collected.includes('logGroups')) {
    health.logGroupExists = logGroupExists(trail, facts);
  }
  if (facts.collected.includes('kmsKeys')) {
    health.kmsKey = trailKeyView(trail, facts);
  }
  return health;
}

/* ------------------------------------------------------------------ S3 data events */

/**
 * s3ObjectDataEvents with the Kleene handling of an Unknown HasCustomEventSelectors that the
 * management-event coverage uses (derive.ts): the flag only changes the wording, so the verdict is
 * Unknown only if the two possible answers ever disagreed on read or write.
 */
function dataEvents(selectors: Maybe<EventSelectors>, hasCustom: Maybe<boolean> | undefined): Maybe<S3DataEventCoverage> {
  if (isUnknown(selectors)) {
    return selectors;
  }
  try {
    if (!isUnknown(hasCustom)) {
      return s3ObjectDataEvents(selectors, hasCustom);
    }
    const ifCustom = s3ObjectDataEvents(selectors, true);
    const ifDefault = s3ObjectDataEvents(selectors, false);
    const same = isDeepStrictEqual([ifCustom.read, ifCustom.write], [ifDefault.read, ifDefault.write]);
    return same ? s3ObjectDataEvents(selectors) : hasCustom;
  } catch (error) {
    // The schema admits the shape; a value the analysis still cannot read is a gap, not a verdict.
    return unknown('error', `The snapshot's event selectors could not be analysed: ${error instanceof Error ? error.message : String(error)}`, {
      operation: 'cloudtrail:GetEventSelectors',
    });
  }
}

/* ------------------------------------------------------------------ delivery ages */

type AgeFacts = Pick<TrailHealthFacts, 'deliveryAgeHours' | 'cloudWatchLogsDeliveryAgeHours' | 'digestDeliveryAgeHours' | 'loggingAgeHours'>;

function deliveryAges(status: Maybe<TrailStatus> | undefined, facts: FactSet): AgeFacts {
  const every = (same: Unknown): AgeFacts => ({
    deliveryAgeHours: same,
    cloudWatchLogsDeliveryAgeHours: same,
    digestDeliveryAgeHours: same,
    loggingAgeHours: same,
  });
  if (facts.source !== 'live') {
    // A template declares whether a trail logs, never when CloudTrail last delivered: every age is
    // unknowable there, not "never delivered" (which would FAIL every scanned trail).
    return every(
      unknown('unsupported', 'Delivery times exist only in a deployed account (GetTrailStatus); a template cannot know them. Audit it live (trailaudit audit).'),
    );
  }
  if (status === undefined) {
    return every(unknown('error', 'The snapshot holds no status for this trail.'));
  }
  if (isUnknown(status)) {
    return every(status);
  }
  const age = (iso: string | undefined, field: string): Maybe<number | null> => {
    // A time after the audit (a clock that is off, an edited snapshot) would read as "just now" and
    // excuse a stale delivery: it is unreadable, not fresh. (Seconds of skew are tolerated.)
    if (iso !== undefined && Date.parse(iso) > Date.parse(facts.collectedAt) + 5 * 60_000) {
      return unknown('error', `GetTrailStatus' ${field} ${iso} is after the audit time ${facts.collectedAt}.`, { operation: 'cloudtrail:GetTrailStatus' });
    }
    const hours = hoursSince(iso, facts.collectedAt);
    // A time that is present but is not a date is unreadable, not "never delivered".
    return hours === null && iso !== undefined
      ? unknown('error', `GetTrailStatus' ${field} "${iso}" (or the audit time ${facts.collectedAt}) is not an ISO 8601 time.`, {
          operation: 'cloudtrail:GetTrailStatus',
        })
      : hours;
  };
  return {
    deliveryAgeHours: age(status.latestDeliveryTime, 'LatestDeliveryTime'),
    cloudWatchLogsDeliveryAgeHours: age(status.latestCloudWatchLogsDeliveryTime, 'LatestCloudWatchLogsDeliveryTime'),
    digestDeliveryAgeHours: age(status.latestDigestDeliveryTime, 'LatestDigestDeliveryTime'),
    loggingAgeHours: age(status.startLoggingTime, 'StartLoggingTime'),
  };
}

/* ------------------------------------------------------------------ bucket */

function bucketExists(trail: TrailFacts, facts: FactSet): Maybe<boolean> {
  const name = trail.s3BucketName;
  if (isUnknown(name)) {
    return name;
  }
  if (name === null || name === '') {
    // CloudTrail requires a bucket; a trail naming none delivers nowhere.
    return false;
  }
  const bucket = bucketsByName(facts.buckets).get(name);
  if (bucket === undefined) {
    // A bucket gap stands for the log buckets of a Region whose trails could not be listed; this
    // trail was listed, so a missing item is a snapshot that lost it.
    return unknown('error', `The snapshot holds no facts for bucket ${name}, the log bucket of trail ${trail.arn}.`);
  }
  const region = bucket.region;
  if (!isUnknown(region)) {
    return true;
  }
  // The live collector locates a bucket first: not_found is "no such bucket" (ListBuckets and
  // GetBucketLocation agree); any other reason (another account's, access denied) is not knowing.
  // In scanned files a bucket they do not declare may well exist: never false there.
  return region.$unknown.reason === 'not_found' && facts.source === 'live' ? false : region;
}

/* ------------------------------------------------------------------ log group */

function logGroupExists(trail: TrailFacts, facts: FactSet): Maybe<boolean | null> {
  const configured = trail.cloudWatchLogsLogGroupArn;
  if (isUnknown(configured)) {
    return configured;
  }
  if (configured === null || configured === '') {
    return null;
  }
  const groups = facts.logGroups;
  if (groups === undefined) {
    return unknown('error', `The snapshot claims log groups were collected but holds no "logGroups" list (log group of trail ${trail.arn}).`);
  }
  // Templates and plans name the group by a reference (`!GetAtt Group.Arn`): their readers list
  // the trail in the declared group's `trailArns`.
  const index = logGroupIndex(groups);
  if (index.ambiguous.has(trail.arn)) {
    return ambiguousTrail(trail, 'log groups');
  }
  const declared = index.byTrail.get(trail.arn);
  const identity = logGroupOf(configured);
  if (declared !== undefined && (identity === undefined || !index.byArn.has(identity.arn))) {
    return declared.exists ?? unknown('error', `The snapshot holds no existence fact for log group ${declared.arn}.`);
  }
  if (identity === undefined) {
    return unknown('error', `Trail ${trail.arn} names CloudWatch Logs log group "${configured}", which is not a log group ARN.`);
  }
  const group = index.byArn.get(identity.arn);
  if (group !== undefined) {
    return group.exists ?? unknown('error', `The snapshot holds no existence fact for log group ${identity.arn}.`);
  }
  const gap = index.gaps.get(identity.region);
  if (gap !== undefined) {
    return { $unknown: gap.$gap };
  }
  return unknown('error', `The snapshot holds no facts for log group ${identity.arn}, the CloudWatch Logs destination of trail ${trail.arn}.`);
}
