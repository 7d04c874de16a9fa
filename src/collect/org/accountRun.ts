/**
 * One account of an organization audit: entered with the caller's own credentials (the caller's
 * account) or an assumed role, then collected with the single-account plan (live/collect.ts) on
 * the audit's scheduler, with the account's own per-endpoint limits.
 *
 * An account that cannot be entered (its role not assumable, its identity not readable, or a role
 * that leads to another account) is never dropped: it comes back with `unreachable` set, its
 * Regions and no resources, and every account- and Region-level control of it is UNKNOWN.
 */
import type { FactNeed, FactSet, UnknownDetail } from '../../facts/model.js';
import { COLLECTIONS, FACT_KINDS, needsReadBy } from '../../facts/kinds/index.js';
import { compare } from '../../facts/kinds/trails/live.js';
import { deriveFacts } from '../../facts/derive.js';
import type { OwnedBuckets } from '../../facts/kinds/buckets/liveOwnership.js';
import type { Identity } from '../live/account.js';
import { ClientFactory, type ClientSettings } from '../live/clients.js';
import { collect } from '../live/collect.js';
import { RunStop } from '../live/runStop.js';
import type { ApiScheduler, Outcome } from '../live/scheduler.js';
import { assumeRole } from './assumeRole.js';
import type { AccountEntry } from './options.js';

/** What every account's run shares. */
export interface AuditContext {
  readonly caller: Identity;
  readonly callerClients: ClientFactory;
  /** The audit's scheduler; each account uses its own view (scheduler.forAccount). */
  readonly scheduler: ApiScheduler;
  readonly defaultRegion: string;
  /** With their dependencies. */
  readonly needs: ReadonlySet<FactNeed>;
  readonly endpointUrl: string | undefined;
  readonly notice: (message: string) => void;
  /** Every account of the list in scope (all shards). */
  readonly inScope: ReadonlySet<string>;
  /** Settings of a member's clients other than its credentials (shared pools, deadline…). */
  readonly memberSettings: Omit<ClientSettings, 'credentials' | 'profile'>;
  readonly role: { readonly roleName: string; readonly roleSessionName: string; readonly externalId?: string };
  /** --regions; undefined = each account's enabled Regions. */
  readonly regions: readonly string[] | undefined;
  /** The Regions of an unreachable account when --regions is not given (the caller's). */
  readonly fallbackRegions: () => Promise<readonly string[]>;
  readonly organizationId: string | null;
}

export interface AccountRun {
  readonly accountId: string;
  /** The account's facts (derived), or an unreachable account's stand-in. */
  readonly facts: FactSet;
  /**
   * Clients for this account after its collection (to read its buckets for other accounts): the
   * caller's own, or a new factory on the account's cached assumed-role credentials (no second
   * AssumeRole); undefined when unreachable. The collection's own member clients are released as
   * soon as it ends, so that 200 accounts do not keep 200 sets of SDK clients alive (bench org-200).
   */
  readonly openClients?: () => ClientFactory;
  /** The account's own bucket list (its ListBuckets), when the bucket stage asked for it. */
  readonly ownedBuckets?: Promise<Outcome<OwnedBuckets>>;
}

