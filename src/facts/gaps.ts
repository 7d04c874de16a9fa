/**
 * Stand-ins for what a collection may hide: a region whose trails or event data stores could not
 * be listed. Every check over the collection then sees the gap (UNKNOWN), never a clean PASS.
 */
import {
  unknown,
  type BucketFacts,
  type BucketGap,
  type EventDataStoreGap,
  type KmsKeyGap,
  type ResourceRef,
  type TrailGap,
  type Unknown,
  type UnknownDetail,
} from './model.js';

/**
 * Stand-in for the trails of a region that could not be listed. Any multi-region trail, wherever
 * it is homed, is listed in every region, so if another region was listed the hidden trails can
 * only be single-region ones.
 */
export function trailGap(
  region: string,
  failure: UnknownDetail,
  accountId: string,
  partition: string,
  anotherRegionListed: boolean,
): TrailGap {
  const where = failure.operation === undefined ? { region } : { operation: failure.operation, region };
  return {
    ref: {
      type: 'AWS::CloudTrail::Trail',
      id: `arn:${partition}:cloudtrail:${region}:${accountId}:trail/*`,
      accountId,
      region,
    },
    $gap: failure,
    homeRegion: region,
    isMultiRegion: anotherRegionListed
      ? false
      : unknown(
          failure.reason,
          `No audited region could be listed, so multi-region trails are unknown too: ${failure.message}`,
          where,
        ),
    ownerInScope: unknown(failure.reason, failure.message, where),
  };
}

/** Stand-in for the event data stores of a region that could not be listed. */
export function eventDataStoreGap(region: string, failure: UnknownDetail, accountId: string, partition: string): EventDataStoreGap {
  return {
    ref: {
      type: 'AWS::CloudTrail::EventDataStore',
      id: `arn:${partition}:cloudtrail:${region}:${accountId}:eventdatastore/*`,
      accountId,
      region,
    },
    $gap: failure,
    region,
  };
}


/**
 * The stand-in for the log buckets of trails homed in a region whose trails could not be listed:
 * bucket checks report it as UNKNOWN instead of looking complete.
 */
export function bucketGap(region: string, failure: UnknownDetail, accountId: string, partition: string): BucketGap {
  return {
    ref: {
      type: 'AWS::S3::Bucket',
      id: `arn:${partition}:s3:::*`,
      name: `(log buckets of trails in ${region})`,
      accountId,
      region,
    },
    $gap: {
      ...failure,
      message: `The log buckets of trails homed in ${region} are unknown because the trails there could not be listed: ${failure.message}`,
    },
  };
}

/**
 * A bucket none of whose facts can be read (deleted, in another account, not declared in the
 * scanned files): every fact is the same Unknown, so bucket checks are UNKNOWN with its reason.
 * `parts` limits the facts to those collected (the live collector gathers only what is needed).
 */
export function unreadableBucket(
  ref: ResourceRef,
  name: string,
  trailArns: readonly string[],
  gap: Unknown,
  parts: { readonly publicAccess: boolean; readonly logging: boolean } = { publicAccess: true, logging: true },
): BucketFacts {
  return {
    ref,
    name,
    region: gap,
    ownerAccountId: gap,
    trailArns,
    ...(parts.publicAccess
      ? { acl: gap, policy: gap, policyStatusIsPublic: gap, publicAccessBlock: gap, objectOwnership: gap, publicAccess: gap }
      : {}),
    ...(parts.logging ? { logging: gap } : {}),
  };
}

/**
 * The stand-in for the KMS keys of trails homed in a region whose trails could not be listed:
 * checks over the keys report it as UNKNOWN instead of looking complete.
 */
export function kmsKeyGap(region: string, failure: UnknownDetail, accountId: string, partition: string): KmsKeyGap {
  return {
    ref: { type: 'AWS::KMS::Key', id: `arn:${partition}:kms:${region}:${accountId}:key/*`, accountId, region },
    $gap: {
      ...failure,
      message: `The KMS keys of trails homed in ${region} are unknown because the trails there could not be listed: ${failure.message}`,
    },
    region,
  };
}
