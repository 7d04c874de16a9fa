/**
 * Where each Region's digest chain ends, and whether it ends too early. Walking a chain backwards
 * from its newest digest proves everything older, but says nothing about digests newer than that:
 * deleting the newest digests and their log files (how an intruder covers tracks) leaves a chain
 * that is valid to its end. So each Region's end is held against the requested end (digests are
 * delivered hourly, so one should exist within two intervals of it) and against the other Regions
 * of the trail, which deliver on the same clock. A tail with no digests is **missing** (exit 3)
 * unless GetTrailStatus shows the trail was not logging then, which makes it a gap. Only the end
 * matters: a chain that starts late (a new trail, a Region added later) is not a missing tail.
 */
import { displayDate } from './time.js';
import type { RegionSummary } from './timeline.js';

/** CloudTrail delivers one digest per Region per hour (CONTROLS §4.1). */
export const DIGEST_INTERVAL_MS = 3_600_000;
/** A chain may end this long before the reference without being short (delivery delay). */
export const TAIL_TOLERANCE_MS = 2 * DIGEST_INTERVAL_MS;

/** What cloudtrail:GetTrailStatus said, or why it was not asked or did not answer. */
export type TrailStatusView =
  | {
      readonly state: 'read';
      readonly isLogging: boolean | null;
      readonly latestDigestDeliveryTime: Date | null;
      readonly latestDigestDeliveryError: string | null;
      readonly startLoggingTime: Date | null;
      readonly stopLoggingTime: Date | null;
    }
  | { readonly state: 'unreadable'; readonly reason: string; readonly message: string }
  | { readonly state: 'not_read'; readonly message: string };

export interface ChainTail {
  readonly region: string;
  /** `missing`: digests that should exist and do not; `logging_off`: the trail was not logging. */
  readonly kind: 'missing' | 'logging_off';
  readonly start: Date;
  readonly end: Date;
  /** Hourly digests the range should hold (each with the log files it would list). */
  readonly expectedDigests: number;
  readonly message: string;
}

export interface ChainEnds {
  readonly tails: readonly ChainTail[];
  /** Plain sentences about the trail's status that a reader must see (delivery stopped, status unread). */
  readonly notes: readonly string[];
  readonly trailStatus: TrailStatusView;
}

export interface ChainEndInput {
  readonly trailName: string;
  readonly homeRegion: string;
  /**
   * DescribeTrails' IsMultiRegionTrail; null when unknown (a local copy). A trail that is
   * single-Region now delivers for its home Region only: other Regions' chains (from when it was
   * multi-Region) are still verified, but not expected to reach the end.
   */
  readonly multiRegion: boolean | null;
  readonly regions: readonly RegionSummary[];
  readonly start: Date;
  readonly end: Date;
  /** When the run started: no digest can exist after it. */
  readonly now: Date;
  readonly trailStatus: TrailStatusView;
}

interface Range {
  readonly start: number;
  readonly end: number;
}

/** When the trail was not logging, from GetTrailStatus; null without that evidence. */
function loggingOff(status: TrailStatusView): Range | null {
  if (status.state !== 'read' || status.stopLoggingTime === null) {
    return null;
  }
  const stop = status.stopLoggingTime.getTime();
  const restart = status.startLoggingTime?.getTime() ?? null;
  if (restart !== null && restart > stop) {
    return { start: stop, end: restart };
  }
  // Stopped and not restarted since: off until now. A "logging" answer with an older restart than
  // stop is contradictory, and proves nothing.
  return status.isLogging === false ? { start: stop, end: Number.POSITIVE_INFINITY } : null;
}

const hours = (range: Range): number => Math.floor((range.end - range.start) / DIGEST_INTERVAL_MS);

function missingMessage(region: string, range: Range, hasDigest: boolean): string {
  const from = displayDate(new Date(range.start));
  const to = displayDate(new Date(range.end));
  const what = `about ${String(hours(range))} hourly digest files, and the log files they would list, should exist and do not (deleted, or never delivered)`;
  return hasDigest ? `${region}: the digest chain ends at ${from}, but digests are expected up to ${to}: ${what}` : `${region}: no digest file from ${from} to ${to}: ${what}`;
}

function tailsOf(region: RegionSummary, reference: number, requestedStart: number, off: Range | null, stopTime: Date | null): ChainTail[] {
  const chainEnd = region.newestDigestEnd?.getTime() ?? requestedStart;
  if (reference - chainEnd <= TAIL_TOLERANCE_MS) {
    return [];
  }
  const hasDigest = region.newestDigestEnd !== null;
  const expected: Range = { start: chainEnd, end: reference };
  const parts: Range[] = [];
  const tails: ChainTail[] = [];
  if (off === null || off.end <= expected.start || off.start >= expected.end) {
    parts.push(expected);
  } else {
    parts.push({ start: expected.start, end: Math.min(expected.end, off.start) });
    const quiet: Range = { start: Math.max(expected.start, off.start), end: Math.min(expected.end, off.end) };
    tails.push({
      region: region.region,
      kind: 'logging_off',
      start: new Date(quiet.start),
      end: new Date(quiet.end),
      expectedDigests: 0,
      message: `${region.region}: no digests from ${displayDate(new Date(quiet.start))} to ${displayDate(new Date(quiet.end))}: the trail stopped logging at ${displayDate(stopTime ?? new Date(off.start))} (cloudtrail:GetTrailStatus), a gap, not tampering`,
    });
    if (Number.isFinite(off.end)) {
      parts.push({ start: Math.max(expected.start, off.end), end: expected.end });
    }
  }
  for (const part of parts) {
    // Digests of the hours just before logging stopped still had time to arrive: same tolerance.
    if (part.end - part.start > TAIL_TOLERANCE_MS) {
      tails.push({
        region: region.region,
        kind: 'missing',
        start: new Date(part.start),
        end: new Date(part.end),
        expectedDigests: hours(part),
        message: missingMessage(region.region, part, hasDigest || part.start !== requestedStart),
      });
    }
  }
  return tails.sort((a, b) => a.start.getTime() - b.start.getTime());
}

