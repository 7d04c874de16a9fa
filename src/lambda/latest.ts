/**
 * Reduce's report files in S3: their content types, and `latest/`, the newest run's reports (by
 * when its facts were collected: a late Reduce of an older run never rolls it back).
 */
import { REPORT_FILE_NAMES, type ReportFormat } from '../report/formats.js';
import { logNotice } from './log.js';
import { latestKey, type RunStore } from './runStore.js';
import type { RunLocation } from './settings.js';

/** One report file: its name (REPORT_FILE_NAMES) and text. */
export interface ReportFile {
  readonly name: string;
  readonly body: string;
}

/**
 * By report file name: a browser opening latest/trailaudit.html from S3 (or a presigned URL)
 * renders it, a Markdown viewer gets UTF-8, and nothing is served as application/octet-stream.
 */
const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json',
  junit: 'application/xml',
  markdown: 'text/markdown; charset=utf-8',
  sarif: 'application/sarif+json',
  asff: 'application/json',
  html: 'text/html; charset=utf-8',
};

const BY_NAME: ReadonlyMap<string, string> = new Map(Object.entries(REPORT_FILE_NAMES).map(([format, name]) => [name, CONTENT_TYPES[format as ReportFormat]]));

export function contentType(name: string): string {
  return BY_NAME.get(name) ?? 'application/octet-stream';
}

export type LatestOutcome = 'updated' | 'kept_newer' | 'kept_narrower';

/** S3 user metadata on latest/'s files: when the facts of the run they hold were collected, and which run. */
const COLLECTED_AT_METADATA = 'trailaudit-collected-at';
const RUN_ID_METADATA = 'trailaudit-run-id';

/**
 * When the facts of the run latest/ holds were collected: the metadata reduce writes, else the
 * report's own `collectedAt`, else its `startedAt` (a report written before either existed; its
 * facts were collected after it started). undefined when latest/ has no readable trailaudit.json.
 */
async function latestCollectedAt(store: RunStore, bucket: string, key: string): Promise<{ collectedAt: Date; runId: string } | undefined> {
  const { body, metadata } = await store.getWithMetadata(bucket, key);
  let report: { collectedAt?: unknown; startedAt?: unknown } = {};
  try {
    report = JSON.parse(body) as typeof report;
  } catch {
    // Not JSON: replaced by this run's (and said in the log).
  }
  const candidates = [metadata[COLLECTED_AT_METADATA], report.collectedAt, report.startedAt];
  for (const candidate of candidates) {
    const time = typeof candidate === 'string' ? new Date(candidate) : undefined;
    if (time !== undefined && !Number.isNaN(time.getTime())) {
      return { collectedAt: time, runId: metadata[RUN_ID_METADATA] ?? 'unknown' };
    }
  }
  logNotice(`s3://${bucket}/${key} says no time its facts were collected: this run's reports replace it.`);
  return undefined;
}

/**
 * latest/ as a whole set: this run's report files, written with trailaudit.json last, then every
 * other trailaudit report file (REPORT_FILE_NAMES: formats this run did not write) removed, so
 * latest/ never mixes two runs' formats; other files under latest/ are left alone. Unless latest/
 * holds a run whose facts were collected later than this run's (a redrive or retry of an older
 * execution finishing after a newer one): then latest/ is kept as it is.
 */
export async function updateLatest(store: RunStore, where: RunLocation, collectedAt: Date, files: readonly ReportFile[]): Promise<LatestOutcome> {
  const jsonName = REPORT_FILE_NAMES.json;
  const folder = latestKey(where, jsonName).slice(0, -jsonName.length);
  const present = new Set(await store.listKeys(where.bucket, folder));
  if (present.has(latestKey(where, jsonName))) {
    const held = await latestCollectedAt(store, where.bucket, latestKey(where, jsonName));
    if (held !== undefined && held.collectedAt.getTime() > collectedAt.getTime()) {
      logNotice(
        `latest/ kept: it holds run ${held.runId}, whose facts were collected at ${held.collectedAt.toISOString()}, after this run's (${collectedAt.toISOString()}); this run's reports are under runs/${where.runId}/reports/ only.`,
      );
      return 'kept_newer';
    }
  }
  const metadata = { [COLLECTED_AT_METADATA]: collectedAt.toISOString(), [RUN_ID_METADATA]: where.runId };
  const ordered = [...files].sort((a, b) => Number(a.name === jsonName) - Number(b.name === jsonName));
  for (const file of ordered) {
    await store.putText(where.bucket, latestKey(where, file.name), file.body, contentType(file.name), metadata);
  }
  const names = new Set(ordered.map((file) => file.name));
  for (const name of Object.values(REPORT_FILE_NAMES)) {
    if (!names.has(name) && present.has(latestKey(where, name))) {
      await store.deleteKey(where.bucket, latestKey(where, name));
    }
  }
  return 'updated';
}
