/**
 * `trailaudit-logs.json` for validate-logs: one entry per digest and log file checked (kind, key,
 * status, reason), the gaps, what could not be verified, and a summary. Produced in chunks, one
 * entry per line, so a run of millions of files is written without ever being one string.
 */
import { displayDate } from '../chain/time.js';
import { filesOf, gapsOf, unverifiedOf } from '../chain/timeline.js';
import type { FileResult, Gap, UnverifiedFile } from '../chain/types.js';
import type { TrailStatusView } from '../chain/chainEnds.js';
import { overallStatus, type DigestReportModel } from './model.js';

const range = (found: { readonly start: Date; readonly end: Date } | null): object | null =>
  found === null ? null : { start: displayDate(found.start), end: displayDate(found.end) };

const orNull = (date: Date | null): string | null => (date === null ? null : displayDate(date));

function trailStatusEntry(status: TrailStatusView): object {
  if (status.state !== 'read') {
    return status;
  }
  return {
    state: 'read',
    isLogging: status.isLogging,
    latestDigestDeliveryTime: orNull(status.latestDigestDeliveryTime),
    latestDigestDeliveryError: status.latestDigestDeliveryError,
    startLoggingTime: orNull(status.startLoggingTime),
    stopLoggingTime: orNull(status.stopLoggingTime),
  };
}

/** `"name": [` entries, one per line `]`, each entry already serialised. */
function* array(name: string, entries: Iterable<unknown>, last: boolean): Generator<string> {
  yield ` "${name}": [`;
  let first = true;
  for (const entry of entries) {
    yield `${first ? '\n' : ',\n'}  ${JSON.stringify(entry)}`;
    first = false;
  }
  yield `${first ? '' : '\n '}]${last ? '\n' : ',\n'}`;
}

function* map<T, U>(items: Iterable<T>, to: (item: T) => U): Generator<U> {
  for (const item of items) {
    yield to(item);
  }
}

const fileEntry = (file: FileResult): object => ({
  kind: file.kind,
  key: file.key,
  status: file.status,
  reason: file.reason,
  message: file.message,
  bucket: file.bucket,
  sourceRegion: file.sourceRegion,
  backfill: file.backfill,
  ...(file.digestKey === undefined ? {} : { digestKey: file.digestKey }),
});

const gapEntry = (gap: Gap): object => ({ sourceRegion: gap.sourceRegion, backfill: gap.backfill, start: displayDate(gap.start), end: displayDate(gap.end) });

const unverifiedEntry = (file: UnverifiedFile): object => ({
  kind: file.kind,
  key: file.key,
  reason: file.reason,
  message: file.message,
  bucket: file.bucket,
  sourceRegion: file.sourceRegion,
  backfill: file.backfill,
});

export function* formatDigestJson(model: DigestReportModel): Generator<string> {
  const { context, summary } = model;
  const head = {
    schemaVersion: 1,
    command: 'validate-logs',
    tool: { name: 'trailaudit', version: context.toolVersion },
    trail: {
      arn: context.trailArn,
      accountId: context.accountId,
      homeRegion: context.homeRegion,
      bucket: context.bucket,
      prefix: context.prefix,
      organizationTrail: context.organizationTrail,
    },
    source: context.source,
    requested: { start: displayDate(context.start), end: displayDate(context.end) },
    found: range(summary.found),
    // "Results found" per source Region, and where each Region's chain ends.
    regions: summary.regions.map((region) => ({
      region: region.region,
      found: range(region.found),
      newestDigestEnd: region.newestDigestEnd === null ? null : displayDate(region.newestDigestEnd),
      digest: region.counts.digest,
      backfillDigest: region.counts.backfillDigest,
      log: region.counts.log,
      unverified: { digest: region.unverified.digest + region.unverified.backfillDigest, log: region.unverified.log },
      gaps: region.gaps,
    })),
    missingTails: model.chainEnds.tails.map((tail) => ({
      region: tail.region,
      kind: tail.kind,
      start: displayDate(tail.start),
      end: displayDate(tail.end),
      expectedDigests: tail.expectedDigests,
      message: tail.message,
    })),
    trailStatus: trailStatusEntry(model.chainEnds.trailStatus),
    notes: model.chainEnds.notes,
    startedAt: context.startedAt.toISOString(),
    finishedAt: context.finishedAt.toISOString(),
    summary: {
      status: overallStatus(model),
      digest: summary.counts.digest,
      backfillDigest: summary.counts.backfillDigest,
      log: summary.counts.log,
      unverified: {
        digest: summary.unverified.digest + summary.unverified.backfillDigest,
        log: summary.unverified.log,
      },
      gaps: summary.gaps,
    },
    stats: {
      apiCalls: context.apiCalls,
      durationMs: context.finishedAt.getTime() - context.startedAt.getTime(),
      logBytesUncompressed: context.logBytes,
    },
  };
  // The head pretty-printed as before, left open for the arrays that follow.
  yield `${JSON.stringify(head, null, 1).replace(/\n\}$/u, '')},\n`;
  yield* array('files', map(filesOf(model.timeline), fileEntry), false);
  yield* array('gaps', map(gapsOf(model.timeline), gapEntry), false);
  yield* array('unverified', map(unverifiedOf(model.timeline), unverifiedEntry), true);
  yield '}\n';
}