function notesOf(input: ChainEndInput, tails: readonly ChainTail[]): string[] {
  const { trailStatus: status, trailName, now } = input;
  const missing = tails.some((tail) => tail.kind === 'missing');
  const notes: string[] = [];
  if (status.state === 'read') {
    const latest = status.latestDigestDeliveryTime;
    const error = status.latestDigestDeliveryError === null ? '' : ` (LatestDigestDeliveryError: ${status.latestDigestDeliveryError})`;
    if (status.isLogging === true && latest !== null && now.getTime() - latest.getTime() > TAIL_TOLERANCE_MS) {
      notes.push(
        `trail ${trailName} is logging but has delivered no digest since ${displayDate(latest)}${error}: check that log file validation is still enabled, ` +
          'that the bucket policy lets cloudtrail.amazonaws.com write to the bucket, and, if the trail encrypts, that the KMS key policy lets CloudTrail use the key',
      );
    } else if (status.isLogging === true && latest === null && missing) {
      notes.push(`trail ${trailName} is logging but cloudtrail:GetTrailStatus reports no digest delivery at all (no LatestDigestDeliveryTime)${error}: log file validation may be off, or delivery fails`);
    } else if (error !== '') {
      notes.push(`trail ${trailName}: CloudTrail reports a failed digest delivery${error}`);
    }
    const home = input.regions.find((region) => region.region === input.homeRegion);
    const homeEnd = home?.newestDigestEnd ?? null;
    if (latest !== null && tails.some((tail) => tail.kind === 'missing' && tail.region === input.homeRegion) && (homeEnd === null || latest.getTime() - homeEnd.getTime() > TAIL_TOLERANCE_MS)) {
      notes.push(
        `CloudTrail reports delivering a digest at ${displayDate(latest)} (cloudtrail:GetTrailStatus), but the newest digest found in ${input.homeRegion} ` +
          `${homeEnd === null ? 'is none at all' : `ends at ${displayDate(homeEnd)}`}: digests CloudTrail delivered are no longer there`,
      );
    }
    if (missing && status.isLogging === false && status.stopLoggingTime === null) {
      notes.push(`trail ${trailName} is not logging, but cloudtrail:GetTrailStatus gives no StopLoggingTime: the missing tail cannot be put down to logging being off`);
    }
  } else if (missing) {
    const why = status.state === 'unreadable' ? `could not be read (${status.reason}: ${status.message})` : `was not read (${status.message})`;
    notes.push(`the trail's status (cloudtrail:GetTrailStatus) ${why}: without it a missing tail is never put down to logging being off`);
  }
  return notes;
}

/** The tails of every Region's chain, and what the trail's status says about them. */
export function assessChainEnds(input: ChainEndInput): ChainEnds {
  const requestedEnd = Math.min(input.end.getTime(), input.now.getTime());
  const off = loggingOff(input.trailStatus);
  const stopTime = input.trailStatus.state === 'read' ? input.trailStatus.stopLoggingTime : null;
  const expected = input.regions.filter((region) => input.multiRegion !== false || region.region === input.homeRegion);
  const tails = expected.flatMap((region) => {
    // The other Regions deliver on the same hourly clock: a Region far behind them is short too.
    const others = expected.filter((other) => other !== region && other.newestDigestEnd !== null).map((other) => other.newestDigestEnd?.getTime() ?? 0);
    const reference = Math.min(Math.max(requestedEnd, ...others), input.now.getTime());
    return tailsOf(region, reference, input.start.getTime(), off, stopTime);
  });
  const notes = notesOf(input, tails);
  const unexpected = input.regions.filter((region) => !expected.includes(region)).map((region) => region.region);
  if (unexpected.length > 0) {
    notes.push(
      `trail ${input.trailName} is not multi-Region now (cloudtrail:DescribeTrails): only ${input.homeRegion}'s digest chain is held to the requested end; ` +
        `the chains of ${unexpected.join(', ')} were verified as far as they go (see their results)`,
    );
  }
  return { tails, notes, trailStatus: input.trailStatus };
}

/** Whether some digests that should exist are missing (the run is incomplete, exit 3). */
export function hasMissingTail(ends: ChainEnds): boolean {
  return ends.tails.some((tail) => tail.kind === 'missing');
}
