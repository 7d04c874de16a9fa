/**
 * Trail log buckets: one BucketFacts per distinct bucket a trail delivers to, built from the
 * `aws_s3_bucket` and the stand-alone resources that configure it (public access block, ACL,
 * policy, ownership controls, logging), or from the legacy inline arguments of `aws_s3_bucket`.
 *
 * Stand-alone resources win over inline arguments (they are the provider's current way, and the
 * provider documents that mixing both makes them fight). A stand-alone resource whose `bucket`
 * cannot be resolved might configure any bucket, so every trail bucket without its own resource
 * of that kind gets an Unknown fact for it — never a clean PASS. Two resources of one kind on the
 * same bucket overwrite each other in apply order, which the plan does not fix: Unknown too.
 */
import { unreadableBucket } from '../../gaps.js';
import type { AclGrant, BucketFacts, Maybe, PublicAccessBlock, SourceLocation, Unknown } from '../../model.js';
import { isUnknown, unknown } from '../../model.js';
import { evaluatePublicAccess } from './publicAccess.js';
import type { PlanContext } from '../../../collect/terraform/context.js';
import { BUCKET_ATTACHMENT_TYPES, linkBucket } from './terraformLinks.js';
import { isObject, type PlannedResource } from '../../../collect/terraform/plan.js';
import { afterApply, attribute, blocks, booleanAttribute, KNOWN_AFTER_APPLY, knownString, partlyUnknown, presenceAttribute, strings, type Attribute } from '../../../collect/terraform/values.js';

const OWNER: AclGrant = { granteeType: 'CanonicalUser', permission: 'FULL_CONTROL' };
const GROUPS = 'http://acs.amazonaws.com/groups';
const group = (name: string, permission: string): AclGrant => ({ granteeType: 'Group', uri: `${GROUPS}/${name}`, permission });

/** Bucket-level grants of each canned ACL (object-only ACLs leave the bucket private). */
const CANNED_ACLS: Readonly<Record<string, readonly AclGrant[]>> = {
  private: [OWNER],
  'public-read': [OWNER, group('global/AllUsers', 'READ')],
  'public-read-write': [OWNER, group('global/AllUsers', 'READ'), group('global/AllUsers', 'WRITE')],
  'authenticated-read': [OWNER, group('global/AuthenticatedUsers', 'READ')],
  'aws-exec-read': [OWNER],
  'log-delivery-write': [OWNER, group('s3/LogDelivery', 'WRITE'), group('s3/LogDelivery', 'READ_ACP')],
  'bucket-owner-read': [OWNER],
  'bucket-owner-full-control': [OWNER],
};

function cannedAcl(resource: PlannedResource, acl: string): Maybe<readonly AclGrant[]> {
  return (
    CANNED_ACLS[acl] ?? unknown('unsupported', `${resource.address} uses the canned ACL '${acl}', which trailaudit does not know.`)
  );
}

type Kind = 'publicAccessBlock' | 'acl' | 'policy' | 'ownership' | 'logging';

const KIND_OF_TYPE: Readonly<Record<string, Kind>> = {
  aws_s3_bucket_public_access_block: 'publicAccessBlock',
  aws_s3_bucket_acl: 'acl',
  aws_s3_bucket_policy: 'policy',
  aws_s3_bucket_ownership_controls: 'ownership',
  aws_s3_bucket_logging: 'logging',
};

interface Unlinked {
  readonly resource: PlannedResource;
  readonly why: string;
}

/** The stand-alone bucket resources, grouped by the bucket they configure. */
export class BucketAttachments {
  private readonly linked = new Map<string, Map<Kind, PlannedResource[]>>();
  private readonly unlinked = new Map<Kind, Unlinked[]>();

