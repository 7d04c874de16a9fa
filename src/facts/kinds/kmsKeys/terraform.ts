/**
 * Terraform plan → `$.kmsKeys` (kinds `kmsKeys`, `kmsKeyPolicies`, `kmsKeyRotation`): every
 * planned `aws_kms_key`, and a stand-in for each key a trail or event data store names that the
 * plan does not declare.
 *
 * - Links: `kms_key_id` by configuration reference to the key, or to an `aws_kms_alias` whose
 *   `target_key_id` references it; else a known value equal to a planned key's ARN or id, or to a
 *   planned alias's name or ARN (collect/terraform/links.ts).
 * - Identity and join: `ref.id` the address, `arn` the known ARN or the address; `trailArns` /
 *   `eventDataStoreArns` list their users' `arn`, `configuredAs` their `kmsKeyId` values (a value
 *   known only after apply reads `(known after apply: <address>)`, links.ts presenceNaming; a
 *   bare "(known after apply)" names no key in particular and is left out) and its alias names.
 * - `keyState`: is_enabled (default true) → 'Enabled' / 'Disabled'; `keySpec`:
 *   customer_master_key_spec (default SYMMETRIC_DEFAULT); `rotationEnabled`: enable_key_rotation
 *   (default false), null for keys KMS cannot rotate (not SYMMETRIC_DEFAULT, custom key store).
 * - `policy`: an `aws_kms_key_policy` for the key wins; else the planned `policy` when known; a
 *   policy the configuration does not set is KMS's default key policy (CloudTrail not allowed;
 *   defaultKeyPolicy.ts); one set but known only after apply is
 *   Unknown('unsupported').
 * - Stand-ins: every fact Unknown('not_found') for a known identifier no planned key has,
 *   Unknown('unsupported') when the link cannot be followed (data source, local, after apply).
 */
import type { KmsKeyFacts, Maybe, SourceLocation } from '../../model.js';
import { unreadableKey } from './unreadableKey.js';
import { unknown } from '../../model.js';
import type { PlanContext } from '../../../collect/terraform/context.js';
import type { PlanLink, PlanTarget } from '../../../collect/terraform/links.js';
import { linkTarget } from '../../../collect/terraform/links.js';
import type { PlannedResource } from '../../../collect/terraform/plan.js';
import { attribute, booleanAttribute, KNOWN_AFTER_APPLY, knownString } from '../../../collect/terraform/values.js';
import { DEFAULT_KEY_POLICY } from './defaultKeyPolicy.js';

/** A trail or event data store that names a key. */
export interface PlannedKeyUser {
  readonly resource: PlannedResource;
  readonly arn: string;
  readonly kind: 'trail' | 'eventDataStore';
  /** Its `kmsKeyId` fact. */
  readonly configuredAs: string | null;
}

type Outside = Exclude<PlanLink, { kind: 'declared' | 'absent' }>;

function keyTarget(context: PlanContext): PlanTarget {
  const keys = context.plan.resources.filter((resource) => resource.type === 'aws_kms_key');
  const aliases = context.plan.resources.filter((resource) => resource.type === 'aws_kms_alias');
  const target: PlanTarget = {
    type: 'aws_kms_key',
    via: (resource) => {
      if (resource.type !== 'aws_kms_alias') {
        return undefined;
      }
      const link = linkTarget(resource, 'target_key_id', context.resolver, { type: 'aws_kms_key', byKnown: byKeyId });
      return link.kind === 'declared' ? link.target : undefined;
    },
    byKnown: (value) => {
      const key = byKeyId(value);
      if (key !== undefined) {
        return key;
      }
      const alias = aliases.find((candidate) => [knownString(candidate, 'name'), knownString(candidate, 'arn')].includes(value));
      return alias === undefined ? undefined : target.via?.(alias);
    },
  };
  function byKeyId(value: string): PlannedResource | undefined {
    return keys.find((key) => [knownString(key, 'arn'), knownString(key, 'key_id'), knownString(key, 'id')].includes(value));
  }
  return target;
}

function policyOf(context: PlanContext, key: PlannedResource, target: PlanTarget): Maybe<string> {
  const attached = context.plan.resources.find((resource) => {
    if (resource.type !== 'aws_kms_key_policy') {
      return false;
    }
    const link = linkTarget(resource, 'key_id', context.resolver, target);
    return link.kind === 'declared' && link.target.address === key.address;
  });
  const holder = attached ?? key;
  const policy = attribute(holder, 'policy');
  if (policy.state === 'known' && typeof policy.value === 'string' && policy.value !== '') {
    return policy.value;
  }
  const configured = holder.config === undefined ? context.plan.hasConfiguration : holder.config.expressions.policy !== undefined;
  if (attached === undefined && !configured) {
    return DEFAULT_KEY_POLICY;
  }
  return unknown('unsupported', `${holder.address}.policy is known only after apply, so whether CloudTrail may use the key cannot be read from the plan; audit the key live (kms:GetKeyPolicy).`);
}

