/**
 * A run's files in S3 and how they are named:
 *
 *   <prefix>/runs/<runId>/accounts.json        the account list (the Distributed Map's ItemReader)
 *   <prefix>/runs/<runId>/run.json             the run's scope and settings (runFile.ts)
 *   <prefix>/runs/<runId>/snapshots/<first account>-<count>.json   one per batch
 *   <prefix>/runs/<runId>/reports/<report files>
 *   <prefix>/latest/<report files>             the newest run's reports (by when its facts were
 *                                              collected: reduce.ts never rolls it back)
 *
 * A batch's snapshot key depends only on its accounts, so the failure stub of a batch replaces
 * whatever its audit wrote: one batch never leaves two snapshots holding the same account.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunLocation } from './settings.js';

export function runKey(location: RunLocation, ...parts: string[]): string {
  return [location.prefix, 'runs', location.runId, ...parts].filter((part) => part !== '').join('/');
}

export function latestKey(location: RunLocation, name: string): string {
  return [location.prefix, 'latest', name].filter((part) => part !== '').join('/');
}

export function snapshotKey(location: RunLocation, accountIds: readonly string[]): string {
  const first = [...accountIds].sort()[0] ?? 'none';
  return runKey(location, 'snapshots', `${first}-${String(accountIds.length)}.json`);
}

/** S3 as the handlers use it; clients from the environment (AWS_ENDPOINT_URL for an emulator). */
export class RunStore {
  readonly #client: S3Client;

  constructor(endpointUrl: string | undefined) {
    // An emulator on 127.0.0.1 cannot take the bucket name in front of its host.
    this.#client = new S3Client(endpointUrl === undefined ? {} : { endpoint: endpointUrl, forcePathStyle: true });
  }

  async putText(bucket: string, key: string, body: string, contentType: string, metadata?: Readonly<Record<string, string>>): Promise<void> {
    await this.#client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ...(metadata === undefined ? {} : { Metadata: { ...metadata } }) }));
  }

  /** The object's text and user metadata (S3 lower-cases the names). */
  async getWithMetadata(bucket: string, key: string): Promise<{ body: string; metadata: Readonly<Record<string, string>> }> {
    let response;
    try {
      response = await this.#client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      throw new Error(`could not read s3://${bucket}/${key}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (response.Body === undefined) {
      throw new Error(`s3://${bucket}/${key} has no body`);
    }
    return { body: await response.Body.transformToString('utf8'), metadata: response.Metadata ?? {} };
  }

  /** Whether the object exists (HeadObject); other errors are thrown. */
  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      const shape = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (shape.name === 'NotFound' || shape.name === 'NoSuchKey' || shape.$metadata?.httpStatusCode === 404) {
        return false;
      }
      throw error;
    }
  }

  async deleteKey(bucket: string, key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async putJson(bucket: string, key: string, value: unknown): Promise<void> {
    await this.putText(bucket, key, `${JSON.stringify(value)}\n`, 'application/json');
  }

  async getText(bucket: string, key: string): Promise<string> {
    return (await this.getWithMetadata(bucket, key)).body;
  }

  async getJson(bucket: string, key: string): Promise<unknown> {
    const body = await this.getText(bucket, key);
    try {
      return JSON.parse(body);
    } catch (error) {
      throw new Error(`s3://${bucket}/${key} is not JSON: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Every key under `prefix`, all pages (ListObjectsV2 returns at most 1,000 a page). */
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }));
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key])));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
  }

  destroy(): void {
    this.#client.destroy();
  }
}
