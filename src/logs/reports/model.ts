/**
 * What every validate-logs report shows: the run's context, its summary (counts, gaps, what
 * could not be verified, the overall verdict) and the timeline of files in the AWS CLI's order.
 */
import { hasMissingTail, type ChainEnds } from '../chain/chainEnds.js';
import type { OverallStatus, RunSummary, TimelineItem } from '../chain/timeline.js';

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
  /** Where each Region's chain ends, missing tails, and the trail's status. */
  readonly chainEnds: ChainEnds;
  /**
   * Every verdict, gap and unverified file in the AWS CLI's order. Re-iterable: each report takes
   * its own pass, so a run of millions of files is never held whole (it may be read from disk).
   */
  readonly timeline: Iterable<TimelineItem>;
}

/** How many digest files (standard and backfill) were looked at, verdict or not. */
export function digestsSeen(summary: RunSummary): number {
  const { digest, backfillDigest } = summary.counts;
  return digest.valid + digest.INVALID + backfillDigest.valid + backfillDigest.INVALID + summary.unverified.digest + summary.unverified.backfillDigest;
}

/**
 * Nothing at all was verified, and no trail status explains it (logging off): the AWS CLI's
 * "No digests found" exits 0, which would be a green run that checked nothing.
 */
export function nothingFound(model: Pick<DigestReportModel, 'summary' | 'chainEnds'>): boolean {
  return digestsSeen(model.summary) === 0 && !model.chainEnds.tails.some((tail) => tail.kind === 'logging_off');
}

/** The run's verdict: INVALID, else incomplete when digests are missing or something was not verified. */
export function overallStatus(model: Pick<DigestReportModel, 'summary' | 'chainEnds'>): OverallStatus {
  if (model.summary.status === 'INVALID') {
    return 'INVALID';
  }
  return model.summary.status === 'incomplete' || hasMissingTail(model.chainEnds) || nothingFound(model) ? 'incomplete' : 'valid';
}

/**
 * 1 when anything is INVALID; 3 when digests are missing (a missing tail, or none found at all),
 * whatever `--allow-unverified` says; 3 when only unverified files stand between the run and a
 * pass, unless allowed.
 */
export function exitCodeFor(model: DigestReportModel, allowUnverified: boolean): number {
  if (model.summary.status === 'INVALID') {
    return 1;
  }
  if (hasMissingTail(model.chainEnds) || nothingFound(model)) {
    return 3;
  }
  return model.summary.status === 'incomplete' && !allowUnverified ? 3 : 0;
}

/** How many files could not be verified, all kinds together. */
export function unverifiedTotal(summary: RunSummary): number {
  return summary.unverified.digest + summary.unverified.backfillDigest + summary.unverified.log;
}
