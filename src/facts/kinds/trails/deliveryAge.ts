/**
 * How long ago CloudTrail last delivered (GetTrailStatus' LatestDeliveryTime,
 * LatestCloudWatchLogsDeliveryTime, LatestDigestDeliveryTime), for TrailHealth's
 * `maxDeliveryAgeHours`. Pure: `now` is passed in, so saved snapshots and tests are repeatable.
 */
import { parseUtc } from '../../../logs/chain/time.js';

const MS_PER_HOUR = 3_600_000;

/**
 * Whole hundredths of an hour from `iso` to `now`, rounded DOWN (so an age is never reported as
 * over the limit before it is). Null when either time is absent or not a date, so the caller can
 * tell "never delivered / unreadable" from "delivered long ago". A delivery time after `now` (clock
 * skew between AWS and the auditor) gives 0, never a negative age.
 *
 * Times are read by validate-logs' ISO 8601 reader (parseUtc): without a zone they are UTC, as
 * every AWS time is, and a date that does not exist (30 February) is null rather than the rolled-over
 * day JavaScript's Date.parse would give; Date.parse would also accept "1" as the year 2001.
 */
export function hoursSince(iso: string | undefined, now: string): number | null {
  if (iso === undefined) {
    return null;
  }
  const then = parseUtc(iso);
  const current = parseUtc(now);
  if (then === null || current === null) {
    return null;
  }
  const elapsedMs = Math.max(0, current.getTime() - then.getTime());
  // Work in integer hundredths so that 1.5 h does not come out as 1.49 through float division.
  return Math.floor((elapsedMs * 100) / MS_PER_HOUR) / 100;
}
