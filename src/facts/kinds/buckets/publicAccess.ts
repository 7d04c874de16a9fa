/**
 * Effective public access of a bucket (CONTROLS §1.6), combining the ACL, the bucket policy,
 * Object Ownership and Block Public Access at bucket and account level.
 *
 * Three-valued (Kleene) logic throughout: a fact that could not be read is Unknown, and Unknown
 * only disappears when a known fact decides the answer on its own (an IgnorePublicAcls flag makes
 * an unreadable ACL irrelevant; a known public ACL makes the bucket public whatever the policy).
 * So a gap can never turn into "not public".
 *
 * BlockPublicAcls and BlockPublicPolicy are deliberately not consulted: they only reject future
 * changes and leave existing grants and statements in force.
 */
import { staticPolicyIsPublic } from './bucketPolicy.js';
import type { AclGrant, Maybe, PublicAccessBlock, PublicAccessVerdict, Unknown } from '../../model.js';
import { isUnknown, unknown } from '../../model.js';

export { staticPolicyIsPublic } from './bucketPolicy.js';
export type { StaticPolicyAnalysis } from './bucketPolicy.js';

export interface PublicAccessInputs {
  readonly acl: Maybe<readonly AclGrant[]>;
  /**
   * null = no ownership controls (ACLs enabled). The live collector passes Unknown('unsupported')
   * when it did not read it because the ACL grants nothing public (see `aclGrantsPublic`).
   */
  readonly objectOwnership: Maybe<string | null>;
  /**
   * null = no Block Public Access configuration (all four flags off). Unknown('unsupported') when
   * not read because neither the ACL nor the policy could make the bucket public.
   */
  readonly bucketPublicAccessBlock: Maybe<PublicAccessBlock | null>;
  readonly accountPublicAccessBlock: Maybe<PublicAccessBlock | null>;
  /** Policy JSON text; null = no policy. */
  readonly policy: Maybe<string | null>;
  /** GetBucketPolicyStatus IsPublic; null (or Unknown) = use static analysis of `policy`. */
  readonly policyStatusIsPublic: Maybe<boolean | null>;
}

export type Tri = boolean | Unknown;

/** Kleene OR: true wins; otherwise the first Unknown; otherwise false. */
function or3(...values: readonly Tri[]): Tri {
  if (values.some((value) => value === true)) {
    return true;
  }
  return values.find(isUnknown) ?? false;
}

/** Kleene AND: false wins; otherwise the first Unknown; otherwise true. */
function and3(...values: readonly Tri[]): Tri {
  if (values.some((value) => value === false)) {
    return false;
  }
  return values.find(isUnknown) ?? true;
}

function not3(value: Tri): Tri {
  return isUnknown(value) ? value : !value;
}

function flag(block: Maybe<PublicAccessBlock | null>, name: keyof PublicAccessBlock): Tri {
  if (isUnknown(block)) {
    return block;
  }
  return block?.[name] ?? false;
}

const PUBLIC_GROUPS: readonly (readonly [string, string])[] = [
  ['acs.amazonaws.com/groups/global/allusers', 'AllUsers'],
  ['acs.amazonaws.com/groups/global/authenticatedusers', 'AuthenticatedUsers'],
];

/**
 * The public group a grant goes to, if any. Matched on the URI whatever the grantee type claims,
 * with either scheme, any case and stray whitespace ("Authenticated Users" in the CIS text).
 * AuthenticatedUsers means any AWS account, so it is public too; LogDelivery is not.
 */
