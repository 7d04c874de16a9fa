/**
 * A bucket's derived `publicAccess` verdict (facts/derive.ts says why it is recomputed), from its
 * raw facts and the account-level Block Public Access that applies to it.
 */
import type { BucketFacts, BucketGap, FactSet, Maybe, PublicAccessBlock, PublicAccessVerdict } from '../../model.js';
import { isGap, isUnknown, unknown } from '../../model.js';
import { evaluatePublicAccess } from './publicAccess.js';

export function deriveBucket(item: BucketFacts | BucketGap, facts: FactSet): BucketFacts | BucketGap {
  if (isGap(item)) {
    return item;
  }
  const { publicAccess: _publicAccess, ...raw } = item;
  if (item.acl === undefined) {
    // bucketPublicAccess was not collected: no verdict to keep (the schema requires the raw
    // facts whenever it was).
    return raw;
  }
  return { ...raw, publicAccess: publicAccessOf(item, facts) };
}

function missing(what: string, name: string): Maybe<never> {
  return unknown('error', `The snapshot holds no ${what} for bucket ${name}, which its public-access verdict needs.`);
}

function publicAccessOf(bucket: BucketFacts, facts: FactSet): Maybe<PublicAccessVerdict> {
  const owner = bucket.ownerAccountId;
  if (isUnknown(owner)) {
    // A bucket that could not be located (deleted, another account's, not declared in the
    // scanned files): the collectors read nothing else about it, and even whose account-level
    // Block Public Access applies is not known, so the verdict is that same Unknown.
    return owner;
  }
  // `=== undefined`, not `??`: null is a real answer ("none configured").
  const held = <T>(value: Maybe<T> | undefined, what: string): Maybe<T> => (value === undefined ? missing(what, bucket.name) : value);
  return evaluatePublicAccess({
    acl: held(bucket.acl, 'ACL'),
    policy: held(bucket.policy, 'bucket policy'),
    policyStatusIsPublic: held(bucket.policyStatusIsPublic, 'policy status'),
    // Unknown('unsupported') when the live audit did not read them because neither the ACL nor
    // the policy could make the bucket public (absent in snapshots saved before that): if an
    // edited snapshot made them matter, the verdict is Unknown, never "not public".
    objectOwnership: held(bucket.objectOwnership, 'Object Ownership'),
    bucketPublicAccessBlock: held(bucket.publicAccessBlock, 'bucket-level Block Public Access'),
    accountPublicAccessBlock: accountBlockFor(bucket, owner, facts),
  });
}

/** The account-level Block Public Access the collector combined with this bucket's settings. */
function accountBlockFor(bucket: BucketFacts, owner: string, facts: FactSet): Maybe<PublicAccessBlock | null> {
  const { account } = facts;
  if (facts.source !== 'live') {
    // A merged scan records, on a bucket whose file used another account-level block than the
    // merged one, the block it was evaluated with (collect/iac/scan.ts). Otherwise the file's
    // own: none credited for CloudFormation (null), the plan's declared one for Terraform.
    // Not crediting a block can only make a bucket look more public, never less. (In a live
    // set only a bucket read with another account's credentials carries it, below.)
    return bucket.accountPublicAccessBlock !== undefined ? bucket.accountPublicAccessBlock : (account.publicAccessBlock ?? null);
  }
  // An organization set holds every audited account's own block: the owner's applies.
  const ownerFacts = owner === account.id ? account : facts.auditedAccounts?.find((audited) => audited.id === owner);
  if (ownerFacts?.publicAccessBlock === undefined && bucket.accountPublicAccessBlock !== undefined) {
    // A bucket an organization audit read with its owner's credentials carries the owner's block
    // (collect/org/crossAccountBuckets.ts): its owner may be audited in another shard, or have
    // read no block of its own (no trail of its own delivers to a bucket).
    return bucket.accountPublicAccessBlock;
  }
  if (ownerFacts === undefined) {
    // Another account's settings apply to its bucket; the audited account's never do.
    return unknown('cross_account', `Bucket ${bucket.name} belongs to account ${owner}; its account-level Block Public Access is read there.`, {
      account: owner,
    });
  }
  // `=== undefined`, not `??`: null is a real answer ("never configured").
  return ownerFacts.publicAccessBlock === undefined
    ? unknown('error', `The snapshot holds no account-level Block Public Access, which the verdict for bucket ${bucket.name} needs.`)
    : ownerFacts.publicAccessBlock;
}
