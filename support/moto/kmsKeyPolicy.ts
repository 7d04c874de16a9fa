/**
 * Key policies for seeding KMS keys in moto (moto's own default grants only the account root,
 * which does not let CloudTrail encrypt): the statement AWS's console writes for a CloudTrail key,
 * pinned to the account's trails. Shared by tests, the demo and the bench.
 */
export function cloudTrailKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'Allow CloudTrail to encrypt logs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*` } },
      },
    ],
  });
}
