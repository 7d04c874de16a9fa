import type { BucketGap, UnknownDetail } from './model.js';

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
