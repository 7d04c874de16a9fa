/**
 * A trail's view of its KMS key (`kmsKey`, TrailHealth.3/4): the key item of `$.kmsKeys` the trail
 * names (by key ARN, key id, alias name or alias ARN: whatever the key's `configuredAs` lists), and
 * whether the key policy lets CloudTrail encrypt THIS trail's logs (keyPolicy.ts). Pure.
 */
import type { FactSet, KmsKeyFacts, Maybe, TrailFacts, TrailKeyView, Unknown } from '../../model.js';
import { keyIndex } from './healthIndex.js';
import { isUnknown, unknown } from '../../model.js';
import { cloudTrailKeyAccess } from '../kmsKeys/keyPolicy.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `arn:<partition>:kms:<region>:<account>:…` → its Region; undefined for a key id or alias name. */
function regionOfKmsArn(id: string): string | undefined {
  const match = /^arn:[a-z-]+:kms:([a-z0-9-]+):/u.exec(id);
  return match?.[1];
}

/** The trail's key as it sees it; null when the trail is not encrypted with KMS. Needs `kmsKeys` collected. */
export function trailKeyView(trail: TrailFacts, facts: FactSet): Maybe<TrailKeyView | null> {
  const configured = trail.kmsKeyId;
  if (isUnknown(configured)) {
    return configured;
  }
  if (configured === null || configured === '') {
    return null;
  }
  const keys = facts.kmsKeys;
  if (keys === undefined) {
    return unknown('error', `The snapshot claims KMS keys were collected but holds no "kmsKeys" list (key ${configured} of trail ${trail.arn}).`);
  }
  const index = keyIndex(keys);
  if (index.ambiguous.has(trail.arn)) {
    return ambiguousTrail(trail, 'KMS keys');
  }
  // The key that lists this trail first: in a scan of several files the same logical id (or the
  // same `!Ref TrailKey` text) may name a different key in each file, and only the reader of the
  // trail's own file knows which it is.
  const key = index.byTrail.get(trail.arn) ?? index.byIdentifier.get(configured);
  if (key === undefined) {
    // A Region whose keys could not be read stands in the list as a gap; the key is in the
    // Region its ARN names, else (key id, alias) in the trail's home Region.
    const region = regionOfKmsArn(configured) ?? trail.homeRegion;
    const gap = index.gaps.get(region);
    return gap !== undefined
      ? { $unknown: gap.$gap }
      : unknown('error', `The snapshot holds no facts for KMS key ${configured}, which encrypts trail ${trail.arn}.`);
  }
  const missing = (what: string): Unknown => unknown('error', `The snapshot holds no ${what} for KMS key ${key.arn}.`);
  // `=== undefined`, not `??`: null is a real answer (no key state for a missing key, a key type that cannot rotate).
  const held = <T>(value: T | undefined, what: string): T | Unknown => (value === undefined ? missing(what) : value);
  const view: Mutable<TrailKeyView> = {
    arn: key.arn,
    exists: held(key.exists, 'existence fact (DescribeKey)'),
    keyState: held(key.keyState, 'key state (DescribeKey)'),
  };
  if (key.keyManager !== undefined) {
    view.keyManager = key.keyManager;
  }
  if (facts.collected.includes('kmsKeyRotation')) {
    view.rotationEnabled = held(key.rotationEnabled, 'rotation status (GetKeyRotationStatus)');
  }
  if (facts.collected.includes('kmsKeyPolicies')) {
    Object.assign(view, cloudTrailUse(trail, key, missing));
  }
  return view;
}

function cloudTrailUse(trail: TrailFacts, key: KmsKeyFacts, missing: (what: string) => Unknown): Pick<TrailKeyView, 'cloudTrailCanUse' | 'policyExplanation'> {
  const policy = key.policy;
  if (policy === undefined) {
    return { cloudTrailCanUse: missing('key policy (GetKeyPolicy)') };
  }
  if (isUnknown(policy)) {
    // Another account's key whose policy we may not read is Unknown(cross_account), never usable.
    return { cloudTrailCanUse: policy };
  }
  if (policy === null) {
    // Every existing key has a policy; only a key that does not exist has none to read.
    return key.exists === false
      ? { cloudTrailCanUse: false, policyExplanation: `KMS key ${key.arn} does not exist, so CloudTrail cannot use it.` }
      : { cloudTrailCanUse: missing('key policy text (GetKeyPolicy)') };
  }
  // CloudTrail encrypts with symmetric keys only: whatever the policy says, it cannot use another spec.
  if (typeof key.keySpec === 'string' && key.keySpec !== 'SYMMETRIC_DEFAULT') {
    return {
      cloudTrailCanUse: false,
      policyExplanation: `KMS key ${key.arn} is not a symmetric encryption key (KeySpec ${key.keySpec}); CloudTrail can only encrypt log files with a symmetric key (SYMMETRIC_DEFAULT).`,
    };
  }
  const access = cloudTrailKeyAccess(policy, {
    trailArn: trail.arn,
    trailAccountId: trail.ownerAccountId,
    trailRegion: trail.homeRegion,
    partition: trail.arn.split(':')[1] ?? 'aws',
    keyArn: key.arn,
  });
  if (access.allowed === 'unparseable') {
    return {
      cloudTrailCanUse: unknown('error', `The key policy of KMS key ${key.arn} could not be read: ${access.explanation}`, { operation: 'kms:GetKeyPolicy' }),
      policyExplanation: access.explanation,
    };
  }
  return { cloudTrailCanUse: access.allowed, policyExplanation: access.explanation };
}

/**
 * Two scanned files declare a trail under the same id, each with its own key (or log group): which
 * one encrypts (or receives) which trail cannot be told, so the answer is unknown, never the
 * first file's.
 */
export function ambiguousTrail(trail: TrailFacts, what: string): Unknown {
  return unknown(
    'error',
    `Trail ${trail.arn} is declared more than once (in several scanned files) and their ${what} differ: give the trails distinct logical ids or addresses, or scan the files separately.`,
  );
}
