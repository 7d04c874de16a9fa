/**
 * The KMS keys that encrypt trails' logs (and Lake event data stores), read live: DescribeKey once
 * per identifier as configured, then GetKeyPolicy and GetKeyRotationStatus once per key ARN,
 * each in the key's own Region (CONTROLS.md §3.3).
 *
 * Why DescribeKey comes first: a trail may name its key by alias or key id (moto echoes whatever
 * was given; MOTO_NOTES 5), and GetKeyPolicy / GetKeyRotationStatus accept only a key id or key
 * ARN. DescribeKey resolves any identifier to the key ARN, which the follow-up calls then use.
 */
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, ListAliasesCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import type { Maybe, UnknownDetail } from '../../model.js';
import { unknown } from '../../model.js';
import { parseArn } from '../../../collect/live/arn.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { scheduledPages } from '../../../collect/live/pages.js';
import { asUnknown, errorCode } from '../../../collect/live/errors.js';
import type { IamAction } from '../../../collect/live/permissions.js';
import type { ApiScheduler, Outcome } from '../../../collect/live/scheduler.js';

/** What reading keys needs: the audited account and which follow-up calls an enabled check needs. */
export interface KeyEnvironment {
  readonly clients: ClientFactory;
  readonly scheduler: ApiScheduler;
  /** The audited account: a key of any other account is cross-account. */
  readonly accountId: string;
  readonly policy: boolean;
  readonly rotation: boolean;
}

/** A key as a trail or store names it, with where to ask about it. */
export interface KeyReference {
  readonly configured: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * Where to ask about a configured identifier: the Region and account of its ARN (key or alias
 * ARN); an alias name or bare key id is resolved by KMS in the caller's Region, so the naming
 * resource's (the trail's home Region, its owner).
 */
export function keyReference(configured: string, home: { readonly region: string; readonly accountId: string }): KeyReference {
  const parsed = configured.startsWith('arn:') ? parseArn(configured) : null;
  return {
    configured,
    region: parsed === null || parsed.region === '' ? home.region : parsed.region,
    accountId: parsed === null || parsed.accountId === '' ? home.accountId : parsed.accountId,
  };
}

/** The alias name (`alias/x`) an identifier names, if it names one (alias name or alias ARN). */
export function aliasName(configured: string): string | undefined {
  const parsed = configured.startsWith('arn:') ? parseArn(configured) : null;
  const resource = parsed === null ? configured : parsed.resource;
  return resource.startsWith('alias/') ? resource : undefined;
}

/** DescribeKey's answer for one configured identifier. */
export type Described =
  | {
      readonly kind: 'found';
      readonly arn: string;
      readonly region: string;
      readonly accountId: string;
      readonly keyState: string | null;
      readonly keyManager: string | null;
      readonly keySpec: string | null;
    }
  /** NotFoundException: no such key (or alias); CloudTrail cannot encrypt with it. */
  | { readonly kind: 'missing' }
  | { readonly kind: 'failed'; readonly error: UnknownDetail };

/**
 * An access denial on another account's key is the normal case (its policy does not grant this
 * account), not a permission to add here: cross_account, naming the account whose credentials read it.
 */
function crossAccountIfForeign(error: UnknownDetail, env: KeyEnvironment, key: { readonly accountId: string; readonly label: string }): UnknownDetail {
  if (error.reason !== 'access_denied' || key.accountId === env.accountId) {
    return error;
  }
  return {
    ...error,
    reason: 'cross_account',
    message: `KMS key ${key.label} belongs to account ${key.accountId}, whose key policy does not let account ${env.accountId} call ${error.operation ?? 'it'}; read it with account ${key.accountId}'s credentials.`,
    account: key.accountId,
  };
}

export async function describeKey(env: KeyEnvironment, reference: KeyReference): Promise<Described> {
  const { region, configured } = reference;
  const outcome = await env.scheduler.call({ action: 'kms:DescribeKey', region, resource: `KMS key ${configured}` }, async () => {
    const kms = await env.clients.kms(region);
    try {
      return (await kms.send(new DescribeKeyCommand({ KeyId: configured }))).KeyMetadata ?? null;
    } catch (error) {
      if (errorCode(error) === 'NotFoundException') {
        return null;
      }
      throw error;
    }
  });
  if (!outcome.ok) {
    return { kind: 'failed', error: crossAccountIfForeign(outcome.error, env, { accountId: reference.accountId, label: configured }) };
  }
  return outcome.value === null ? { kind: 'missing' } : found(outcome.value, reference);
}

function found(metadata: KeyMetadata, reference: KeyReference): Described {
  const arn = metadata.Arn ?? reference.configured;
  const parsed = parseArn(arn);
  return {
    kind: 'found',
    arn,
    region: parsed?.region ?? reference.region,
    accountId: metadata.AWSAccountId ?? parsed?.accountId ?? reference.accountId,
    keyState: metadata.KeyState ?? null,
    keyManager: metadata.KeyManager ?? null,
    keySpec: metadata.KeySpec ?? null,
  };
}

/** What GetKeyPolicy / GetKeyRotationStatus add to a key that exists. */
export interface KeyDetails {
  readonly policy?: Maybe<string | null>;
  readonly rotationEnabled?: Maybe<boolean | null>;
}

type FoundKey = Extract<Described, { kind: 'found' }>;

