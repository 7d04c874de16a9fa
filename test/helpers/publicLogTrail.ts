/**
 * The account the history end-to-end tests audit run after run: one multi-Region trail, logging,
 * into a public-read bucket, so there are failures to fix (and break again) between runs.
 */
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import type { MotoHandle } from '../../support/moto/mocha.js';

export const MAIN_TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main';
export const PUBLIC_LOG_BUCKET = 'arn:aws:s3:::public-logs';

/** Seeds the account (and `otherBuckets`, empty); returns an S3 client on moto the caller destroys. */
export async function seedPublicLogTrail(endpoint: string, otherBuckets: readonly string[] = []): Promise<S3Client> {
  const s3 = new S3Client({ region: 'us-east-1', endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
  const cloudTrail = new CloudTrailClient({ region: 'us-east-1', endpoint, credentials: MOTO_CREDENTIALS });
  try {
    for (const bucket of otherBuckets) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    await s3.send(new CreateBucketCommand({ Bucket: 'public-logs' }));
    await s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'public-read' }));
    await cloudTrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'public-logs', IsMultiRegionTrail: true }));
    await cloudTrail.send(new StartLoggingCommand({ Name: 'main' }));
  } finally {
    cloudTrail.destroy();
  }
  return s3;
}

/** A test's working folder and its S3 client on the seeded account (useSeededWorkspace). */
export interface SeededWorkspace {
  readonly work: string;
  readonly s3: S3Client;
}

/**
 * Mocha hooks for the history end-to-end tests: before each test, a fresh working folder (holding
 * `files`) and the account seeded by seedPublicLogTrail; after it, both gone.
 */
export function useSeededWorkspace(moto: MotoHandle, prefix: string, setup: { readonly otherBuckets?: readonly string[]; readonly files?: Readonly<Record<string, string>> } = {}): SeededWorkspace {
  let current: SeededWorkspace | null = null;
  beforeEach(async () => {
    const work = mkdtempSync(join(tmpdir(), prefix));
    for (const [name, content] of Object.entries(setup.files ?? {})) {
      writeFileSync(join(work, name), content);
    }
    current = { work, s3: await seedPublicLogTrail(moto.endpoint, setup.otherBuckets) };
  });
  afterEach(() => {
    current?.s3.destroy();
    if (current !== null) {
      rmSync(current.work, { recursive: true, force: true });
    }
    current = null;
  });
  const now = (): SeededWorkspace => {
    if (current === null) {
      throw new Error('useSeededWorkspace: used outside a test');
    }
    return current;
  };
  return {
    get work() {
      return now().work;
    },
    get s3() {
      return now().s3;
    },
  };
}
