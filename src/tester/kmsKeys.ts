/**
 * Compact KMS keys of a case table → the `$.kmsKeys` items the live collector would give.
 *
 * `kmsKeys: [{trail: <trail name> | store: <event data store name> | id: <identifier as configured>, ...overrides}]`: by default an
 * enabled, rotating, customer managed symmetric key whose policy is the one the CloudTrail console
 * writes (CloudTrail may encrypt any trail of the account). `policy` takes JSON text, a mapping
 * (serialised), `rootOnly` (the KMS default policy: only the account root, as moto creates it),
 * null or an `$unknown`. `unreadable: <reason>` gives a key every fact of which is that Unknown (a
 * key in another account: cross_account). `{region, gap: <reason>}` is a Region whose keys could
 * not be read.
 */
import type { EventDataStoreFacts, KmsKeyFacts, KmsKeyGap, TrailFacts, UnknownReason } from '../facts/model.js';
import { UNKNOWN_REASONS, isUnknown, unknown } from '../facts/model.js';
import { ACCOUNT_ID, PARTITION, TableError, expandUnknowns, requireKeys, stringField, type BuildContext, type Compact } from './compact.js';

const KEY_KEYS: readonly string[] = [
  'trail',
  'store',
  'id',
  'arn',
  'region',
  'account',
  'configuredAs',
  'exists',
  'keyState',
  'keyManager',
  'keySpec',
  'aliases',
  'policy',
  'rotationEnabled',
  'unreadable',
];

/** The key policy the CloudTrail console attaches: the account root, and CloudTrail for the account's trails. */
export function cloudTrailConsoleKeyPolicy(accountId = ACCOUNT_ID): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${PARTITION}:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Allow CloudTrail to encrypt logs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${PARTITION}:cloudtrail:*:${accountId}:trail/*` } },
      },
    ],
  });
}

/** The policy KMS gives a key created without one (moto too): only the account root, so CloudTrail cannot encrypt. */
export function rootOnlyKeyPolicy(accountId = ACCOUNT_ID): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${PARTITION}:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  });
}

function policyOf(raw: unknown, accountId: string): KmsKeyFacts['policy'] {
  if (raw === undefined) {
    return cloudTrailConsoleKeyPolicy(accountId);
  }
  if (raw === 'rootOnly') {
    return rootOnlyKeyPolicy(accountId);
  }
  if (raw === null || typeof raw === 'string' || isUnknown(raw)) {
    return raw;
  }
  return JSON.stringify(raw);
}

function reasonOf(where: string, raw: unknown): UnknownReason {
  if (typeof raw !== 'string' || !UNKNOWN_REASONS.includes(raw as UnknownReason)) {
    throw new TableError(`${where} must be one of ${UNKNOWN_REASONS.join(', ')}`);
  }
  return raw as UnknownReason;
}

export function buildKmsKey(
  compact: Compact,
  context: BuildContext,
  trails: readonly TrailFacts[],
  where = 'kmsKey',
  stores: readonly EventDataStoreFacts[] = [],
): KmsKeyFacts | KmsKeyGap {
  if ('gap' in compact) {
    requireKeys(where, compact, ['region', 'gap'], ['region', 'gap']);
    const region = stringField(where, compact.region, 'region');
    const reason = reasonOf(`${where}.gap`, compact.gap);
    return {
      ref: { type: 'AWS::KMS::Key', id: `arn:${PARTITION}:kms:${region}:${ACCOUNT_ID}:key/*`, accountId: ACCOUNT_ID, region },
      $gap: { reason, message: `(test) the KMS keys of ${region} could not be read: ${reason}.`, operation: 'kms:DescribeKey', region },
      region,
    };
  }
  requireKeys(where, compact, KEY_KEYS, []);
  const o = expandUnknowns(compact, where) as Record<string, unknown>;
  const trail = o.trail === undefined ? undefined : trails.find((candidate) => candidate.name === o.trail);
  if (o.trail !== undefined && trail === undefined) {
    throw new TableError(`${where}.trail: no trail named ${JSON.stringify(o.trail)} in this case`);
  }
  const store = o.store === undefined ? undefined : stores.find((candidate) => candidate.name === o.store);
  if (o.store !== undefined && store === undefined) {
    throw new TableError(`${where}.store: no event data store named ${JSON.stringify(o.store)} in this case`);
  }
  const configuredKey = trail?.kmsKeyId ?? store?.kmsKeyId ?? o.id;
  if (typeof configuredKey !== 'string' || configuredKey === '') {
    throw new TableError(`${where}: give "trail" (a trail with a kmsKeyId), "store" (an event data store with one) or "id" (the identifier a trail or store names the key by)`);
  }
  const arn = typeof o.arn === 'string' ? o.arn : configuredKey;
  const arnParts = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):/u.exec(arn);
  const region = typeof o.region === 'string' ? o.region : (arnParts?.[1] ?? context.regions[0] ?? 'us-east-1');
  const accountId = typeof o.account === 'string' ? o.account : (arnParts?.[2] ?? ACCOUNT_ID);
  const trailArns = trails.filter((candidate) => candidate.kmsKeyId === configuredKey || candidate.kmsKeyId === arn).map((candidate) => candidate.arn);
  const configuredAs = (o.configuredAs ?? [...new Set([configuredKey, arn])]) as string[];
  const identity = {
    ref: { type: 'AWS::KMS::Key', id: arn, accountId, region },
    arn,
    region,
    accountId,
    configuredAs,
    trailArns,
    eventDataStoreArns: stores.filter((candidate) => candidate.kmsKeyId === configuredKey || candidate.kmsKeyId === arn).map((candidate) => candidate.arn),
  };
  if (o.unreadable !== undefined) {
    if (Object.keys(o).some((key) => !['trail', 'store', 'id', 'arn', 'region', 'account', 'configuredAs', 'unreadable'].includes(key))) {
      throw new TableError(`${where}: unreadable excludes the key's facts (they are all that Unknown)`);
    }
    const reason = reasonOf(`${where}.unreadable`, o.unreadable);
    const gap = unknown(reason, `(test) KMS key ${arn} could not be read: ${reason}.`, { operation: 'kms:DescribeKey', account: accountId });
    return { ...identity, exists: gap, keyState: gap, keyManager: gap, keySpec: gap, aliases: gap, policy: gap, rotationEnabled: gap };
  }
  // `in`, not `??`: null is a real answer (no such key, or a key type that cannot rotate).
  const given = <T>(key: string, otherwise: T): T => (key in o ? (o[key] as T) : otherwise);
  const exists = given<KmsKeyFacts['exists']>('exists', true);
  const gone = exists === false;
  return {
    ...identity,
    exists,
    keyState: given<KmsKeyFacts['keyState']>('keyState', gone ? null : 'Enabled'),
    keyManager: given<KmsKeyFacts['keyManager']>('keyManager', gone ? null : 'CUSTOMER'),
    keySpec: given<KmsKeyFacts['keySpec']>('keySpec', gone ? null : 'SYMMETRIC_DEFAULT'),
    aliases: given<KmsKeyFacts['aliases']>('aliases', []),
    policy: gone && !('policy' in o) ? null : policyOf(o.policy, accountId),
    rotationEnabled: given<KmsKeyFacts['rotationEnabled']>('rotationEnabled', gone ? null : true),
  };
}