  constructor(context: PlanContext) {
    for (const resource of context.plan.resources) {
      const kind = KIND_OF_TYPE[resource.type];
      if (kind === undefined || !BUCKET_ATTACHMENT_TYPES.has(resource.type)) {
        continue;
      }
      const link = linkBucket(resource, 'bucket', context.resolver, context.bucketsByName);
      if (link.kind === 'declared') {
        const kinds = this.linked.get(link.bucket.address) ?? new Map<Kind, PlannedResource[]>();
        kinds.set(kind, [...(kinds.get(kind) ?? []), resource]);
        this.linked.set(link.bucket.address, kinds);
      } else if (link.kind === 'unresolved') {
        this.unlinked.set(kind, [...(this.unlinked.get(kind) ?? []), { resource, why: link.why }]);
      }
      // 'outside': it configures a bucket this plan does not declare; not a trail bucket here.
    }
  }

  /** The one resource of `kind` on `bucket`, null for none, Unknown when it cannot be told. */
  of(bucket: PlannedResource, kind: Kind): PlannedResource | null | Unknown {
    const own = this.linked.get(bucket.address)?.get(kind) ?? [];
    if (own.length > 1) {
      return unknown(
        'unsupported',
        `${own.map((r) => r.address).join(' and ')} all configure ${bucket.address}; which one wins depends on apply order.`,
      );
    }
    const [only] = own;
    if (only !== undefined) {
      return only;
    }
    const [stray] = this.unlinked.get(kind) ?? [];
    if (stray !== undefined) {
      return unknown(
        'unsupported',
        `${stray.resource.address} may configure ${bucket.address}: its bucket argument cannot be resolved (${stray.why}).`,
      );
    }
    return null;
  }
}

/**
 * A legacy inline argument of `aws_s3_bucket`. Provider v4+ marks `acl`, `policy`, `grant` and
 * `logging` as computed, so a new bucket shows them "known after apply" even when the
 * configuration never sets them: only an argument the configuration sets is then really unknown.
 */
function inlineArgument(bucket: PlannedResource, name: string): Attribute | Unknown {
  const value = attribute(bucket, name);
  if (value.state === 'unknown' || partlyUnknown(bucket, name)) {
    const configured = bucket.config === undefined || bucket.config.expressions[name] !== undefined;
    return configured ? afterApply(bucket, name) : { state: 'unset' };
  }
  return value;
}

interface Located<T> {
  readonly value: T;
  readonly location?: SourceLocation | undefined;
}

function aclFacts(context: PlanContext, bucket: PlannedResource, attachments: BucketAttachments): Located<Maybe<readonly AclGrant[]>> {
  const resource = attachments.of(bucket, 'acl');
  if (isUnknown(resource)) {
    return { value: resource };
  }
  if (resource !== null) {
    const location = context.location(resource);
    const acl = attribute(resource, 'acl');
    if (acl.state === 'unknown') {
      return { value: afterApply(resource, 'acl'), location };
    }
    if (acl.state === 'known' && typeof acl.value === 'string') {
      return { value: cannedAcl(resource, acl.value), location: context.attributeLocation(resource, 'acl') ?? location };
    }
    if (partlyUnknown(resource, 'access_control_policy')) {
      return { value: afterApply(resource, 'access_control_policy'), location };
    }
    const grants = blocks(blocks(resource.values.access_control_policy)[0]?.grant).map((grant): AclGrant => {
      const grantee = blocks(grant.grantee)[0] ?? {};
      return {
        granteeType: typeof grantee.type === 'string' ? grantee.type : 'Unknown',
        ...(typeof grantee.uri === 'string' && grantee.uri !== '' ? { uri: grantee.uri } : {}),
        ...(typeof grantee.id === 'string' && grantee.id !== '' ? { id: grantee.id } : {}),
        permission: typeof grant.permission === 'string' ? grant.permission : 'Unknown',
      };
    });
    return { value: grants, location: context.attributeLocation(resource, 'access_control_policy') ?? location };
  }
  const acl = inlineArgument(bucket, 'acl');
  if (isUnknown(acl)) {
    return { value: acl, location: context.attributeLocation(bucket, 'acl') };
  }
  const grant = inlineArgument(bucket, 'grant');
  if (isUnknown(grant)) {
    return { value: grant, location: context.attributeLocation(bucket, 'grant') };
  }
  if (acl.state === 'known' && typeof acl.value === 'string') {
    return { value: cannedAcl(bucket, acl.value), location: context.attributeLocation(bucket, 'acl') };
  }
  if (grant.state === 'known' && blocks(grant.value).length > 0) {
    const grants = blocks(grant.value).flatMap((entry) =>
      strings(entry.permissions).map(
        (permission): AclGrant => ({
          granteeType: typeof entry.type === 'string' ? entry.type : 'Unknown',
          ...(typeof entry.uri === 'string' && entry.uri !== '' ? { uri: entry.uri } : {}),
          ...(typeof entry.id === 'string' && entry.id !== '' ? { id: entry.id } : {}),
          permission,
        }),
      ),
    );
    return { value: grants, location: context.attributeLocation(bucket, 'grant') };
  }
  // S3's default ACL: the owner has full control, nobody else anything.
  return { value: [OWNER] };
}

