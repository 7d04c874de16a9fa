/**
 * The KMS key kinds' stage of the live collection plan (collect/live/plan.ts), shared by
 * `kmsKeys`, `kmsKeyPolicies` and `kmsKeyRotation`: each key an owned trail names is described
 * the moment the first trail naming it is listed, once however many trails share it; its policy
 * and rotation follow once per key ARN, only when an enabled check needs them.
 *
 * `eventDataStoreKeys` (CloudTrail.10) adds the keys of Lake event data stores, after the stores
 * are listed, whether or not trail keys are read: each described once (shared with the trails that
 * name the same key), and its aliases listed once per key ARN (ListAliases with KeyId). Each half
 * reads only when its need is enabled; the stage never plans the trail or store listing itself.
 *
 * A trail another account owns (an organization trail seen from a member) is not read here: its
 * key is that account's, so it is one item per key, UNKNOWN(cross_account) naming the owner,
 * instead of a call that can only be denied.
 */
import type { EventDataStoreFacts, EventDataStoreGap, KmsKeyFacts, KmsKeyGap, UnknownDetail } from '../../model.js';
import { isGap, isUnknown, unknown } from '../../model.js';
import { kmsKeyGap } from '../../gaps.js';
import { stageKey, type Contribution, type LiveStage } from '../../../collect/live/plan.js';
import { EVENT_DATA_STORES_STAGE } from '../eventDataStores/livePlan.js';
import { compare } from '../trails/live.js';
import { TRAIL_LISTING } from '../trails/livePlan.js';
import type { Maybe } from '../../model.js';
import { aliasName, describeKey, detailsNotRead, keyAliases, keyReference, readKeyDetails, type Described, type KeyDetails, type KeyEnvironment, type KeyReference } from './live.js';

/** One configured identifier and who names it by that identifier. */
interface KeyUse {
  readonly reference: KeyReference;
  readonly trailArns: string[];
  readonly storeArns: string[];
  /** Set when an owned trail or a store names it (then it is read); else the trail owner whose key it is. */
  described?: Promise<Described>;
  foreignOwner?: { readonly accountId: string; readonly trailName: string; readonly organization: boolean };
}

function useKey(reference: KeyReference): string {
  // The same alias or key id names different keys in different Regions and accounts.
  return `${reference.accountId}|${reference.region}|${reference.configured}`;
}

