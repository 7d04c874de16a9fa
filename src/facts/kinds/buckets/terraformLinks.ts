/**
 * Linking an argument that names a bucket (`aws_cloudtrail.s3_bucket_name`,
 * `aws_s3_bucket_policy.bucket`, …) to the `aws_s3_bucket` the plan declares.
 *
 * A configuration reference is preferred (it names the resource even when the bucket name is
 * known only after apply); otherwise the planned value is matched against the declared buckets'
 * names. A known name that no declared bucket carries is a bucket outside the plan.
 */
import type { PlannedResource } from '../../../collect/terraform/plan.js';
import type { ReferenceResolver } from '../../../collect/terraform/references.js';
import { knownString } from '../../../collect/terraform/values.js';

export type BucketLink =
  | { readonly kind: 'declared'; readonly bucket: PlannedResource }
  /** The argument holds a bucket name that no bucket in this plan has. */
  | { readonly kind: 'outside'; readonly name: string }
  | { readonly kind: 'unresolved'; readonly why: string };

/** Resources whose `bucket` argument names the bucket they configure. */
export const BUCKET_ATTACHMENT_TYPES: ReadonlySet<string> = new Set([
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_logging',
]);

/** Declared buckets by name, for literal links (names known at plan time only). */
export function bucketsByName(resources: readonly PlannedResource[]): Map<string, PlannedResource> {
  const byName = new Map<string, PlannedResource>();
  for (const resource of resources) {
    if (resource.type === 'aws_s3_bucket') {
      const name = knownString(resource, 'bucket') ?? knownString(resource, 'id');
      if (name !== undefined && !byName.has(name)) {
        byName.set(name, resource);
      }
    }
  }
  return byName;
}

export function linkBucket(
  resource: PlannedResource,
  argument: string,
  resolver: ReferenceResolver,
  byName: ReadonlyMap<string, PlannedResource>,
  depth = 0,
): BucketLink {
  const resolution = resolver.resolve(resource, argument);
  let why = resolution.kind === 'unresolved' ? resolution.why : '';
  if (resolution.kind === 'resource') {
    const target = resolution.resource;
    if (target.type === 'aws_s3_bucket') {
      return { kind: 'declared', bucket: target };
    }
    // `s3_bucket_name = aws_s3_bucket_policy.logs.bucket` (a common way to order creation).
    if (BUCKET_ATTACHMENT_TYPES.has(target.type) && depth < 4) {
      return linkBucket(target, 'bucket', resolver, byName, depth + 1);
    }
    why = `it is derived from ${target.address}`;
  }
  const name = knownString(resource, argument);
  if (name !== undefined) {
    const bucket = byName.get(name);
    return bucket === undefined ? { kind: 'outside', name } : { kind: 'declared', bucket };
  }
  if (why === '') {
    why = resource.values[argument] === undefined || resource.values[argument] === null ? 'its value is known only after apply' : 'it is not a bucket name';
  }
  return { kind: 'unresolved', why };
}
