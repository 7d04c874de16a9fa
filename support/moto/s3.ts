/**
 * Seeding S3 in moto the way CloudTrail setups look: buckets in their Region, CloudTrail delivery
 * policies (optionally with a public statement), ACL grants (public read, log delivery) and
 * server access logging. Shared by `npm run demo`, `npm run bench` and the tests.
 */
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  PutBucketAclCommand,
  PutBucketLoggingCommand,
  type BucketLocationConstraint,
  type Grant,
  type ObjectOwnership,
  type S3Client,
} from '@aws-sdk/client-s3';
import { MOTO_ACCOUNT_ID } from './clients.js';

/** Bucket policy CloudTrail needs to deliver logs; pinned to `account`'s trails, so not public. */
function cloudTrailDeliveryStatements(bucket: string, account: string): Record<string, unknown>[] {
  return [
    {
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${bucket}`,
      Condition: { StringEquals: { 'aws:SourceAccount': account } },
    },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`,
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': account },
      },
    },
  ];
}

/** `account`: the account whose trails deliver (another one for an organization trail's bucket). */
export function bucketPolicy(bucket: string, kind: 'cloudtrail' | 'cloudtrail+public', account = MOTO_ACCOUNT_ID): string {
  const statements = cloudTrailDeliveryStatements(bucket, account);
  if (kind === 'cloudtrail+public') {
    // The classic mistake: "anyone may read the logs", no condition pinning the caller.
    statements.push({
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Create a bucket in its region (us-east-1 must not send a LocationConstraint). */
export async function createBucket(
  s3: S3Client,
  name: string,
  region: string,
  extra: { ownership?: ObjectOwnership } = {},
): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      ...(extra.ownership === undefined ? {} : { ObjectOwnership: extra.ownership }),
    }),
  );
}

export async function enableAccessLogging(s3: S3Client, bucket: string, target: string): Promise<void> {
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket: bucket,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${bucket}/` } },
    }),
  );
}

/** Append grants to the bucket's current ACL, keeping the owner's. */
async function addBucketGrants(s3: S3Client, bucket: string, grants: Grant[]): Promise<void> {
  const current = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketAclCommand({
      Bucket: bucket,
      AccessControlPolicy: {
        ...(current.Owner === undefined ? {} : { Owner: current.Owner }),
        Grants: [...(current.Grants ?? []), ...grants],
      },
    }),
  );
}

export async function grantPublicRead(s3: S3Client, bucket: string): Promise<void> {
  await addBucketGrants(s3, bucket, [{ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' }]);
}

/**
 * What the `log-delivery-write` canned ACL grants; moto refuses PutBucketLogging to a target
 * without it (MOTO_NOTES 15), and the SDK's CreateBucket ACL type does not offer that canned ACL.
 */
export async function grantLogDelivery(s3: S3Client, bucket: string): Promise<void> {
  await addBucketGrants(s3, bucket, [
    { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' },
    { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'READ_ACP' },
  ]);
}

export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