export const KMS_KEYS_STAGE: LiveStage = {
  key: stageKey('kmsKeys'),
  // Both optional: the trail kinds plan the trail listing, `eventDataStoreKeys` the store listing.
  dependsOn: [],
  optionalDependsOn: [TRAIL_LISTING, EVENT_DATA_STORES_STAGE.key],
  start(context, input) {
    const listing = context.needs.has('kmsKeys') ? input.optional(TRAIL_LISTING) : undefined;
    const stores = context.needs.has('eventDataStoreKeys') ? input.optional(EVENT_DATA_STORES_STAGE.key) : undefined;
    const uses = new Map<string, KeyUse>();
    const details = new Map<string, Promise<KeyDetails>>();
    /** Key ARN → its alias names: listed once per key of an event data store. */
    const aliasLists = new Map<string, Promise<Maybe<readonly string[]>>>();
    let environment: KeyEnvironment | undefined;
    const environmentFor = (accountId: string): KeyEnvironment => {
      environment ??= {
        clients: context.clients,
        scheduler: context.scheduler,
        accountId,
        policy: context.needs.has('kmsKeyPolicies'),
        rotation: context.needs.has('kmsKeyRotation'),
      };
      return environment;
    };
    const use = (reference: KeyReference): KeyUse => {
      const id = useKey(reference);
      const existing = uses.get(id);
      if (existing !== undefined) {
        return existing;
      }
      const created: KeyUse = { reference, trailArns: [], storeArns: [] };
      uses.set(id, created);
      return created;
    };
    const read = (entry: KeyUse, accountId: string): void => {
      if (entry.described !== undefined) {
        return;
      }
      const env = environmentFor(accountId);
      entry.described = describeKey(env, entry.reference).then((described) => {
        // Policy and rotation once per key, however many identifiers resolved to it.
        if (described.kind === 'found' && !details.has(described.arn)) {
          details.set(described.arn, readKeyDetails(env, described));
        }
        return described;
      });
    };

    listing?.sightings.each((sighting) => {
      const configured = sighting.trail.KmsKeyId;
      if (configured === undefined || configured === '') {
        return;
      }
      const entry = use(keyReference(configured, { region: sighting.homeRegion, accountId: sighting.ownerAccountId }));
      entry.trailArns.push(sighting.arn);
      // Only the trail's owner reads its key (an organization trail's, once, in its owner account).
      if (sighting.ownerAccountId === listing.scope().accountId) {
        read(entry, listing.scope().accountId);
      } else {
        entry.foreignOwner ??= { accountId: sighting.ownerAccountId, trailName: sighting.name, organization: sighting.trail.IsOrganizationTrail === true };
      }
    });

    const contribution = (async (): Promise<Contribution> => {
      const listed = listing === undefined ? undefined : await listing.result;
      const storeItems = stores === undefined ? [] : ((await stores.contribution).items?.items ?? []);
      const scope = listed === undefined ? await context.scope : listed?.scope;
      if (listed === null || scope === null || scope === undefined) {
        return {};
      }
      const { accountId, partition } = scope;
      const aliasReads: Promise<void>[] = [];
      for (const store of storeItems as readonly (EventDataStoreFacts | EventDataStoreGap)[]) {
        if (isGap(store) || typeof store.kmsKeyId !== 'string' || store.kmsKeyId === '') {
          continue;
        }
        // Stores are listed with this account's credentials: they are its own.
        const entry = use(keyReference(store.kmsKeyId, { region: store.region, accountId }));
        entry.storeArns.push(store.arn);
        read(entry, accountId);
        const env = environmentFor(accountId);
        aliasReads.push(
          (entry.described ?? Promise.resolve(undefined)).then((described) => {
            // Once per key, however many stores (or identifiers) name it.
            if (described?.kind === 'found' && !aliasLists.has(described.arn)) {
              aliasLists.set(described.arn, keyAliases(env, described));
            }
          }),
        );
      }
      await Promise.all(aliasReads);
      const items = await keyItems([...uses.values()], details, aliasLists, environmentFor(accountId));
      const gaps: KmsKeyGap[] = (listed?.failures ?? []).map(({ region, error }) => kmsKeyGap(region, error, accountId, partition));
      return { items: { collection: 'kmsKeys', items: [...items, ...gaps].sort((a, b) => compare(a.ref.id, b.ref.id)) } };
    })();
    return { contribution };
  },
};

/** One key's uses, merged under the id it is reported by (the key ARN once DescribeKey resolved it). */
interface KeyGroup {
  readonly first: KeyUse;
  readonly described: Described | undefined;
  readonly configuredAs: Set<string>;
  readonly trailArns: Set<string>;
  readonly storeArns: Set<string>;
}

async function keyItems(
  uses: readonly KeyUse[],
  details: ReadonlyMap<string, Promise<KeyDetails>>,
  aliasLists: ReadonlyMap<string, Promise<Maybe<readonly string[]>>>,
  env: KeyEnvironment,
): Promise<KmsKeyFacts[]> {
  const groups = new Map<string, KeyGroup>();
  for (const entry of uses) {
    const described = await entry.described;
    const id = described?.kind === 'found' ? described.arn : useKey(entry.reference);
    const group = groups.get(id) ?? { first: entry, described, configuredAs: new Set(), trailArns: new Set(), storeArns: new Set() };
    group.configuredAs.add(entry.reference.configured);
    entry.trailArns.forEach((arn) => group.trailArns.add(arn));
    entry.storeArns.forEach((arn) => group.storeArns.add(arn));
    groups.set(id, group);
  }
  return Promise.all(
    [...groups.values()].map(async (group) => {
      const arn = group.described?.kind === 'found' ? group.described.arn : undefined;
      const listed = arn === undefined ? undefined : await aliasLists.get(arn);
      return keyFacts(group, arn === undefined ? undefined : await details.get(arn), listed, env);
    }),
  );
}

