/**
 * The log-bucket fact kinds: public access and server access logging of the buckets trails
 * deliver to. Both live in `$.buckets`, one item per bucket however many trails share it.
 */
import { EVERY_SOURCE, type CollectionSpec, type FactKind } from '../types.js';

/** Finding the buckets (whose they are, where they are) is common to both kinds. */
const LOCATE_BUCKETS = {
  's3:ListAllMyBuckets': 'ListBuckets',
  's3:GetBucketLocation': 'GetBucketLocation',
} as const;

/** One stage reads the three kinds: each bucket's calls are made once (only the location when only `bucketLocation` is needed). */
const liveBuckets = async () => (await import('./livePlan.js')).BUCKETS_STAGE;

export const BUCKETS_COLLECTION: CollectionSpec = { name: 'buckets', itemDefinition: 'bucket', gapDefinition: 'gapCommon' };

export const BUCKET_KINDS: readonly FactKind[] = [
  {
    need: 'bucketPublicAccess',
    live: liveBuckets,
    collection: 'buckets',
    dependsOn: ['trails'],
    operations: {
      ...LOCATE_BUCKETS,
      's3:GetBucketAcl': 'GetBucketAcl',
      's3:GetBucketPolicy': 'GetBucketPolicy',
      's3:GetBucketPolicyStatus': 'GetBucketPolicyStatus',
      // The IAM action for the bucket-level GetPublicAccessBlock differs from the operation name.
      's3:GetBucketPublicAccessBlock': 'GetPublicAccessBlock',
      's3:GetBucketOwnershipControls': 'GetBucketOwnershipControls',
      // S3 Control GetPublicAccessBlock (account level).
      's3:GetAccountPublicAccessBlock': 'GetPublicAccessBlock',
    },
    sources: EVERY_SOURCE,
    requiredFacts: ['acl', 'policy', 'policyStatusIsPublic'],
  },
  {
    need: 'bucketLogging',
    live: liveBuckets,
    collection: 'buckets',
    dependsOn: ['trails'],
    operations: { ...LOCATE_BUCKETS, 's3:GetBucketLogging': 'GetBucketLogging' },
    sources: EVERY_SOURCE,
    requiredFacts: ['logging'],
  },
  {
    // Where the bucket is and whether it exists at all (TrailHealth.1: a deleted bucket receives no logs).
    need: 'bucketLocation',
    live: liveBuckets,
    collection: 'buckets',
    dependsOn: ['trails'],
    operations: LOCATE_BUCKETS,
    // Templates and plans: a declared bucket exists (its item's region is known); a bucket named
    // but not declared is a stand-in whose region is Unknown, so nothing claims it exists.
    sources: EVERY_SOURCE,
    requiredFacts: [],
  },
];
