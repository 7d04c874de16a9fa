/**
 * The account the history end-to-end tests audit run after run: one multi-Region trail, logging,
 * into a public-read bucket, so there are failures to fix (and break again) between runs.
 */
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';

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
