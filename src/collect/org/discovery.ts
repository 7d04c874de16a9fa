/**
 * Which accounts an organization audit covers (CONTRACT, issue 13; implemented by the discovery
 * part): organizations:DescribeOrganization, ListAccounts (paged, at most 20 a page), for --ou
 * ListChildren / ListAccountsForParent recursively; ACTIVE accounts only (the others skipped,
 * with their status); --accounts / --accounts-file; --exclude-accounts; --shard.
 */
import type { Identity } from '../live/account.js';
import type { ClientFactory } from '../live/clients.js';
import type { CallScheduler } from '../live/scheduler.js';
import type { AccountPlan, OrganizationScopeOptions } from './options.js';

export interface DiscoveryContext {
  /** The caller's clients (management account or delegated administrator). */
  readonly clients: ClientFactory;
  readonly scheduler: CallScheduler;
  /** Region for the global Organizations calls (the credential chain's). */
  readonly region: string;
  readonly caller: Identity;
}

export function discoverAccounts(_context: DiscoveryContext, _options: OrganizationScopeOptions): Promise<AccountPlan> {
  return Promise.reject(new Error('internal: discoverAccounts is not implemented yet (issue 13 contract)'));
}