function declaredKey(context: PlanContext, key: PlannedResource, users: readonly PlannedKeyUser[], target: PlanTarget): KmsKeyFacts {
  const location = context.location(key);
  const aliases = context.plan.resources.flatMap((resource) => {
    const name = resource.type === 'aws_kms_alias' ? knownString(resource, 'name') : undefined;
    return name !== undefined && target.via?.(resource)?.address === key.address ? [name] : [];
  });
  const enabled = booleanAttribute(key, 'is_enabled', true);
  const keySpec = knownString(key, 'customer_master_key_spec') ?? knownString(key, 'key_spec') ?? 'SYMMETRIC_DEFAULT';
  const rotatable = keySpec === 'SYMMETRIC_DEFAULT' && knownString(key, 'custom_key_store_id') === undefined;
  const configuredAs = users.flatMap((user) => (user.configuredAs === null || user.configuredAs === KNOWN_AFTER_APPLY ? [] : [user.configuredAs]));
  return {
    ref: { type: 'AWS::KMS::Key', id: key.address, accountId: context.accountId, region: context.region(key), location },
    locations: { exists: location, ...context.locations(key, [['keyState', 'is_enabled'], ['policy', 'policy'], ['rotationEnabled', 'enable_key_rotation']]) },
    arn: knownString(key, 'arn') ?? key.address,
    region: context.region(key),
    accountId: context.accountId ?? '',
    configuredAs: [...new Set([...configuredAs, ...aliases])],
    trailArns: users.filter((user) => user.kind === 'trail').map((user) => user.arn),
    eventDataStoreArns: users.filter((user) => user.kind === 'eventDataStore').map((user) => user.arn),
    exists: true,
    keyState: typeof enabled === 'boolean' ? (enabled ? 'Enabled' : 'Disabled') : enabled,
    keyManager: 'CUSTOMER',
    keySpec,
    aliases,
    policy: policyOf(context, key, target),
    rotationEnabled: rotatable ? booleanAttribute(key, 'enable_key_rotation', false) : null,
  };
}

function standInKey(context: PlanContext, link: Outside, users: readonly PlannedKeyUser[], location: SourceLocation): KmsKeyFacts {
  const first = users[0];
  const id = link.kind === 'outside' ? link.value : `${first?.resource.address ?? ''}.kms_key_id`;
  const parts = /^arn:[a-z-]+:kms:/u.test(id) ? id.split(':') : undefined;
  const who = users.map((user) => user.resource.address).join(', ');
  const gap =
    link.kind === 'outside'
      ? unknown('not_found', `KMS key ${link.value} (used by ${who}) is not declared in this plan, so its state, policy and rotation cannot be read here; audit it live or scan the configuration that creates it.`)
      : unknown('unsupported', `The KMS key of ${who} cannot be identified from the plan: ${link.why}. Reference the aws_kms_key directly or audit it live.`);
  return unreadableKey({
    id,
    refAccountId: parts?.[4] ?? context.accountId,
    accountId: parts?.[4] ?? context.accountId ?? '',
    region: parts?.[3] ?? (first === undefined ? '' : context.region(first.resource)),
    location,
    users,
    configuredAs: users.flatMap((user) => (user.configuredAs === null || user.configuredAs === KNOWN_AFTER_APPLY ? [] : [user.configuredAs])),
    gap,
  });
}

export function kmsKeyFacts(context: PlanContext, users: readonly PlannedKeyUser[]): KmsKeyFacts[] {
  const target = keyTarget(context);
  const usersOf = new Map<string, PlannedKeyUser[]>();
  const standIns = new Map<string, { link: Outside; users: PlannedKeyUser[]; location: SourceLocation }>();
  for (const user of users) {
    const link = linkTarget(user.resource, 'kms_key_id', context.resolver, target);
    if (link.kind === 'declared') {
      usersOf.set(link.target.address, [...(usersOf.get(link.target.address) ?? []), user]);
    } else if (link.kind !== 'absent') {
      const key = link.kind === 'outside' ? `outside ${link.value}` : `unresolved ${user.resource.address}`;
      const entry = standIns.get(key) ?? { link, users: [], location: context.attributeLocation(user.resource, 'kms_key_id') ?? context.location(user.resource) };
      entry.users.push(user);
      standIns.set(key, entry);
    }
  }
  return [
    ...context.plan.resources.filter((resource) => resource.type === 'aws_kms_key').map((key) => declaredKey(context, key, usersOf.get(key.address) ?? [], target)),
    ...[...standIns.values()].map((entry) => standInKey(context, entry.link, entry.users, entry.location)),
  ];
}