function policyFacts(context: PlanContext, bucket: PlannedResource, attachments: BucketAttachments): Located<Maybe<string | null>> {
  const resource = attachments.of(bucket, 'policy');
  if (isUnknown(resource)) {
    return { value: resource };
  }
  if (resource !== null) {
    const policy = attribute(resource, 'policy');
    const location = context.attributeLocation(resource, 'policy') ?? context.location(resource);
    if (policy.state === 'unknown') {
      return { value: afterApply(resource, 'policy'), location };
    }
    return { value: policy.state === 'known' && typeof policy.value === 'string' && policy.value !== '' ? policy.value : null, location };
  }
  const inline = inlineArgument(bucket, 'policy');
  if (isUnknown(inline)) {
    return { value: inline, location: context.attributeLocation(bucket, 'policy') };
  }
  return inline.state === 'known' && typeof inline.value === 'string' && inline.value !== ''
    ? { value: inline.value, location: context.attributeLocation(bucket, 'policy') }
    : { value: null };
}

export function publicAccessBlockOf(resource: PlannedResource): Maybe<PublicAccessBlock> {
  const flags = {
    blockPublicAcls: booleanAttribute(resource, 'block_public_acls', false),
    ignorePublicAcls: booleanAttribute(resource, 'ignore_public_acls', false),
    blockPublicPolicy: booleanAttribute(resource, 'block_public_policy', false),
    restrictPublicBuckets: booleanAttribute(resource, 'restrict_public_buckets', false),
  };
  const gap = Object.values(flags).find(isUnknown);
  if (gap !== undefined) {
    return gap;
  }
  return flags as PublicAccessBlock;
}

function ownershipOf(bucket: PlannedResource, attachments: BucketAttachments): Maybe<string | null> {
  const resource = attachments.of(bucket, 'ownership');
  if (resource === null || isUnknown(resource)) {
    // No ownership controls: ACLs stay in force. (S3 now creates buckets with ACLs disabled, but
    // the plan cannot prove that for an existing bucket, so the conservative reading is kept.)
    return resource;
  }
  if (partlyUnknown(resource, 'rule')) {
    return afterApply(resource, 'rule');
  }
  const ownership = blocks(resource.values.rule)[0]?.object_ownership;
  return typeof ownership === 'string' && ownership !== '' ? ownership : null;
}

type Logging = { readonly targetBucket: string; readonly targetPrefix: string } | null;