const sorted = (values: Iterable<string>): string[] => [...values].sort(compare);

function keyFacts(group: KeyGroup, keyDetails: KeyDetails | undefined, listedAliases: Maybe<readonly string[]> | undefined, env: KeyEnvironment): KmsKeyFacts {
  const { reference } = group.first;
  const configuredAliases = [...group.configuredAs].map(aliasName).filter((name): name is string => name !== undefined);
  // Listed aliases (a key of an event data store) are the whole set, always written (an empty list
  // is an answer); an unreadable list stays Unknown. Otherwise only the aliases configured.
  let aliases: Maybe<readonly string[]> | undefined;
  if (listedAliases === undefined) {
    aliases = configuredAliases.length === 0 ? undefined : sorted(new Set(configuredAliases));
  } else {
    aliases = isUnknown(listedAliases) ? listedAliases : sorted(new Set([...configuredAliases, ...listedAliases]));
  }
  const common = {
    configuredAs: sorted(group.configuredAs),
    trailArns: sorted(group.trailArns),
    eventDataStoreArns: sorted(group.storeArns),
    ...(aliases === undefined ? {} : { aliases }),
  };
  const { described } = group;
  if (described?.kind === 'found') {
    return {
      ref: { type: 'AWS::KMS::Key', id: described.arn, accountId: described.accountId, region: described.region },
      arn: described.arn,
      region: described.region,
      accountId: described.accountId,
      ...common,
      exists: true,
      keyState: described.keyState,
      keyManager: described.keyManager,
      keySpec: described.keySpec,
      ...keyDetails,
    };
  }
  const base = {
    ref: { type: 'AWS::KMS::Key', id: reference.configured, accountId: reference.accountId, region: reference.region },
    arn: reference.configured,
    region: reference.region,
    accountId: reference.accountId,
    ...common,
  };
  if (described === undefined) {
    const gap = foreignTrailKey(group.first, env);
    const parts = { ...(env.policy ? { policy: gap } : {}), ...(env.rotation ? { rotationEnabled: gap } : {}) };
    return { ...base, exists: gap, keyState: gap, keyManager: gap, keySpec: gap, ...parts };
  }
  const notRead = detailsNotRead(env, described, reference.configured);
  if (described.kind === 'missing') {
    return { ...base, exists: false, keyState: null, keyManager: null, keySpec: null, ...notRead };
  }
  const gap = { $unknown: described.error } as const;
  return { ...base, exists: gap, keyState: gap, keyManager: gap, keySpec: gap, ...notRead };
}

/** The key of a trail another account owns is read, and key checks apply, in that account. */
function foreignTrailKey(entry: KeyUse, env: KeyEnvironment): ReturnType<typeof unknown> {
  const owner = entry.foreignOwner;
  const detail: Omit<UnknownDetail, 'reason' | 'message'> = {
    operation: 'kms:DescribeKey',
    region: entry.reference.region,
    account: owner?.accountId ?? entry.reference.accountId,
  };
  return unknown(
    'cross_account',
    `KMS key ${entry.reference.configured} encrypts trail ${owner?.trailName ?? '(unknown)'}${owner?.organization === true ? ' (organization trail)' : ''}, ` +
      `which account ${owner?.accountId ?? entry.reference.accountId} owns, not account ${env.accountId}; the key is read, and key checks apply, in that account.`,
    detail,
  );
}
