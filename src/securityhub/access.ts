/**
 * CONTRACT STUB (issue 14, part A implements): Security Hub clients per (account, Region): the
 * caller's own credentials for its account (sts:GetCallerIdentity tells which), an assumed role
 * for any other account.
 */
import type { HubAccess, HubAccessOptions } from './types.js';

export function createHubAccess(options: HubAccessOptions): Promise<HubAccess> {
  return Promise.reject(new Error(`createHubAccess is not implemented yet (${options.roleName ?? 'no role'})`));
}
