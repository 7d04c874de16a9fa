/**
 * `trailaudit.json` for validate-logs: one entry per digest and log file checked (kind, key,
 * status, reason), the gaps, what could not be verified, and a summary.
 */
import { displayDate } from '../../digest/time.js';
import type { DigestReportModel } from './model.js';

export function formatDigestJson(model: DigestReportModel): string {
  const { context } = model;
  const report = {
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
    found: model.found === null ? null : { start: displayDate(model.found.start), end: displayDate(model.found.end) },
    startedAt: context.startedAt.toISOString(),
    finishedAt: context.finishedAt.toISOString(),
    summary: {
      status: model.status,
      digest: model.counts.digest,
      backfillDigest: model.counts.backfillDigest,
      log: model.counts.log,
      unverified: {
        digest: model.unverified.filter((file) => file.kind === 'digest').length,
        log: model.unverified.filter((file) => file.kind === 'log').length,
      },
      gaps: model.gaps.length,
    },
    stats: {
      apiCalls: context.apiCalls,
      durationMs: context.finishedAt.getTime() - context.startedAt.getTime(),
      logBytesUncompressed: context.logBytes,
    },
    files: model.files.map((file) => ({
      kind: file.kind,
      key: file.key,
      status: file.status,
      reason: file.reason,
      message: file.message,
      bucket: file.bucket,
      sourceRegion: file.sourceRegion,
      backfill: file.backfill,
      ...(file.digestKey === undefined ? {} : { digestKey: file.digestKey }),
    })),
    gaps: model.gaps.map((gap) => ({
      sourceRegion: gap.sourceRegion,
      backfill: gap.backfill,
      start: displayDate(gap.start),
      end: displayDate(gap.end),
    })),
    unverified: model.unverified.map((file) => ({
      kind: file.kind,
      key: file.key,
      reason: file.reason,
      message: file.message,
      bucket: file.bucket,
      sourceRegion: file.sourceRegion,
      backfill: file.backfill,
    })),
  };
  return `${JSON.stringify(report, null, 1)}\n`;
}