/** A follow-up call by key ARN; NotFoundException (the key deleted since DescribeKey) is not_found. */
async function keyCall<T>(env: KeyEnvironment, key: FoundKey, action: IamAction, send: () => Promise<T>): Promise<Outcome<T>> {
  const outcome = await env.scheduler.call({ action, region: key.region, resource: `KMS key ${key.arn}` }, send);
  if (outcome.ok) {
    return outcome;
  }
  if (errorCode(outcome.cause) === 'NotFoundException') {
    return { ...outcome, error: { ...outcome.error, reason: 'not_found', message: `KMS key ${key.arn} no longer exists (${action} answered NotFoundException).` } };
  }
  return { ...outcome, error: crossAccountIfForeign(outcome.error, env, { accountId: key.accountId, label: key.arn }) };
}

async function keyPolicy(env: KeyEnvironment, key: FoundKey): Promise<Maybe<string | null>> {
  if (key.accountId !== env.accountId) {
    // KMS does not allow GetKeyPolicy across accounts whatever the key policy says: no call.
    return unknown(
      'cross_account',
      `KMS key ${key.arn} belongs to account ${key.accountId}; KMS answers kms:GetKeyPolicy only to the key's own account, so its policy is read with account ${key.accountId}'s credentials.`,
      { operation: 'kms:GetKeyPolicy', region: key.region, account: key.accountId },
    );
  }
  const outcome = await keyCall(env, key, 'kms:GetKeyPolicy', async () => {
    const kms = await env.clients.kms(key.region);
    // moto requires the PolicyName that AWS defaults ('default' is the only one there is).
    return (await kms.send(new GetKeyPolicyCommand({ KeyId: key.arn, PolicyName: 'default' }))).Policy ?? null;
  });
  return outcome.ok ? outcome.value : asUnknown(outcome.error);
}

async function keyRotation(env: KeyEnvironment, key: FoundKey): Promise<Maybe<boolean | null>> {
  const outcome = await keyCall(env, key, 'kms:GetKeyRotationStatus', async () => {
    const kms = await env.clients.kms(key.region);
    return (await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.arn }))).KeyRotationEnabled ?? null;
  });
  if (outcome.ok) {
    return outcome.value;
  }
  const code = errorCode(outcome.cause);
  if (code === 'UnsupportedOperationException') {
    // Asymmetric, HMAC, imported-material and custom-key-store keys cannot rotate automatically.
    return null;
  }
  if (code === 'KMSInvalidStateException') {
    // KMS does not report the rotation of a key pending deletion (or pending import, unavailable).
    // The key is unusable anyway (its state is in keyState); its rotation is simply not known.
    return unknown(
      'unsupported',
      `KMS does not report the automatic rotation of key ${key.arn} in state ${key.keyState ?? 'unknown'} (kms:GetKeyRotationStatus answered KMSInvalidStateException).`,
      { operation: 'kms:GetKeyRotationStatus', region: key.region },
    );
  }
  return asUnknown(outcome.error);
}

/** The follow-up facts of an existing key, each asked only when a check needs it. */
export async function readKeyDetails(env: KeyEnvironment, key: FoundKey): Promise<KeyDetails> {
  const [policy, rotationEnabled] = await Promise.all([
    env.policy ? keyPolicy(env, key) : undefined,
    env.rotation ? keyRotation(env, key) : undefined,
  ]);
  return { ...(policy === undefined ? {} : { policy }), ...(rotationEnabled === undefined ? {} : { rotationEnabled }) };
}

/**
 * The alias names (`alias/x`) of one existing key: ListAliases with KeyId, paged, in the key's
 * Region. KMS lists only the caller account's aliases, so another account's key is
 * Unknown(cross_account) without a call.
 */
export async function keyAliases(env: KeyEnvironment, key: FoundKey): Promise<Maybe<readonly string[]>> {
  if (key.accountId !== env.accountId) {
    return unknown(
      'cross_account',
      `KMS key ${key.arn} belongs to account ${key.accountId}; kms:ListAliases lists only the caller's own aliases, so its aliases are read with account ${key.accountId}'s credentials.`,
      { operation: 'kms:ListAliases', region: key.region, account: key.accountId },
    );
  }
  const outcome = await scheduledPages(env.scheduler, { action: 'kms:ListAliases', region: key.region, resource: `KMS key ${key.arn}` }, async (token) => {
    const kms = await env.clients.kms(key.region);
    const page = await kms.send(new ListAliasesCommand({ KeyId: key.arn, ...(token === undefined ? {} : { Marker: token }) }));
    return { items: (page.Aliases ?? []).flatMap((alias) => (alias.AliasName === undefined ? [] : [alias.AliasName])), nextToken: page.Truncated === true ? page.NextMarker : undefined };
  });
  return outcome.ok ? [...new Set(outcome.value)].sort() : asUnknown(outcome.error);
}

/** The follow-up facts of a key that does not exist or could not be described: not asked, for the same reason. */
export function detailsNotRead(env: KeyEnvironment, described: Exclude<Described, FoundKey>, configured: string): KeyDetails {
  const gap =
    described.kind === 'missing'
      ? unknown('not_found', `KMS key ${configured} does not exist (kms:DescribeKey answered NotFoundException).`, { operation: 'kms:DescribeKey' })
      : unknown(described.error.reason, `Not read because kms:DescribeKey failed: ${described.error.message}`, {
          ...(described.error.operation === undefined ? {} : { operation: described.error.operation }),
          ...(described.error.region === undefined ? {} : { region: described.error.region }),
          ...(described.error.account === undefined ? {} : { account: described.error.account }),
        });
  return { ...(env.policy ? { policy: gap } : {}), ...(env.rotation ? { rotationEnabled: gap } : {}) };
}
