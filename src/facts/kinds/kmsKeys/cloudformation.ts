/**
 * CloudFormation → `$.kmsKeys` (kinds `kmsKeys`, `kmsKeyPolicies`, `kmsKeyRotation`): the keys
 * trails and event data stores name, and every other declared AWS::KMS::Key.
 *
 * - Links: a trail's KMSKeyId / a store's KmsKeyId resolves to a declared key by `!Ref Key`
 *   (the key id), `!GetAtt Key.Arn` / `Key.KeyId`, an AWS::KMS::Alias (`!Ref Alias`, a literal
 *   `alias/x` or alias ARN equal to a literal AliasName) whose TargetKeyId resolves, or `!Sub`
 *   around one of those (collect/cloudformation/links.ts).
 * - Identity and join: `ref.id` = `arn` = the key's logical id; `trailArns` /
 *   `eventDataStoreArns` list the trails and stores (their `arn`, the logical id) encrypted with
 *   it, and `configuredAs` every KMSKeyId text they name it by (`!GetAtt TrailKey.Arn`,
 *   `alias/trail-logs`: the trail's own `kmsKeyId` value) plus its alias names.
 * - Declared keys: `exists` true; `keyState` 'Enabled' or 'Disabled' from `Enabled` (default
 *   true; PendingDeletion cannot be declared); a conditional key may not exist, so both are
 *   Unknown naming the condition. `keyManager` CUSTOMER; `keySpec` from KeySpec (default
 *   SYMMETRIC_DEFAULT); `policy` per cloudformationPolicy.ts; `rotationEnabled` from
 *   EnableKeyRotation (default false), null for keys KMS cannot rotate (not SYMMETRIC_DEFAULT, or
 *   Origin EXTERNAL).
 * - A key named but not declared (literal ARN, alias or id, parameter, import) → a stand-in whose
 *   every fact is Unknown('not_found') for a literal or parameter, Unknown('unsupported') otherwise.
 */
import type { KmsKeyFacts, Maybe, SourceLocation } from '../../model.js';
import { unreadableKey } from './unreadableKey.js';
import { unknown } from '../../model.js';
import { DEPLOYMENT_REGION } from '../../../collect/iac/types.js';
import { describeNode } from '../../../collect/cloudformation/intrinsics.js';
import type { DeclaredLink, LinkTarget } from '../../../collect/cloudformation/links.js';
import { resolveDeclared } from '../../../collect/cloudformation/links.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { entryOf, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { ResourceInfo, TemplateIndex } from '../../../collect/cloudformation/templateIndex.js';
import { locationOf, resourcesOfType } from '../../../collect/cloudformation/templateIndex.js';
import { readBoolean, readDeclared } from '../../../collect/cloudformation/values.js';
import { conditionalGap } from '../logMonitoring/cloudformationValues.js';
import { serialiseKeyPolicy } from './cloudformationPolicy.js';

export const KEY_TYPE = 'AWS::KMS::Key';
export const ALIAS_TYPE = 'AWS::KMS::Alias';

/** A trail or event data store and its raw KMS key property. */
export interface KeyUser {
  readonly arn: string;
  readonly kind: 'trail' | 'eventDataStore';
  readonly node: CfnNode | undefined;
  /** The user's own `kmsKeyId` fact (the join text), when it is a string. */
  readonly configuredAs: string | undefined;
  readonly location: SourceLocation;
}

type Unresolved = Extract<DeclaredLink, { kind: 'unresolved' }>;

function keyTarget(index: TemplateIndex): LinkTarget {
  const aliases = resourcesOfType(index, ALIAS_TYPE);
  const aliasTarget = (alias: ResourceInfo | undefined, depth: number): string | undefined => {
    if (alias === undefined || depth > 2) {
      return undefined;
    }
    const link = resolveDeclared(valueOf(alias.properties, 'TargetKeyId'), index, target, depth + 1);
    return link.kind === 'declared' ? link.logicalId : undefined;
  };
  const byAliasName = (literal: string): string | undefined => {
    const name = /:alias\/(.+)$/u.exec(literal)?.[1] ?? (literal.startsWith('alias/') ? literal.slice('alias/'.length) : undefined);
    return name === undefined ? undefined : aliasTarget(aliases.find((alias) => literalString(valueOf(alias.properties, 'AliasName')) === `alias/${name}`), 0);
  };
  const target: LinkTarget = {
    type: KEY_TYPE,
    what: 'KMS key',
    byLiteral: byAliasName,
    via: (logicalId) => {
      const alias = index.resources.get(logicalId);
      return alias?.type === ALIAS_TYPE ? aliasTarget(alias, 0) : undefined;
    },
  };
  return target;
}

function aliasNamesOf(index: TemplateIndex, target: LinkTarget, keyId: string): string[] {
  return resourcesOfType(index, ALIAS_TYPE).flatMap((alias) => {
    const name = literalString(valueOf(alias.properties, 'AliasName'));
    const link = resolveDeclared(valueOf(alias.properties, 'TargetKeyId'), index, target);
    return name !== undefined && link.kind === 'declared' && link.logicalId === keyId ? [name] : [];
  });
}

