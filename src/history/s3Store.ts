/**
 * A history under an S3 prefix (`--history s3://bucket/prefix`, scheduled runs in AWS keep it
 * there): the folder store's layout and checks (store.ts), with S3's conditional writes in place
 * of a folder's atomic renames.
 *
 * Opening reads the index (keeping its ETag), then lists the prefix once: every object must be the
 * index or a listed run of the recorded size (ListObjectsV2's Size: old reports are never read
 * again). Appending, after the reports are written: the run's object (If-None-Match: *), then the
 * index (If-Match: the ETag read; If-None-Match: * for a new history). The index is the commit
 * point: another run that updated it in between makes the PUT fail with 412, and this run's
 * object is deleted again. A process killed between the two PUTs leaves a run object the index
 * does not list; as in a folder, the next run refuses it, naming it, rather than guess whether it
 * is a leftover or someone else's (deleting it is the user's call).
 */
import { inputLimit } from '../load/inputFile.js';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InputError, TrailauditError } from '../errors.js';
import { historyError, parseIndex } from './indexFile.js';
import { EMPTY_INDEX, type HistoryIndex } from './model.js';
import { displayLocation, keyOf, urlOf, type S3Location } from './s3Location.js';
import { INDEX_FILE, RUNS_FOLDER, type HistoryStore } from './store.js';

/** An S3 call of the history that failed: exit 2, naming the object's URL and the operation. */
export class S3HistoryError extends TrailauditError {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'S3HistoryError';
  }
}

/** Another run replaced the index after this run read it (the conditional PutObject failed). */
export class S3HistoryConflictError extends S3HistoryError {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'S3HistoryConflictError';
  }
}

/**
 * Run objects the index does not list (a run stopped between its two writes, one writing right
 * now, or a foreign object): the history cannot be opened until they are listed or removed.
 */
export class UnlistedRunObjectError extends InputError {
  constructor(url: string, message: string) {
    super([{ file: url, line: 0, column: 0, path: '', message }]);
    this.name = 'UnlistedRunObjectError';
  }
}

/** The IAM action each operation needs: what an AccessDenied message tells the user to grant. */
const ACTIONS: Readonly<Record<string, string>> = {
  ListObjectsV2: 's3:ListBucket',
  GetObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  DeleteObject: 's3:DeleteObject',
};

interface AwsErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function reasonOf(error: unknown, operation: string): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorShape;
  const name = shape.name ?? 'Error';
  const message = shape.message ?? String(error);
  if (name === 'AccessDenied' || shape.$metadata?.httpStatusCode === 403) {
    return `access denied (${name}: the caller needs ${ACTIONS[operation] ?? operation} on it)`;
  }
  if (name === 'NoSuchBucket') {
    return 'the bucket does not exist (NoSuchBucket)';
  }
  // Network failures carry a Node code (ECONNREFUSED, ENOTFOUND, …) and no HTTP status.
  return shape.code !== undefined && shape.code !== name ? `${name} ${shape.code}: ${message}` : `${name}: ${message}`;
}

function failure(url: string, operation: string, error: unknown): S3HistoryError {
  return new S3HistoryError(`${url}: ${operation} failed: ${reasonOf(error, operation)}`, { cause: error });
}

/** S3's answer to a conditional write that lost: 412, or 409 when two such writes overlapped. */
export function isPreconditionFailure(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorShape;
  return shape.name === 'PreconditionFailed' || shape.name === 'ConditionalRequestConflict' || shape.$metadata?.httpStatusCode === 412;
}

interface Listed {
  readonly key: string;
  readonly size: number;
}

async function listPrefix(client: S3Client, location: S3Location): Promise<Listed[]> {
  const prefix = location.prefix === '' ? '' : `${location.prefix}/`;
  const objects: Listed[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, ...(prefix === '' ? {} : { Prefix: prefix }), ...(token === undefined ? {} : { ContinuationToken: token }) }));
    } catch (error) {
      throw failure(`s3://${location.bucket}/${prefix}`, 'ListObjectsV2', error);
    }
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) {
        objects.push({ key: object.Key, size: object.Size ?? 0 });
      }
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

/** The index's text and ETag; null when there is none (a new history). */
async function readIndex(client: S3Client, location: S3Location): Promise<{ text: string; etag: string } | null> {
  const key = keyOf(location, INDEX_FILE);
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
    // The same bound as a folder's index (load/inputFile.ts), checked before the body is read.
    const limit = inputLimit('historyIndex');
    if (response.ContentLength !== undefined && response.ContentLength > limit) {
      // Not read: the stream is dropped (in Node it is a Readable) and its socket freed.
      (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw new S3HistoryError(
        `${urlOf(location, key)}: the history index is ${String(Math.ceil(response.ContentLength / 1_048_576))} MiB, over the ${String(limit / 1_048_576)} MiB limit (TRAILAUDIT_MAX_INPUT_MB raises it)`,
      );
    }
    const text = (await response.Body?.transformToString('utf8')) ?? '';
    if (response.ETag === undefined) {
      throw new S3HistoryError(`${urlOf(location, key)}: GetObject answered without an ETag, which the history needs to guard against concurrent runs`);
    }
    return { text, etag: response.ETag };
  } catch (error) {
    if ((error as AwsErrorShape).name === 'NoSuchKey') {
      return null;
    }
    throw error instanceof S3HistoryError ? error : failure(urlOf(location, key), 'GetObject', error);
  }
}

