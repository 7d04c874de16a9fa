/** The bucket items' fields, for the field catalogue (facts/fields.ts); checked against the model by the compiler. */
import type { BucketFacts, BucketGap } from '../../model.js';
import { LEAF, LEAVES, LOCATIONS, PUBLIC_ACCESS_BLOCK, RESOURCE_REF, UNKNOWN_DETAIL, type FieldsOf } from '../../fieldSpec.js';

/** Log buckets and the stand-ins for the buckets of regions whose trails could not be listed. */
export const BUCKET_FIELDS: FieldsOf<BucketFacts | BucketGap> = {
  ref: RESOURCE_REF,
  $gap: UNKNOWN_DETAIL,
  locations: LOCATIONS,
  name: LEAF,
  region: LEAF,
  ownerAccountId: LEAF,
  trailArns: LEAVES,
  acl: { list: { fields: { granteeType: LEAF, uri: LEAF, id: LEAF, permission: LEAF } } },
  // The policy is kept as its JSON text, so a path cannot walk into it.
  policy: LEAF,
  policyStatusIsPublic: LEAF,
  publicAccessBlock: PUBLIC_ACCESS_BLOCK,
  // Merged IaC scans only: the account-level block of the bucket's own file (facts/derive.ts).
  accountPublicAccessBlock: PUBLIC_ACCESS_BLOCK,
  objectOwnership: LEAF,
  publicAccess: {
    fields: { isPublic: LEAF, aclPublic: LEAF, policyPublic: LEAF, via: LEAVES, neutralisedBy: LEAVES, details: LEAVES },
  },
  logging: { fields: { targetBucket: LEAF, targetPrefix: LEAF } },
};
