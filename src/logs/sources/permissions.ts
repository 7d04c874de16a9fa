/**
 * What `validate-logs` may do, by IAM action. The call counter accepts only these names, so the
 * `stats.apiCalls` of its report and `trailaudit iam-policy --command validate-logs` come from
 * one table and cannot drift apart.
 */
export const DIGEST_PERMISSIONS = {
  'cloudtrail:DescribeTrails': 'resolve the trail: its bucket, prefix and home Region',
  'cloudtrail:GetTrailStatus': 'whether the trail is logging and when it last delivered a digest',
  'cloudtrail:ListPublicKeys': 'the keys that signed the digests (not called with --public-keys)',
  's3:ListBucket': 'list the digest files',
  's3:GetObject': 'read digest and log files',
  // Not a call of ours: S3 asks KMS on the reader's behalf when a trail encrypts with SSE-KMS,
  // which CloudTrail.2 requires, so a policy without it fails on exactly the trails that comply.
  'kms:Decrypt': "read log files encrypted with the trail's KMS key (SSE-KMS)",
} as const;

export type DigestAction = keyof typeof DIGEST_PERMISSIONS;

export const DIGEST_ACTIONS = Object.keys(DIGEST_PERMISSIONS) as DigestAction[];