/** Every object under the prefix, as the folder store checks a folder's files. */
function checkObjects(location: S3Location, objects: readonly Listed[], index: HistoryIndex, hasIndex: boolean): void {
  const base = location.prefix === '' ? '' : `${location.prefix}/`;
  const runs = new Map<string, number>();
  for (const { key, size } of objects) {
    const name = key.slice(base.length);
    // The console's "Create folder" leaves an empty object named like the folder: not data.
    const folderMarker = size === 0 && (name === '' || name === `${RUNS_FOLDER}/`);
    if (name === INDEX_FILE || folderMarker) {
      continue;
    }
    const run = name.startsWith(`${RUNS_FOLDER}/`) ? name.slice(RUNS_FOLDER.length + 1) : '';
    if (run === '' || run.includes('/')) {
      throw historyError(urlOf(location, key), '', 'not an object of a trailaudit history (a history prefix holds only index.json and runs/)');
    }
    runs.set(`${RUNS_FOLDER}/${run}`, size);
  }
  if (!hasIndex && runs.size > 0) {
    throw new UnlistedRunObjectError(urlOf(location, keyOf(location, INDEX_FILE)), 'missing: the history has runs but no index (another run may be writing its first run right now: run again; if none is, the run objects are leftovers to delete)');
  }
  const listed = new Set(index.runs.map((run) => run.file));
  const unlisted = [...runs.keys()].find((file) => !listed.has(file));
  if (unlisted !== undefined) {
    throw new UnlistedRunObjectError(
      urlOf(location, keyOf(location, unlisted)),
      'not listed in the history index: left by a run stopped before it updated the index, written by a run updating the history right now, or a foreign object (delete it once no run is writing)',
    );
  }
  for (const run of index.runs) {
    const size = runs.get(run.file);
    const url = urlOf(location, keyOf(location, run.file));
    if (size === undefined) {
      throw historyError(url, '', 'listed in the history index but missing');
    }
    if (size !== run.bytes) {
      throw historyError(url, '', `corrupt: ${String(size)} bytes, the history index recorded ${String(run.bytes)}`);
    }
  }
}

/**
 * Opens an S3 history, checking every object under its prefix (none: a new history). `client`
 * is the store's from now on: appending destroys it once the run is recorded.
 */
export async function openS3History(location: S3Location, client: S3Client): Promise<HistoryStore> {
  // The index before the listing: a run that commits in between shows up as an unlisted object
  // (refused) instead of being missed, and the ETag kept is the one this run's index replaces.
  const stored = await readIndex(client, location);
  const index = stored === null ? EMPTY_INDEX : parseIndex(stored.text, urlOf(location, keyOf(location, INDEX_FILE)));
  checkObjects(location, await listPrefix(client, location), index, stored !== null);
  return {
    location: displayLocation(location),
    index,
    append: (runFile, report, next) => ({
      files: [],
      // Nothing is held before the commit: the conditional PUT is the guard.
      abandon: () => undefined,
      commit: async (written) => {
        try {
          await putRun(client, location, runFile, report, stored?.etag ?? null, `${JSON.stringify(next)}\n`, written);
        } finally {
          client.destroy();
        }
      },
    }),
  };
}

async function putRun(client: S3Client, location: S3Location, runFile: string, report: string, etag: string | null, indexText: string, written: readonly string[]): Promise<void> {
  const notRecorded = `The reports were written (${written.length === 0 ? 'none' : written.join(', ')}), but this run is not in the history ${displayLocation(location)}.`;
  const runKey = keyOf(location, runFile);
  try {
    // The run's name is new (time and random suffix): If-None-Match never overwrites another's.
    await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: runKey, Body: report, ContentType: 'application/json', IfNoneMatch: '*' }));
  } catch (error) {
    throw new S3HistoryError(`${failure(urlOf(location, runKey), 'PutObject', error).message}. ${notRecorded}`, { cause: error });
  }
  const indexKey = keyOf(location, INDEX_FILE);
  try {
    await client.send(
      new PutObjectCommand({ Bucket: location.bucket, Key: indexKey, Body: indexText, ContentType: 'application/json', ...(etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag }) }),
    );
  } catch (error) {
    const cleanup = await deleteQuietly(client, location.bucket, runKey);
    if (isPreconditionFailure(error)) {
      const conflict = `${urlOf(location, indexKey)}: another run updated the history after this run read it (the conditional PutObject failed)`;
      throw new S3HistoryConflictError(`${conflict}. ${notRecorded}${cleanup}`, { cause: error });
    }
    throw new S3HistoryError(`${failure(urlOf(location, indexKey), 'PutObject', error).message}. ${notRecorded}${cleanup}`, { cause: error });
  }
}

/** Removes this run's object after its index write failed; says so if that failed too. */
async function deleteQuietly(client: S3Client, bucket: string, key: string): Promise<string> {
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return '';
  } catch (error) {
    return ` Its report object s3://${bucket}/${key} could not be deleted again (${reasonOf(error, 'DeleteObject')}): delete it, or the next run refuses the history.`;
  }
}
