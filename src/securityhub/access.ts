/**
 * Security Hub clients per (account, Region): the caller's own credentials for its own account
 * (sts:GetCallerIdentity tells which), an assumed role for any other account. Security Hub takes
 * a default-product finding only from the account it names, so an organization's findings must
 * each be sent as their own account.
 *
 * The credentials stack is the collector's (credentials.ts, ClientFactory, assumeRole): the same
 * precedence, time bounds, adaptive retries and session renewal as the audit itself.
 */
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { getIdentity, identityFailure } from '../collect/live/account.js';
import { ClientFactory, createConnectionPools, resolveDefaultRegion, type ClientSettings } from '../collect/live/clients.js';
import { DEFAULT_MAX_ATTEMPTS, PER_ENDPOINT_CONCURRENCY } from '../collect/live/collect.js';
import { resolveCredentials } from '../collect/live/credentials.js';
import { ApiScheduler } from '../collect/live/scheduler.js';
import { assumeRole } from '../collect/org/assumeRole.js';
import { DEFAULT_HTTP_TIMEOUTS } from '../collect/live/requestHandler.js';
import type { HubAccess, HubAccessOptions, HubClient } from './types.js';
import { paceAtTheWire, WireLimiter } from './wirePacing.js';

const DEFAULT_SESSION_NAME = 'trailaudit-security-hub';
/** STS calls in flight (identity, one AssumeRole per account): few, so a small cap. */
const STS_CONCURRENCY = 8;

/** Reads the caller's identity (throws a CollectionError when it cannot) and returns the access. */
export async function createHubAccess(options: HubAccessOptions): Promise<HubAccess> {
  const { endpointUrl, profile } = options;
  const timeouts = DEFAULT_HTTP_TIMEOUTS;
  const credentials = options.credentials ?? (await resolveCredentials(profile, endpointUrl, timeouts));
  const stsRegion = options.region ?? (await resolveDefaultRegion(profile));
  const pools = createConnectionPools();
  const shared: Omit<ClientSettings, 'credentials' | 'profile'> = {
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    timeouts,
    agents: pools,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  };
  const callerClients = new ClientFactory({ ...shared, credentials, ...(profile === undefined ? {} : { profile }) });
  const scheduler = new ApiScheduler({
    concurrency: STS_CONCURRENCY,
    perEndpointConcurrency: Math.min(STS_CONCURRENCY, PER_ENDPOINT_CONCURRENCY),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  });
  const factories: ClientFactory[] = [callerClients];
  const close = (): void => {
    // The factories share the pools: they only forget their clients; destroying the pools closes the sockets.
    for (const factory of factories) {
      factory.destroy();
    }
    pools.httpAgent.destroy();
    pools.httpsAgent.destroy();
  };
  const identity = await getIdentity(callerClients, scheduler, stsRegion).catch((error: unknown) => {
    close();
    throw error;
  });
  if (!identity.ok) {
    close();
    throw identityFailure(identity, stsRegion, endpointUrl, "the caller's identity, needed to reach Security Hub as each account");
  }
  const caller = identity.value;

  type AccountClients = { readonly ok: true; readonly factory: ClientFactory } | Extract<HubClient, { ok: false }>;
  // A promise per account, so concurrent targets of one account share a single AssumeRole.
  const accounts = new Map<string, Promise<AccountClients>>();
  // One limiter for every client this access hands out: all calls to an (account, Region) share its windows.
  const limiter = new WireLimiter(options.wireLimits);
  const paced = new WeakSet<SecurityHubClient>();
  accounts.set(caller.accountId, Promise.resolve({ ok: true, factory: callerClients }));

  const enter = async (accountId: string): Promise<AccountClients> => {
    const { roleName } = options;
    if (roleName === undefined || roleName === '') {
      return {
        ok: false,
        code: 'no_role',
        message: `no role to reach Security Hub in account ${accountId} (the credentials are account ${caller.accountId}'s): name the role each account has for it (--security-hub-role-name, or --role-name)`,
      };
    }
    const assumed = await assumeRole(callerClients, scheduler.forAccount(caller.accountId), stsRegion, {
      accountId,
      partition: caller.partition,
      roleName,
      roleSessionName: options.roleSessionName ?? DEFAULT_SESSION_NAME,
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
    });
    if (!assumed.ok) {
      // The message names the role ARN (assumeRole writes it).
      return { ok: false, code: assumed.code ?? assumed.error.reason, message: assumed.error.message };
    }
    const factory = new ClientFactory({ ...shared, credentials: assumed.credentials });
    factories.push(factory);
    return { ok: true, factory };
  };

  return {
    callerAccountId: caller.accountId,
    partition: caller.partition,
    async client(accountId: string, region: string): Promise<HubClient> {
      let entered = accounts.get(accountId);
      if (entered === undefined) {
        entered = enter(accountId);
        accounts.set(accountId, entered);
      }
      const clients = await entered;
      if (!clients.ok) {
        return clients;
      }
      const client: SecurityHubClient = await clients.factory.securityHub(region);
      if (!paced.has(client)) {
        paceAtTheWire(client, accountId, region, limiter);
        paced.add(client);
      }
      return { ok: true, client };
    },
    close,
  };
}