export async function runAccount(audit: AuditContext, entry: AccountEntry): Promise<AccountRun> {
  const scheduler = audit.scheduler.forAccount(entry.id);
  let clients: ClientFactory;
  let openClients: () => ClientFactory = () => audit.callerClients;
  if (entry.id === audit.caller.accountId) {
    clients = audit.callerClients;
  } else {
    const assumed = await assumeRole(audit.callerClients, audit.scheduler.forAccount(audit.caller.accountId), audit.defaultRegion, {
      accountId: entry.id,
      partition: audit.caller.partition,
      ...audit.role,
    });
    if (!assumed.ok) {
      return unreachableRun(audit, entry, assumed.error);
    }
    clients = new ClientFactory({ ...audit.memberSettings, credentials: assumed.credentials });
    openClients = () => new ClientFactory({ ...audit.memberSettings, credentials: assumed.credentials });
  }
  // Only this account's identity failure stops it; the audit goes on (no shared stop).
  const accountStop = new RunStop(undefined);
  let ownedBuckets: Promise<Outcome<OwnedBuckets>> | undefined;
  const started = Date.now();
  try {
    const collected = await collect(
      {
        clients,
        scheduler,
        defaultRegion: audit.defaultRegion,
        needs: audit.needs,
        endpointUrl: audit.endpointUrl,
        stop: accountStop,
        notice: audit.notice,
        inScope: audit.inScope,
        onOwnedBuckets: (owned) => {
          ownedBuckets = owned;
        },
        // The caller's own account: its identity was read before discovery.
        ...(clients === audit.callerClients ? { identity: audit.caller } : {}),
      },
      audit.regions,
    );
    if (collected.account.id !== entry.id) {
      return await unreachableRun(audit, entry, {
        reason: 'error',
        message: `The credentials for account ${entry.id} are those of account ${collected.account.id} (${collected.account.principalArn ?? 'unknown principal'}): check --role-name and the role's trust.`,
        operation: 'sts:GetCallerIdentity',
        account: entry.id,
      });
    }
    const facts = deriveFacts({
      schemaVersion: 1,
      source: 'live',
      collectedAt: new Date(started).toISOString(),
      ...collected,
      account: { ...collected.account, ...(entry.name === undefined ? {} : { name: entry.name }), organizationId: organizationOf(audit, entry) },
      // The audit counts its calls once, for every account together (collect.ts).
      stats: { apiCalls: {}, durationMs: Date.now() - started },
    });
    return { accountId: entry.id, facts, openClients, ...(ownedBuckets === undefined ? {} : { ownedBuckets }) };
  } catch (error) {
    // An identity that could not be read, or Regions that could not be discovered, in this account.
    return await unreachableRun(audit, entry, {
      reason: 'error',
      message: `Account ${entry.id} could not be collected: ${error instanceof Error ? error.message : String(error)}`,
      account: entry.id,
    });
  } finally {
    accountStop.dispose();
    if (clients !== audit.callerClients) {
      clients.destroy();
    }
  }
}

/** An account that could not be entered: its Regions, no resources, `unreachable` set. */
async function unreachableRun(audit: AuditContext, entry: AccountEntry, detail: UnknownDetail): Promise<AccountRun> {
  let regions: readonly string[];
  try {
    regions = audit.regions ?? (await audit.fallbackRegions());
  } catch (error) {
    // Still reported (account-level controls UNKNOWN), just without per-Region findings.
    audit.notice(`the Regions of account ${entry.id}, which could not be entered, are unknown: ${error instanceof Error ? error.message : String(error)}`);
    regions = [];
  }
  const facts = unreachableFacts({ entry, regions, partition: audit.caller.partition, needs: audit.needs, organizationId: organizationOf(audit, entry), detail });
  return { accountId: entry.id, facts };
}

/**
 * The stand-in fact set of an account nothing could be read from (also what the Lambda
 * deployment records for the accounts of a batch that failed: src/lambda/recordFailure.ts).
 */
export function unreachableFacts(stub: {
  readonly entry: AccountEntry;
  readonly regions: readonly string[];
  readonly partition: string;
  /** The audit's needs, with their dependencies. */
  readonly needs: ReadonlySet<FactNeed>;
  readonly organizationId: string | null;
  readonly detail: UnknownDetail;
}): FactSet {
  const { entry, partition, needs } = stub;
  const collected = needsReadBy('live').filter((need) => needs.has(need));
  // Collections read in the audit are present (empty) so that the sets merge with the same kinds.
  const optionalCollections = Object.fromEntries(
    COLLECTIONS.filter(
      (collection) => collection.optional === true && FACT_KINDS.some((kind) => kind.collection === collection.name && collected.includes(kind.need)),
    ).map((collection) => [collection.name, []]),
  );
  return {
    schemaVersion: 1,
    source: 'live',
    collectedAt: new Date().toISOString(),
    collected,
    accounts: [entry.id],
    account: {
      ref: { type: 'AWS::::Account', id: entry.id, accountId: entry.id, region: 'global' },
      id: entry.id,
      partition,
      ...(entry.name === undefined ? {} : { name: entry.name }),
      organizationId: stub.organizationId,
      unreachable: stub.detail,
    },
    regions: [...new Set(stub.regions)].sort(compare).map((name) => ({ ref: { type: 'AWS::::Account', id: entry.id, accountId: entry.id, region: name }, name })),
    trails: [],
    buckets: [],
    eventDataStores: [],
    ...optionalCollections,
    stats: { apiCalls: {}, durationMs: 0 },
  };
}

/**
 * The organization an account is known to belong to: the audit's, when the organization's own
 * listing showed it; null for an account only named by --accounts (it may be outside the
 * organization, so crediting it with the organization trail by membership could be a false PASS).
 */
function organizationOf(audit: AuditContext, entry: AccountEntry): string | null {
  return entry.member === true ? audit.organizationId : null;
}
