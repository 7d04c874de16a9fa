/**
 * An event data store's derived `kmsKeyIdentifiers` (facts/derive.ts says why derived facts are
 * recomputed): every name its KMS key answers to, from the key item of `$.kmsKeys` that the
 * `eventDataStoreKeys` kind read. CloudTrail.10's `kmsKeyArns` may list a key by key ARN or by
 * alias ARN while AWS reports the store's key by key ARN (and a template may name it by alias):
 * comparing the one configured text with the list would FAIL a store encrypted with an allowed key.
 *
 * Never a guess: a key that could not be described, whose aliases could not be listed, or whose
 * ARN is not known yet (a key a template or plan creates) gives an Unknown, not a shorter list.
 */
import type { EventDataStoreFacts, EventDataStoreGap, FactSet, Maybe } from '../../model.js';
import { isGap, isUnknown, unknown } from '../../model.js';
import { keyIndex } from '../trails/healthIndex.js';

const KMS_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]*):(\d*):(.+)$/u;

export function deriveEventDataStore(item: EventDataStoreFacts | EventDataStoreGap, facts: FactSet): EventDataStoreFacts | EventDataStoreGap {
  if (isGap(item)) {
    return item;
  }
  const { kmsKeyIdentifiers: _stored, ...raw } = item;
  if (!facts.collected.includes('eventDataStoreKeys')) {
    return raw;
  }
  return { ...raw, kmsKeyIdentifiers: keyIdentifiers(raw, facts) };
}

function keyIdentifiers(store: EventDataStoreFacts, facts: FactSet): Maybe<readonly string[] | null> {
  const configured = store.kmsKeyId;
  if (isUnknown(configured)) {
    return configured;
  }
  if (configured === null || configured === '') {
    return null;
  }
  const keys = facts.kmsKeys;
  if (keys === undefined) {
    return unknown('error', `The snapshot claims the keys of event data stores were collected but holds no "kmsKeys" list (key ${configured} of ${store.arn}).`);
  }
  const index = keyIndex(keys);
  const key = index.byStore.get(store.arn) ?? index.byIdentifier.get(configured);
  if (key === undefined) {
    return unknown('error', `The snapshot holds no facts for KMS key ${configured}, which encrypts event data store ${store.arn}.`);
  }
  if (key.exists === undefined) {
    return unknown('error', `The snapshot holds no existence fact (DescribeKey) for KMS key ${key.arn}.`);
  }
  if (isUnknown(key.exists)) {
    return key.exists;
  }
  if (!key.exists) {
    // No such key: the only names it has are those it was configured by.
    return unique([configured, ...key.configuredAs]);
  }
  const arn = KMS_ARN.exec(key.arn);
  if (arn === null) {
    return unknown(
      'unsupported',
      `KMS key ${key.arn} of event data store ${store.name} is created with the template or plan, so its key ARN and alias ARNs are known only once deployed; audit the deployed account to compare it with kmsKeyArns.`,
    );
  }
  if (key.aliases === undefined) {
    return unknown('error', `The snapshot holds no aliases (ListAliases) for KMS key ${key.arn}.`);
  }
  if (isUnknown(key.aliases)) {
    return key.aliases;
  }
  const [, partition, region, account, resource] = arn as unknown as [string, string, string, string, string];
  const keyId = resource.startsWith('key/') ? [resource.slice('key/'.length)] : [];
  const aliasArns = key.aliases.map((alias) => `arn:${partition}:kms:${region}:${account}:${alias}`);
  return unique([configured, ...key.configuredAs, key.arn, ...keyId, ...key.aliases, ...aliasArns]);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
