/**
 * What every validate-logs report shows: the run's context, its summary (counts, gaps, what
 * could not be verified, the overall verdict) and the timeline of files in the AWS CLI's order.
 */
import type { RunSummary, TimelineItem } from '../../digest/timeline.js';

export interface DigestRunContext {
  readonly toolVersion: string;
  readonly trailArn: string;
  readonly accountId: string;
  readonly homeRegion: string;
  readonly bucket: string | null;
  readonly prefix: string | null;
  readonly organizationTrail: boolean | null;
  readonly source: { readonly type: 's3' | 'directory'; readonly location: string };
  readonly start: Date;
  readonly end: Date;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly logBytes: number;
  /** How a file is named in human output (`s3://bucket/key`, or the local path). */
  readonly url: (bucket: string, key: string) => string;
}

export interface DigestReportModel {
  readonly context: DigestRunContext;
  readonly summary: RunSummary;
  /**
   * Every verdict, gap and unverified file in the AWS CLI's order. Re-iterable: each report takes
   * its own pass, so a run of millions of files is never held whole (it may be read from disk).
   */
  readonly timeline: Iterable<TimelineItem>;
}

/** 1 when anything is INVALID; 3 when only unverified files stand between the run and a pass. */
export function exitCodeFor(model: DigestReportModel, allowUnverified: boolean): number {
  if (model.summary.status === 'INVALID') {
    return 1;
  }
  return model.summary.status === 'incomplete' && !allowUnverified ? 3 : 0;
}

/** How many files could not be verified, all kinds together. */
export function unverifiedTotal(summary: RunSummary): number {
  return summary.unverified.digest + summary.unverified.backfillDigest + summary.unverified.log;
}
