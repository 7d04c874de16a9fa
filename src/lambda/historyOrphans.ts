/**
 * A Reduce stopped between its two history writes (the run's object, then index.json: the Lambda
 * timed out or was killed) leaves a run object the index does not list, and the history refuses
 * every later run until it is removed (s3Store.ts: it cannot tell a leftover from a run writing
 * right now or a foreign object). Reduce removes such an object itself only when all of these
 * hold, and leaves anything else to a person:
 *   - it is under the history's runs/ and index.json does not list it;
 *   - it was last written more than ORPHAN_AGE_MS ago: a Reduce writes its index within the same
 *     invocation, and a Lambda runs at most 15 minutes, so no Reduce is still about to list it;
 *   - it is a trailaudit JSON report whose inputs are the snapshots of one run of THIS deployment
 *     (s3://<report bucket>/<prefix>/runs/<run id>/snapshots/…), and that run's run.json exists.
 */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { UnlistedRunObjectError } from '../history/s3Store.js';
import { historyS3Client } from '../history/s3Client.js';
import { keyOf, urlOf, type S3Location } from '../history/s3Location.js';
import { logNotice } from './log.js';
import { runKey, type RunStore } from './runStore.js';
import type { RunLocation } from './settings.js';

export const ORPHAN_AGE_MS = 30 * 60_000;

/** A run object larger than this is not read to identify it (a report of the largest organizations is a few MB). */
const MAX_ORPHAN_BYTES = 64 * 1_048_576;

/** The history's refusal of an object the index does not list (s3Store.ts checkObjects). */
export function isOrphanError(error: unknown): boolean {
  return error instanceof UnlistedRunObjectError;
}

interface Listed {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date | undefined;
}

async function listRuns(client: S3Client, history: S3Location): Promise<Listed[]> {
  const prefix = keyOf(history, 'runs/');
  const objects: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: history.bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }));
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined && object.Key !== prefix) {
        objects.push({ key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified });
      }
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

async function readText(client: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') {
      return null;
    }
    throw error;
  }
}

/** The run files index.json lists (none when there is no index, or it cannot be read as one). */
async function listedFiles(client: S3Client, history: S3Location): Promise<Set<string> | null> {
  const text = await readText(client, history.bucket, keyOf(history, 'index.json'));
  if (text === null) {
    return new Set();
  }
  try {
    const index = JSON.parse(text) as { runs?: { file?: unknown }[] };
    return new Set((index.runs ?? []).flatMap((run) => (typeof run.file === 'string' ? [run.file] : [])));
  } catch {
    return null;
  }
}

/** The id of this deployment's run whose snapshots the report evaluated, or null. */
function ownRunId(report: string, where: RunLocation): string | null {
  let inputs: unknown;
  try {
    inputs = (JSON.parse(report) as { scope?: { inputs?: unknown } }).scope?.inputs;
  } catch {
    return null;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) {
    return null;
  }
  const base = `s3://${where.bucket}/${runKey({ ...where, runId: '' })}/`;
  const ids = new Set(
    inputs.map((input: unknown) => {
      if (typeof input !== 'string' || !input.startsWith(base)) {
        return null;
      }
      const [id, folder] = input.slice(base.length).split('/');
      return folder === 'snapshots' && id !== undefined && id !== '' ? id : null;
    }),
  );
  const [only] = [...ids];
  return ids.size === 1 && typeof only === 'string' ? only : null;
}

export interface HealRequest {
  readonly history: S3Location;
  readonly endpointUrl?: string;
  /** The deployment's run store and location (its bucket and prefix). */
  readonly runs: { readonly store: RunStore; readonly where: RunLocation };
  readonly now: Date;
}

export interface HealOutcome {
  /** URLs of the objects deleted. */
  readonly removed: string[];
  /** Unlisted reports of this deployment younger than ORPHAN_AGE_MS (a Reduce may be committing them right now). */
  readonly young: number;
  /** Why the others were kept ('' when none was). */
  readonly kept: string;
  /** Objects the index did not list when looked at (0: the one that blocked opening is listed or gone by now). */
  readonly unlisted: number;
}

export async function healOrphans(request: HealRequest): Promise<HealOutcome> {
  const { history, now } = request;
  const client = await historyS3Client(request.endpointUrl === undefined ? {} : { endpointUrl: request.endpointUrl });
  try {
    const listed = await listedFiles(client, history);
    if (listed === null) {
      return { removed: [], young: 0, kept: 'index.json is not readable as a history index: nothing removed', unlisted: 0 };
    }
    const base = keyOf(history, '');
    const unlisted = (await listRuns(client, history)).filter((object) => !listed.has(object.key.slice(base.length)));
    const removed: string[] = [];
    const kept: string[] = [];
    let young = 0;
    for (const object of unlisted) {
      const url = urlOf(history, object.key);
      const report = object.size > MAX_ORPHAN_BYTES ? null : await readText(client, history.bucket, object.key);
      const runId = report === null ? null : ownRunId(report, request.runs.where);
      // A run.json that cannot be confirmed (HeadObject denied: S3 answers 403 for a missing key
      // without s3:ListBucket) is not confirmed: the object stays.
      const own = runId !== null && (await request.runs.store.exists(request.runs.where.bucket, runKey({ ...request.runs.where, runId }, 'run.json')).catch(() => false));
      if (!own) {
        kept.push(`${url}: not a report of one of this deployment's runs under s3://${request.runs.where.bucket}/${runKey({ ...request.runs.where, runId: '' })}/, left for a person to delete`);
        continue;
      }
      const age = object.lastModified === undefined ? 0 : now.getTime() - object.lastModified.getTime();
      if (age < ORPHAN_AGE_MS) {
        young += 1;
        kept.push(`${url}: run ${runId}'s report written ${String(Math.max(0, Math.round(age / 60_000)))} min ago, its Reduce may still be committing it`);
        continue;
      }
      await client.send(new DeleteObjectCommand({ Bucket: history.bucket, Key: object.key }));
      logNotice(`history: removed ${url}, left by the Reduce of run ${runId} stopped before it updated index.json (${String(Math.round(age / 60_000))} min old)`);
      removed.push(url);
    }
    return { removed, young, kept: kept.join('; '), unlisted: unlisted.length };
  } finally {
    client.destroy();
  }
}