function declaredKey(resource: ResourceInfo, users: readonly KeyUser[], aliases: readonly string[], index: TemplateIndex): KmsKeyFacts {
  const { logicalId, properties } = resource;
  const location = locationOf(index, resource.position);
  const where = (property: string): SourceLocation => {
    const entry = entryOf(properties, property);
    return entry === undefined ? location : locationOf(index, entry.keyPosition);
  };
  const context = (property: string) => ({ index, owner: `Key ${logicalId}`, property });
  const gap = conditionalGap(resource, 'Key');
  const enabled = readBoolean(valueOf(properties, 'Enabled'), true, context('Enabled'));
  const keySpec = readDeclared<string>(valueOf(properties, 'KeySpec'), 'SYMMETRIC_DEFAULT', context('KeySpec'), (node) =>
    literalString(node) ?? unknown('error', `Key ${logicalId}: KeySpec ${describeNode(node)} is not a string.`),
  );
  const origin = readDeclared<string>(valueOf(properties, 'Origin'), 'AWS_KMS', context('Origin'), (node) =>
    literalString(node) ?? unknown('error', `Key ${logicalId}: Origin ${describeNode(node)} is not a string.`),
  );
  const rotation = readBoolean(valueOf(properties, 'EnableKeyRotation'), false, context('EnableKeyRotation'));
  let rotationEnabled: Maybe<boolean | null> = rotation;
  if (typeof keySpec === 'string' && keySpec !== 'SYMMETRIC_DEFAULT') {
    rotationEnabled = null;
  } else if (typeof origin === 'string' && origin !== 'AWS_KMS') {
    rotationEnabled = null;
  } else if (typeof keySpec !== 'string') {
    rotationEnabled = keySpec;
  }
  return {
    ref: { type: KEY_TYPE, id: logicalId, accountId: null, region: DEPLOYMENT_REGION, location },
    locations: { exists: location, keyState: where('Enabled'), policy: where('KeyPolicy'), rotationEnabled: where('EnableKeyRotation') },
    arn: logicalId,
    region: DEPLOYMENT_REGION,
    accountId: '',
    configuredAs: [...new Set([...users.flatMap((user) => (user.configuredAs === undefined ? [] : [user.configuredAs])), ...aliases])],
    trailArns: users.filter((user) => user.kind === 'trail').map((user) => user.arn),
    eventDataStoreArns: users.filter((user) => user.kind === 'eventDataStore').map((user) => user.arn),
    exists: gap ?? true,
    keyState:
      gap ??
      // A key for imported material (Origin EXTERNAL) is created PendingImport and stays unusable
      // until someone imports it; a template cannot say whether that happened.
      (typeof origin === 'string' && origin === 'EXTERNAL'
        ? unknown('unsupported', `Key ${logicalId} has Origin EXTERNAL: it is PendingImport until its key material is imported, which a template cannot show.`)
        : typeof enabled === 'boolean'
          ? enabled
            ? 'Enabled'
            : 'Disabled'
          : enabled),
    keyManager: 'CUSTOMER',
    keySpec,
    aliases,
    policy: serialiseKeyPolicy(valueOf(properties, 'KeyPolicy'), `Key ${logicalId}`),
    rotationEnabled,
  };
}

function standInKey(link: Unresolved, users: readonly KeyUser[]): KmsKeyFacts {
  const id = link.literal ?? link.text;
  const arnParts = /^arn:[a-z-]+:kms:/u.test(id) ? id.split(':') : undefined;
  const who = users.map((user) => user.arn).join(', ');
  const gap = unknown(link.reason, `${who} ${users.length === 1 ? 'is' : 'are'} encrypted with KMS key ${link.text}: ${link.why}, so its state, policy and rotation cannot be read here.`);
  return unreadableKey({
    id,
    refAccountId: arnParts?.[4] ?? null,
    accountId: arnParts?.[4] ?? '',
    region: arnParts?.[3] ?? DEPLOYMENT_REGION,
    location: users[0]?.location ?? { file: '', line: 1, column: 1 },
    users,
    configuredAs: users.flatMap((user) => (user.configuredAs === undefined ? [] : [user.configuredAs])),
    gap,
  });
}

/** Every declared key, plus a stand-in per distinct key that trails or stores name but the template does not declare. */
export function collectKmsKeys(index: TemplateIndex, users: readonly KeyUser[]): KmsKeyFacts[] {
  const target = keyTarget(index);
  const usersOf = new Map<string, KeyUser[]>();
  const standIns = new Map<string, { link: Unresolved; users: KeyUser[] }>();
  for (const user of users) {
    const link = resolveDeclared(user.node, index, target);
    if (link.kind === 'declared') {
      usersOf.set(link.logicalId, [...(usersOf.get(link.logicalId) ?? []), user]);
    } else if (link.kind === 'unresolved') {
      const key = link.literal ?? link.text;
      const entry = standIns.get(key) ?? { link, users: [] };
      entry.users.push(user);
      standIns.set(key, entry);
    }
  }
  const declared = resourcesOfType(index, KEY_TYPE).map((resource) =>
    declaredKey(resource, usersOf.get(resource.logicalId) ?? [], aliasNamesOf(index, target, resource.logicalId), index),
  );
  return [...declared, ...[...standIns.values()].map((entry) => standInKey(entry.link, entry.users))];
}