function publicGroup(grant: AclGrant): string | undefined {
  if (grant.uri === undefined) {
    return undefined;
  }
  const normalised = grant.uri
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return PUBLIC_GROUPS.find(([uri]) => uri === normalised)?.[1];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A signal with the evidence that supports it. */
export interface PublicSignal {
  readonly value: Tri;
  readonly details: readonly string[];
}

/** Whether the ACL grants anything to a public group; Unknown when the ACL could not be read. */
export function aclGrantsPublic(acl: Maybe<readonly AclGrant[]>): PublicSignal {
  if (isUnknown(acl)) {
    return { value: acl, details: [] };
  }
  const details: string[] = [];
  for (const grant of acl) {
    const group = publicGroup(grant);
    if (group !== undefined) {
      details.push(`ACL grants ${grant.permission} to ${group}`);
    }
  }
  return { value: details.length > 0, details };
}

/**
 * Whether the bucket policy is public before Block Public Access: S3's own verdict
 * (GetBucketPolicyStatus) when it answered, static analysis of the policy otherwise.
 */
export function policyGrantsPublic(policy: Maybe<string | null>, policyStatusIsPublic: Maybe<boolean | null>): PublicSignal {
  const statusDetails = policyStatusIsPublic === true ? ['GetBucketPolicyStatus reports the bucket policy as public'] : [];
  if (isUnknown(policy)) {
    // The status call may be allowed where reading the policy is not; S3's verdict still decides.
    return typeof policyStatusIsPublic === 'boolean' ? { value: policyStatusIsPublic, details: statusDetails } : { value: policy, details: [] };
  }
  if (policy === null) {
    return { value: false, details: [] };
  }
  let analysis: ReturnType<typeof staticPolicyIsPublic> | Unknown;
  try {
    analysis = staticPolicyIsPublic(policy);
  } catch (error) {
    analysis = unknown('error', `The bucket policy could not be analysed: ${errorMessage(error)}`, {
      operation: 's3:GetBucketPolicy',
    });
  }
  const details: string[] = [];
  let value: Tri;
  // S3's own verdict wins when it answered; static analysis is the fallback (and the evidence).
  if (typeof policyStatusIsPublic === 'boolean') {
    value = policyStatusIsPublic;
    details.push(...statusDetails);
  } else {
    value = isUnknown(analysis) ? analysis : analysis.isPublic;
  }
  if (value === true && !isUnknown(analysis)) {
    details.push(...analysis.publicStatements.map((statement) => `policy ${statement}`));
  }
  return { value, details };
}

/** Effective public access with evidence; never `false` when a deciding fact is Unknown. */
export function evaluatePublicAccess(inputs: PublicAccessInputs): PublicAccessVerdict {
  // A setting not read because it could not matter is Unknown: if it ever mattered, the verdict
  // stays undecided.
  const { acl, objectOwnership, bucketPublicAccessBlock: bucket, accountPublicAccessBlock: account } = inputs;
  const neutralisedBy: string[] = [];

  /* ---- ACL */
  const aclSignal = aclGrantsPublic(acl);
  const aclHasPublicGrant = aclSignal.value;
  const ignoreBucket = flag(bucket, 'ignorePublicAcls');
  const ignoreAccount = flag(account, 'ignorePublicAcls');
  const aclsDisabled: Tri = isUnknown(objectOwnership) ? objectOwnership : objectOwnership === 'BucketOwnerEnforced';
  const aclPublic = and3(not3(or3(ignoreBucket, ignoreAccount)), not3(aclsDisabled), aclHasPublicGrant);
  if (aclHasPublicGrant === true) {
    if (ignoreBucket === true) {
      neutralisedBy.push('IgnorePublicAcls (bucket)');
    }
    if (ignoreAccount === true) {
      neutralisedBy.push('IgnorePublicAcls (account)');
    }
    if (aclsDisabled === true) {
      neutralisedBy.push('ObjectOwnership BucketOwnerEnforced');
    }
  }

  /* ---- policy */
  const policySignal = policyGrantsPublic(inputs.policy, inputs.policyStatusIsPublic);
  const policyIsPublic = policySignal.value;
  const restrictBucket = flag(bucket, 'restrictPublicBuckets');
  const restrictAccount = flag(account, 'restrictPublicBuckets');
  const policyPublic = and3(not3(or3(restrictBucket, restrictAccount)), policyIsPublic);
  if (policyIsPublic === true) {
    if (restrictBucket === true) {
      neutralisedBy.push('RestrictPublicBuckets (bucket)');
    }
    if (restrictAccount === true) {
      neutralisedBy.push('RestrictPublicBuckets (account)');
    }
  }

  const via = [...(aclPublic === true ? ['acl'] : []), ...(policyPublic === true ? ['policy'] : [])];
  return {
    isPublic: or3(aclPublic, policyPublic),
    aclPublic,
    policyPublic,
    via,
    neutralisedBy,
    details: [...aclSignal.details, ...policySignal.details],
  };
}
