/**
 * The organization collector: discovers the accounts (discovery.ts), enters each (the caller's
 * own credentials for its own account, sts:AssumeRole into `--role-name` for the others,
 * credentials cached and refreshed before expiry: assumeRole.ts), collects each account with the
 * single-account plan on one shared scheduler (limits per account, service and Region:
 * accountRun.ts), reads log buckets of other audited accounts with their owner's credentials
 * (crossAccountBuckets.ts), and returns one merged FactSet (facts/merge.ts) with `organization`.
 *
 * Nothing is joined here: each account's set says only what that account saw, and the joins (an
 * organization trail crediting its members) happen in mergeFactSets and the engine, exactly as
 * when `evaluate` reads several shards' snapshots.
 */
import pLimit from 'p-limit';
import type { FactSet } from '../../facts/model.js';
import type { OrganizationFacts } from '../../facts/organization.js';
import { mergeFactSets } from '../../facts/merge.js';
import { discoverRegions, getIdentity, identityFailure, type Identity } from '../live/account.js';
import { ClientFactory, createConnectionPools, resolveDefaultRegion, type ConnectionPools } from '../live/clients.js';
import { DEFAULT_MAX_ATTEMPTS, expandNeeds, PER_ENDPOINT_CONCURRENCY, type LiveCollectOptions } from '../live/collect.js';
import { resolveCredentials } from '../live/credentials.js';
import { CollectionError } from '../live/errors.js';
import { DEFAULT_HTTP_TIMEOUTS } from '../live/requestHandler.js';
import { RunStop } from '../live/runStop.js';
import { ApiScheduler } from '../live/scheduler.js';
import { runAccount, type AccountRun, type AuditContext } from './accountRun.js';
import { readCrossAccountBuckets } from './crossAccountBuckets.js';
import { discoverAccounts } from './discovery.js';
import type { AccountPlan, OrganizationScopeOptions } from './options.js';

export interface OrganizationCollectOptions extends LiveCollectOptions {
  readonly organization: OrganizationScopeOptions;
  /**
   * The accounts, already discovered: a batch of the Lambda deployment (src/lambda/) audits its
   * part of the list one discovery made, so each batch credits its accounts as members without
   * asking Organizations again (and cannot see a different list from another batch).
   */
  readonly plan?: AccountPlan;
}

/**
 * Accounts collected at once, and requests in flight, when --account-concurrency / --concurrency
 * are not given. Measured with bench/orgConcurrency.ts (50 moto accounts, 2 Regions, 657 calls,
 * medians of 3, on 2 shared CPUs at load 7–12): 16 accounts × 64 requests took 2.61 s at 50 ms
 * added latency and 4.47 s at 200 ms, the best sum of both; 32 requests in flight were slower at
 * 200 ms (6.14 s at 16 accounts) and 32 accounts overloaded the emulator's CPU at 50 ms (4.2–5.6 s).
 */
export const DEFAULT_ACCOUNT_CONCURRENCY = 16;
export const DEFAULT_ORGANIZATION_CONCURRENCY = 64;