function loggingFacts(context: PlanContext, bucket: PlannedResource, attachments: BucketAttachments): Located<Maybe<Logging>> {
  const resource = attachments.of(bucket, 'logging');
  if (isUnknown(resource)) {
    return { value: resource };
  }
  if (resource !== null) {
    const target = presenceAttribute(resource, 'target_bucket');
    return {
      value: target === null ? null : { targetBucket: target, targetPrefix: knownString(resource, 'target_prefix') ?? '' },
      location: context.location(resource),
    };
  }
  const location = context.attributeLocation(bucket, 'logging');
  const whole = attribute(bucket, 'logging');
  if (whole.state === 'unknown') {
    const configured = bucket.config === undefined || bucket.config.expressions.logging !== undefined;
    return configured ? { value: afterApply(bucket, 'logging'), location } : { value: null };
  }
  const block = whole.state === 'known' ? blocks(whole.value)[0] : undefined;
  if (block === undefined) {
    return { value: null };
  }
  const marks = isObject(bucket.afterUnknown) && Array.isArray(bucket.afterUnknown.logging) ? (bucket.afterUnknown.logging as unknown[]) : [];
  const mark = marks[0];
  // A target bucket created by the same plan is named only after apply: it is still set.
  const target =
    typeof block.target_bucket === 'string' && block.target_bucket !== ''
      ? block.target_bucket
      : isObject(mark) && mark.target_bucket === true
        ? KNOWN_AFTER_APPLY
        : null;
  if (target === null) {
    return { value: null };
  }
  return { value: { targetBucket: target, targetPrefix: typeof block.target_prefix === 'string' ? block.target_prefix : '' }, location };
}

export function bucketFacts(
  context: PlanContext,
  bucket: PlannedResource,
  trailAddresses: readonly string[],
  attachments: BucketAttachments,
  accountPublicAccessBlock: Maybe<PublicAccessBlock | null>,
): BucketFacts {
  const name = knownString(bucket, 'bucket') ?? knownString(bucket, 'id') ?? bucket.address;
  const region = context.region(bucket);
  const acl = aclFacts(context, bucket, attachments);
  const policy = policyFacts(context, bucket, attachments);
  const pabResource = attachments.of(bucket, 'publicAccessBlock');
  const publicAccessBlock = pabResource === null || isUnknown(pabResource) ? pabResource : publicAccessBlockOf(pabResource);
  const objectOwnership = ownershipOf(bucket, attachments);
  const publicAccess = evaluatePublicAccess({
    acl: acl.value,
    objectOwnership,
    bucketPublicAccessBlock: publicAccessBlock,
    accountPublicAccessBlock,
    policy: policy.value,
    // No service to ask at plan time: static analysis of the policy text decides.
    policyStatusIsPublic: null,
  });
  const logging = loggingFacts(context, bucket, attachments);

  const locations: Record<string, SourceLocation> = {};
  // Point a FAIL at what makes the bucket public; otherwise at the block that protects it.
  const exposure = publicAccess.via.includes('policy') ? policy.location : publicAccess.via.includes('acl') ? acl.location : undefined;
  if (exposure !== undefined) {
    locations['publicAccess.via'] = exposure;
    locations['publicAccess.details'] = exposure;
  }
  if (pabResource !== null && !isUnknown(pabResource)) {
    locations.publicAccessBlock = context.location(pabResource);
  }
  if (logging.location !== undefined) {
    locations.logging = logging.location;
  }
  return {
    ref: { type: 'AWS::S3::Bucket', id: bucket.address, name, accountId: context.accountId, region, location: context.location(bucket) },
    locations,
    name,
    region,
    ownerAccountId: context.accountId ?? '',
    trailArns: trailAddresses,
    acl: acl.value,
    policy: policy.value,
    policyStatusIsPublic: null,
    publicAccessBlock,
    objectOwnership,
    publicAccess,
    logging: logging.value,
  };
}

/**
 * A trail bucket the plan cannot show: every bucket fact is Unknown with the reason, so CloudTrail.6
 * and .7 are UNKNOWN (never PASS) and say what to do.
 */
export function unlinkedBucketFacts(
  context: PlanContext,
  id: string,
  name: string,
  region: string,
  gap: Unknown,
  trailAddresses: readonly string[],
  location: SourceLocation,
): BucketFacts {
  return unreadableBucket({ type: 'AWS::S3::Bucket', id, name, accountId: context.accountId, region, location }, name, trailAddresses, gap);
}
