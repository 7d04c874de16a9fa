/**
 * The validate-logs run flattened into what every report shows: files in the order the AWS CLI
 * prints them, counts, gaps, what could not be verified, and the overall verdict. Pure.
 */
import type { ChainReport } from '../../digest/validate.js';
import { isFileResult, type FileResult, type Gap, type UnverifiedFile } from '../../digest/types.js';

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

export type TimelineItem =
  | { readonly type: 'file'; readonly file: FileResult }
  | { readonly type: 'unverified'; readonly file: UnverifiedFile }
  | { readonly type: 'gap'; readonly gap: Gap };

export interface Tally {
  valid: number;
  INVALID: number;
}

export type OverallStatus = 'valid' | 'INVALID' | 'incomplete';

export interface DigestReportModel {
  readonly context: DigestRunContext;
  readonly timeline: readonly TimelineItem[];
  readonly files: readonly FileResult[];
  readonly unverified: readonly UnverifiedFile[];
  readonly gaps: readonly Gap[];
  readonly counts: { readonly digest: Tally; readonly backfillDigest: Tally; readonly log: Tally };
  /** The AWS CLI's "Results found for A to B": valid digests clipped to the requested range. */
  readonly found: { readonly start: Date; readonly end: Date } | null;
  /** INVALID if anything is; otherwise incomplete if something could not be verified. */
  readonly status: OverallStatus;
}

export function buildModel(chains: readonly ChainReport[], context: DigestRunContext): DigestReportModel {
  const timeline: TimelineItem[] = [];
  const counts = { digest: { valid: 0, INVALID: 0 }, backfillDigest: { valid: 0, INVALID: 0 }, log: { valid: 0, INVALID: 0 } };
  let foundStart = Number.POSITIVE_INFINITY;
  let foundEnd = Number.NEGATIVE_INFINITY;
  const addFile = (file: FileResult): void => {
    timeline.push({ type: 'file', file });
    const tally = file.kind === 'log' ? counts.log : file.backfill ? counts.backfillDigest : counts.digest;
    tally[file.status] += 1;
  };
  for (const chain of chains) {
    for (const event of chain.events) {
      if (event.type === 'gap') {
        timeline.push({ type: 'gap', gap: event.gap });
        continue;
      }
      if (event.type === 'unverified-digest') {
        timeline.push({ type: 'unverified', file: event.file });
        event.logs.forEach((log, index) => {
          const checked = event.checked[index]?.result;
          if (checked !== undefined && checked !== null && isFileResult(checked) && checked.status === 'INVALID') {
            addFile(checked);
          } else {
            timeline.push({ type: 'unverified', file: log });
          }
        });
        continue;
      }
      addFile(event.result);
      if (event.startTime !== null && event.endTime !== null) {
        foundStart = Math.min(foundStart, Math.max(event.startTime.getTime(), context.start.getTime()));
        foundEnd = Math.max(foundEnd, Math.min(event.endTime.getTime(), context.end.getTime()));
      }
      for (const slot of event.logs) {
        if (slot.result === null) {
          continue;
        }
        if (isFileResult(slot.result)) {
          addFile(slot.result);
        } else {
          timeline.push({ type: 'unverified', file: slot.result });
        }
      }
    }
  }
  const files = timeline.flatMap((item) => (item.type === 'file' ? [item.file] : []));
  const unverified = timeline.flatMap((item) => (item.type === 'unverified' ? [item.file] : []));
  const gaps = timeline.flatMap((item) => (item.type === 'gap' ? [item.gap] : []));
  const invalid = files.some((file) => file.status === 'INVALID');
  return {
    context,
    timeline,
    files,
    unverified,
    gaps,
    counts,
    found: Number.isFinite(foundStart) && Number.isFinite(foundEnd) ? { start: new Date(foundStart), end: new Date(foundEnd) } : null,
    status: invalid ? 'INVALID' : unverified.length > 0 ? 'incomplete' : 'valid',
  };
}

/** 1 when anything is INVALID; 3 when only unverified files stand between the run and a pass. */
export function exitCodeFor(model: DigestReportModel, allowUnverified: boolean): number {
  if (model.status === 'INVALID') {
    return 1;
  }
  return model.status === 'incomplete' && !allowUnverified ? 3 : 0;
}