function endpointFromEnvironment(): string | undefined {
  const value = process.env.AWS_ENDPOINT_URL;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** What the audit is run with, once the caller is known (collectOrganization builds it; tests too). */
export interface OrganizationRun {
  readonly options: OrganizationCollectOptions;
  readonly caller: Identity;
  readonly callerClients: ClientFactory;
  readonly scheduler: ApiScheduler;
  readonly pools: ConnectionPools;
  readonly stop: RunStop;
  readonly defaultRegion: string;
  readonly endpointUrl: string | undefined;
}

/** The caller's credentials, clients, identity and the audit's scheduler; `close` releases them. */
export async function openOrganizationRun(options: OrganizationCollectOptions): Promise<OrganizationRun & { close(): void }> {
  const endpointUrl = options.endpointUrl ?? endpointFromEnvironment();
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts };
  const credentials = options.credentials ?? (await resolveCredentials(options.profile, endpointUrl, timeouts));
  const defaultRegion = await resolveDefaultRegion(options.profile);
  const stop = new RunStop(options.timeoutSeconds);
  const pools = createConnectionPools();
  const callerClients = new ClientFactory({
    credentials,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    deadline: stop.signal,
    timeouts,
    agents: pools,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  const scheduler = new ApiScheduler({
    concurrency: options.concurrency ?? DEFAULT_ORGANIZATION_CONCURRENCY,
    perEndpointConcurrency: PER_ENDPOINT_CONCURRENCY,
    stop: stop.signal,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const close = (): void => {
    stop.dispose();
    callerClients.destroy();
    pools.httpAgent.destroy();
    pools.httpsAgent.destroy();
  };
  try {
    const identity = await getIdentity(callerClients, scheduler, defaultRegion);
    if (!identity.ok) {
      throw identityFailure(identity, defaultRegion, endpointUrl);
    }
    return { options, caller: identity.value, callerClients, scheduler, pools, stop, defaultRegion, endpointUrl, close };
  } catch (error) {
    close();
    throw error;
  }
}

export async function collectOrganization(options: OrganizationCollectOptions): Promise<FactSet> {
  const started = Date.now();
  const run = await openOrganizationRun(options);
  try {
    const { callerClients, scheduler, defaultRegion, caller, stop } = run;
    const plan =
      options.plan ??
      (await discoverAccounts({ clients: callerClients, scheduler: scheduler.forAccount(caller.accountId), region: defaultRegion, caller }, options.organization));
    if (plan.audited.length === 0) {
      // A fact set is about at least one account. Parts follow the ids (account id mod N), so with
      // few accounts per shard a part can be empty.
      const { shard } = options.organization;
      throw new CollectionError(
        `${shard === undefined ? 'the account list' : `shard ${String(shard.index)}/${String(shard.count)}`} holds none of the ${String(plan.inScope.length)} account(s) in scope (an account goes to shard (id mod N) + 1); use fewer shards.`,
      );
    }
    const sets = await collectAccounts(run, plan);
    const deadline = stop.deadlineReached();
    if (deadline !== undefined) {
      options.onNotice?.(
        `the --timeout of ${String(deadline.seconds)} s passed before every AWS call was answered; ` +
          'the facts not read by then are UNKNOWN (timeout) in the reports.',
      );
    }
    const organization = organizationFacts(run, plan);
    // Each set names the organization, so that the merge treats them as one organization's.
    const merged = mergeFactSets(sets.map((set) => ({ ...set, organization })));
    return {
      ...merged,
      // An organization set always lists its audited accounts, even when it holds one (a shard).
      accounts: merged.accounts ?? [merged.account.id],
      auditedAccounts: merged.auditedAccounts ?? [merged.account],
      collectedAt: new Date(started).toISOString(),
      organization,
      stats: { apiCalls: scheduler.apiCalls(), durationMs: Date.now() - started },
    };
  } finally {
    run.close();
  }
}

export function organizationFacts(run: Pick<OrganizationRun, 'caller' | 'options'>, plan: AccountPlan): OrganizationFacts {
  const { shard } = run.options.organization;
  return {
    id: plan.organizationId,
    managementAccountId: plan.managementAccountId,
    callerAccountId: run.caller.accountId,
    ...(run.caller.arn === '' ? {} : { callerArn: run.caller.arn }),
    roleName: run.options.organization.roleName,
    accountsInScope: plan.inScope.map((entry) => entry.id),
    skipped: plan.skipped,
    ...(run.options.regions === undefined ? {} : { regionsRequested: [...new Set(run.options.regions)].sort() }),
    wholeOrganization: run.options.organization.org && (run.options.organization.organizationalUnits ?? []).length === 0 && run.options.organization.accounts === undefined,
    ...(shard === undefined ? {} : { shard }),
  };
}

/**
 * Every audited account's own fact set (not merged), at most `accountConcurrency` accounts at
 * once, the caller's first; then the log buckets of other audited accounts, read with their
 * owner's credentials. Member clients are destroyed before returning.
 */
export async function collectAccounts(run: OrganizationRun, plan: AccountPlan): Promise<FactSet[]> {
  const { options, caller, callerClients, scheduler, pools, stop, defaultRegion, endpointUrl } = run;
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts };
  let fallback: Promise<readonly string[]> | undefined;
  const audit: AuditContext = {
    caller,
    callerClients,
    scheduler,
    defaultRegion,
    needs: expandNeeds(options.needs),
    endpointUrl,
    notice: options.onNotice ?? (() => undefined),
    inScope: new Set(plan.inScope.map((entry) => entry.id)),
    memberSettings: {
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      deadline: stop.signal,
      timeouts,
      agents: pools,
      ...(endpointUrl === undefined ? {} : { endpointUrl }),
    },
    role: {
      roleName: options.organization.roleName,
      roleSessionName: options.organization.roleSessionName,
      ...(options.organization.externalId === undefined ? {} : { externalId: options.organization.externalId }),
    },
    regions: options.regions,
    // The caller's enabled Regions, asked once and only if some account could not be entered.
    fallbackRegions: () =>
      (fallback ??= discoverRegions(callerClients, scheduler, defaultRegion, Promise.resolve({ ok: true, value: caller }), audit.notice)),
    organizationId: plan.organizationId,
  };
  const limit = pLimit(Math.max(1, options.organization.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY));
  // The caller's account first: its clients exist already and it often owns the organization trail.
  const ordered = [...plan.audited].sort((a, b) => Number(b.id === caller.accountId) - Number(a.id === caller.accountId));
  // Each member's clients are released when its collection ends (accountRun.ts).
  const runs: AccountRun[] = await Promise.all(ordered.map(async (entry) => limit(async () => runAccount(audit, entry))));
  const withBuckets = await readCrossAccountBuckets(audit, runs, options.organization.logArchiveAccounts ?? []);
  return withBuckets.sort((a, b) => (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0));
}
