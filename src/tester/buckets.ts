/** Compact buckets of a case table → the BucketFacts the live collector would give. */
import type { AclGrant, BucketFacts, Maybe, PublicAccessBlock, TrailFacts, UnknownReason } from '../facts/model.js';
import { UNKNOWN_REASONS, isUnknown, unknown } from '../facts/model.js';
import { evaluatePublicAccess } from '../facts/kinds/buckets/publicAccess.js';
import { ACCOUNT_ID, PARTITION, TableError, expandUnknowns, isRecord, requireKeys, stringField, type BuildContext, type Compact } from './compact.js';

export function publicAccessBlock(where: string, raw: unknown): Maybe<PublicAccessBlock | null> {
  if (raw === null || isUnknown(raw)) {
    return raw;
  }
  if (!isRecord(raw)) {
    throw new TableError(`${where}: publicAccessBlock must be a mapping of flags, null or an Unknown`);
  }
  requireKeys(where, raw, ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'], []);
  return { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false, ...raw };
}

const OWNER_GRANT: AclGrant = { granteeType: 'CanonicalUser', id: '79a59df900b949e55d96a1e698fbaced', permission: 'FULL_CONTROL' };

const S3_GROUPS: readonly string[] = ['AllUsers', 'AuthenticatedUsers', 'LogDelivery'];
const PERMISSIONS: readonly string[] = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'];

function aclGrant(where: string, raw: unknown): AclGrant {
  if (!isRecord(raw)) {
    throw new TableError(`${where}: an ACL grant must be a mapping`);
  }
  if ('group' in raw) {
    requireKeys(where, raw, ['group', 'permission', 'scheme'], ['group']);
    // S3's predefined groups only: any other value would be a grant nobody can make, read as private.
    if (!S3_GROUPS.includes(raw.group as string)) {
      throw new TableError(`${where}: group must be one of ${S3_GROUPS.join(', ')}`);
    }
    if (raw.permission !== undefined && (typeof raw.permission !== 'string' || !PERMISSIONS.includes(raw.permission))) {
      throw new TableError(`${where}: permission must be one of ${PERMISSIONS.join(', ')}`);
    }
    const scheme = typeof raw.scheme === 'string' ? raw.scheme : 'http';
    return {
      granteeType: 'Group',
      uri: `${scheme}://acs.amazonaws.com/groups/${raw.group === 'LogDelivery' ? 's3' : 'global'}/${String(raw.group)}`,
      permission: typeof raw.permission === 'string' ? raw.permission : 'READ',
    };
  }
  if (!('granteeType' in raw)) {
    throw new TableError(`${where}: a grant names a group ({ group: AllUsers, permission?, scheme? }) or a grantee ({ granteeType, uri or id, permission })`);
  }
  requireKeys(where, raw, ['granteeType', 'uri', 'id', 'permission'], ['granteeType', 'permission']);
  return raw as unknown as AclGrant;
}

const BUCKET_KEYS = [
  'name',
  'acl',
  'policy',
  'policyStatusIsPublic',
  'publicAccessBlock',
  'objectOwnership',
  'logging',
  'publicAccess',
  'trailArns',
  'unreadable',
];

/** A bucket as the live collector describes it; `publicAccess` from the real derivation. */
export function buildBucket(compact: Compact, context: BuildContext, trails: readonly TrailFacts[], where = 'bucket'): BucketFacts {
  requireKeys(where, compact, BUCKET_KEYS, ['name']);
  const name = stringField(where, compact.name, 'name');
  const id = `arn:${PARTITION}:s3:::${name}`;
  const o = expandUnknowns(compact, where) as Record<string, unknown>;
  const trailArns = (o.trailArns ?? trails.filter((trail) => trail.s3BucketName === name).map((trail) => trail.arn)) as string[];
  if (o.unreadable !== undefined) {
    // The collector's shape for a bucket in another account or one that does not exist.
    const reason = o.unreadable as UnknownReason;
    if (!UNKNOWN_REASONS.includes(reason) || Object.keys(o).some((key) => !['name', 'unreadable', 'trailArns'].includes(key))) {
      throw new TableError(`${where}: unreadable takes a reason and excludes other bucket fields`);
    }
    const gap = unknown(reason, `(test) bucket ${name} could not be read: ${reason}.`, { operation: 's3:GetBucketLocation' });
    return {
      ref: { type: 'AWS::S3::Bucket', id, name, accountId: null, region: 'unknown' },
      name,
      region: gap,
      ownerAccountId: gap,
      trailArns,
      acl: gap,
      policy: gap,
      policyStatusIsPublic: gap,
      publicAccessBlock: gap,
      objectOwnership: gap,
      publicAccess: gap,
      logging: gap,
    };
  }
  const region = context.regions[0] ?? 'us-east-1';
  const acl: Maybe<readonly AclGrant[]> =
    o.acl === undefined
      ? [OWNER_GRANT]
      : isUnknown(o.acl)
        ? o.acl
        : Array.isArray(o.acl)
          ? o.acl.map((grant, index) => aclGrant(`${where}.acl[${index}]`, grant))
          : tableError(`${where}.acl must be a list of grants (or an $unknown)`);
  const policy: Maybe<string | null> =
    o.policy === undefined || o.policy === null ? null : isUnknown(o.policy) || typeof o.policy === 'string' ? o.policy : JSON.stringify(o.policy);
  const policyStatusIsPublic = (o.policyStatusIsPublic ?? null) as Maybe<boolean | null>;
  const bucketPab = publicAccessBlock(`${where}.publicAccessBlock`, o.publicAccessBlock ?? null);
  const objectOwnership = (o.objectOwnership ?? null) as Maybe<string | null>;
  type Logging = BucketFacts['logging'];
  const logging: Logging =
    o.logging === undefined
      ? { targetBucket: 'access-logs', targetPrefix: `${name}/` }
      : isRecord(o.logging) && !isUnknown(o.logging)
        ? ({ targetPrefix: '', ...o.logging } as Logging)
        : (o.logging as Logging);
  const publicAccess =
    (o.publicAccess as BucketFacts['publicAccess']) ??
    evaluatePublicAccess({
      acl,
      objectOwnership,
      bucketPublicAccessBlock: bucketPab,
      accountPublicAccessBlock: context.accountPublicAccessBlock,
      policy,
      policyStatusIsPublic,
    });
  return {
    ref: { type: 'AWS::S3::Bucket', id, name, accountId: ACCOUNT_ID, region },
    name,
    region,
    ownerAccountId: ACCOUNT_ID,
    trailArns,
    acl,
    policy,
    policyStatusIsPublic,
    publicAccessBlock: bucketPab,
    objectOwnership,
    publicAccess,
    logging,
  };
}

function tableError(message: string): never {
  throw new TableError(message);
}
