/**
 * The organization collector (CONTRACT, issue 13; implemented by the collector part): discovers
 * the accounts (discovery.ts), enters each (the caller's own credentials for its own account,
 * sts:AssumeRole into `--role-name` for the others, credentials cached and refreshed before
 * expiry), collects each account with the single-account plan on one shared scheduler (limits
 * per account, service and Region), reads log buckets of other audited accounts with their
 * owner's credentials, and returns one merged FactSet (facts/merge.ts) with `organization`.
 */
import type { FactSet } from '../../facts/model.js';
import type { LiveCollectOptions } from '../live/collect.js';
import type { OrganizationScopeOptions } from './options.js';

export interface OrganizationCollectOptions extends LiveCollectOptions {
  readonly organization: OrganizationScopeOptions;
}

export function collectOrganization(_options: OrganizationCollectOptions): Promise<FactSet> {
  return Promise.reject(new Error('internal: collectOrganization is not implemented yet (issue 13 contract)'));
}
