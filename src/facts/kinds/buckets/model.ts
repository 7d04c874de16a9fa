/** The bucket kinds' part of the facts model (`$.buckets`): log buckets and their public access. */
import type { FactLocations, Maybe, PublicAccessBlock, ResourceRef, UnknownDetail } from '../../core.js';

/* ------------------------------------------------------------------ buckets */

export interface AclGrant {
  readonly granteeType: string;
  readonly uri?: string;
  readonly id?: string;
  readonly permission: string;
}

/** Effective public access of a bucket (derived by kinds/buckets/publicAccess.ts). */
export interface PublicAccessVerdict {
  readonly isPublic: Maybe<boolean>;
  readonly aclPublic: Maybe<boolean>;
  readonly policyPublic: Maybe<boolean>;
  /** What makes it public: 'acl', 'policy'. */
  readonly via: readonly string[];
  /** Settings that neutralise a public ACL or policy, e.g. 'IgnorePublicAcls (account)'. */
  readonly neutralisedBy: readonly string[];
  /** Public grants / statements found (evidence). */
  readonly details: readonly string[];
}

export interface BucketFacts {
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly name: string;
  readonly region: Maybe<string>;
  readonly ownerAccountId: Maybe<string>;
  /** Trails (ARNs) that deliver to this bucket. */
  readonly trailArns: readonly string[];
  /** Present when `bucketPublicAccess` was needed. */
  readonly acl?: Maybe<readonly AclGrant[]>;
  /** Bucket policy JSON text; null = no policy. */
  readonly policy?: Maybe<string | null>;
  /** GetBucketPolicyStatus IsPublic; null = no policy or the service did not answer it. */
  readonly policyStatusIsPublic?: Maybe<boolean | null>;
  /**
   * Bucket-level Block Public Access; null = none configured. The live collector reads it only
   * when the ACL or the policy grants (or may grant) public access, since otherwise it cannot change
   * `publicAccess`; Unknown('unsupported') then.
   */
  readonly publicAccessBlock?: Maybe<PublicAccessBlock | null>;
  /**
   * ObjectOwnership; null = no ownership controls (ACLs enabled). Read live only when the ACL
   * grants (or may grant) public access; Unknown('unsupported') otherwise.
   */
  readonly objectOwnership?: Maybe<string | null>;
  /**
   * Derived from the facts above and the account-level Block Public Access (facts/derive.ts
   * recomputes it when a snapshot is loaded; a stored value is never trusted).
   */
  readonly publicAccess?: Maybe<PublicAccessVerdict>;
  /**
   * Merged IaC scans: the account-level Block Public Access this bucket's file declared (null:
   * none), when it differs from the merged `account.publicAccessBlock`, so that `publicAccess` can
   * be recomputed with the input it was computed with. Live organization audits: the owner's
   * block, on a bucket read with its owner's credentials for another account's trail.
   */
  readonly accountPublicAccessBlock?: Maybe<PublicAccessBlock | null>;
  /** Present when `bucketLogging` was needed; null = server access logging off. */
  readonly logging?: Maybe<{ readonly targetBucket: string; readonly targetPrefix: string } | null>;
}

/**
 * Stands in `buckets` for a region whose trails could not be listed: the log buckets of trails
 * homed there are unknown, so bucket checks must not look complete.
 */
export interface BucketGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly [field: string]: unknown;
}
