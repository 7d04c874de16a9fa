/**
 * Which accounts an organization audit covers (CONTRACT, issue 13; implemented by the discovery
 * part): organizations:DescribeOrganization, ListAccounts (paged, at most 20 a page), for --ou
 * ListChildren / ListAccountsForParent recursively; ACTIVE accounts only (the others skipped,
 * with their status); --accounts / --accounts-file; --exclude-accounts; --shard.
 *
 * With --org or --ou the list comes from Organizations, and a listing that fails ends the run
 * (exit 2): auditing part of an organization as if it were all of it would hide accounts. With
 * --accounts alone the list is the user's; DescribeOrganization is still asked once, for the
 * organization's id in the report, and its failure only leaves that id null.
 */
import type { Identity } from '../live/account.js';
import type { ClientFactory } from '../live/clients.js';
import { CollectionError, errorCode } from '../live/errors.js';
import type { CallScheduler, Outcome } from '../live/scheduler.js';
import { UsageError } from '../../errors.js';
import type { SkippedAccount } from '../../facts/organization.js';
import type { AccountEntry, AccountPlan, OrganizationScopeOptions } from './options.js';
import { accountsUnder, describeOrganization, listAccounts, type OrganizationAccount, type OrganizationIdentity } from './organizationsApi.js';
import { shardPart } from './shard.js';

export interface DiscoveryContext {
  /** The caller's clients (management account or delegated administrator). */
  readonly clients: ClientFactory;
  readonly scheduler: CallScheduler;
  /** Region for the global Organizations calls (the credential chain's). */
  readonly region: string;
  readonly caller: Identity;
}

/** Organizations' answer for a unit or root id that names none of the organization's. */
const UNIT_NOT_FOUND_CODES = new Set(['ParentNotFoundException', 'ChildNotFoundException', 'TargetNotFoundException']);
const NOT_IN_ORGANIZATION_CODE = 'AWSOrganizationsNotInUseException';

const WHO_MAY_DISCOVER =
  'discovering the accounts (--org, --ou) must run as the management account of the organization or a delegated ' +
  'administrator, allowed organizations:ListAccounts, ListAccountsForParent, ListChildren and DescribeOrganization ' +
  '(`trailaudit iam-policy --org` prints the statement); or name the accounts with --accounts instead';

function notInOrganization(caller: Identity, cause: unknown): CollectionError {
  return new CollectionError(`the caller's account ${caller.accountId} is not in an AWS Organization (${NOT_IN_ORGANIZATION_CODE}); ${WHO_MAY_DISCOVER}.`, { cause });
}

function listingFailure(caller: Identity, failed: Outcome<never> & { ok: false }): CollectionError {
  if (errorCode(failed.cause) === NOT_IN_ORGANIZATION_CODE) {
    return notInOrganization(caller, failed.cause);
  }
  const code = errorCode(failed.cause);
  return new CollectionError(
    `could not list the organization's accounts as ${caller.arn}${code === undefined ? '' : ` (${code})`}: ${failed.error.message} Note: ${WHO_MAY_DISCOVER}.`,
    { cause: failed.cause },
  );
}

/** The organization's accounts (all of them, or those under the --ou units), every state. */
async function organizationAccounts(context: DiscoveryContext, units: readonly string[]): Promise<OrganizationAccount[]> {
  if (units.length === 0) {
    const listed = await listAccounts(context);
    if (!listed.ok) {
      throw listingFailure(context.caller, listed);
    }
    if (listed.value.length === 0) {
      // AWS denies ListAccounts to a member; emulators (moto) answer an empty list instead.
      throw new CollectionError(`organizations:ListAccounts returned no account to ${context.caller.arn}; ${WHO_MAY_DISCOVER}.`);
    }
    return [...listed.value];
  }
  const perUnit = await Promise.all(units.map(async (unit) => accountsUnder(context, unit)));
  const found = new Map<string, OrganizationAccount>();
  for (const result of perUnit) {
    if (!result.ok) {
      const code = errorCode(result.outcome.cause);
      if (code !== undefined && UNIT_NOT_FOUND_CODES.has(code)) {
        throw new UsageError(`--ou ${result.parentId} is not an organizational unit or root of the caller's organization (${code}).`);
      }
      throw listingFailure(context.caller, result.outcome);
    }
    // Units given may nest (a unit and its parent): each account once.
    for (const account of result.value) {
      found.set(account.id, account);
    }
  }
  return [...found.values()];
}

/** An account the organization's listing showed. */
function memberEntry(id: string, name: string | undefined): AccountEntry {
  return name === undefined ? { id, member: true } : { id, name, member: true };
}

function skippedFor(account: OrganizationAccount, organizationId: string | null): SkippedAccount {
  const where = organizationId === null ? 'the organization' : `organization ${organizationId}`;
  const status = account.state === '' ? 'no status' : account.state;
  const base = { accountId: account.id, ...(account.name === undefined ? {} : { name: account.name }) };
  if (account.state === 'SUSPENDED') {
    return { ...base, reason: 'suspended', message: `SUSPENDED in ${where}: a closed account cannot be read.` };
  }
  return { ...base, reason: 'not_active', message: `${status} in ${where}: only ACTIVE accounts are audited.` };
}

interface Candidates {
  readonly active: AccountEntry[];
  readonly skipped: SkippedAccount[];
}

/** --org / --ou: the discovered accounts, ACTIVE ones kept; with --accounts too, their intersection. */
function discoveredCandidates(
  accounts: readonly OrganizationAccount[],
  identity: OrganizationIdentity,
  listed: readonly string[] | undefined,
  units: readonly string[],
): Candidates {
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const wanted = listed === undefined ? [...byId.keys()] : [...new Set(listed)];
  const active: AccountEntry[] = [];
  const skipped: SkippedAccount[] = [];
  for (const id of wanted) {
    const account = byId.get(id);
    if (account === undefined) {
      const where = units.length > 0 ? `under ${units.join(', ')}` : `in ${identity.id === null ? 'the organization' : `organization ${identity.id}`}`;
      skipped.push({ accountId: id, reason: 'not_in_organization', message: `named by --accounts or --accounts-file but not ${where}: not audited.` });
    } else if (account.state === 'ACTIVE') {
      active.push(memberEntry(account.id, account.name));
    } else {
      skipped.push(skippedFor(account, identity.id));
    }
  }
  return { active, skipped };
}

function byId<T extends { readonly id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export async function discoverAccounts(context: DiscoveryContext, options: OrganizationScopeOptions): Promise<AccountPlan> {
  const units = options.organizationalUnits ?? [];
  const discover = options.org || units.length > 0;
  if (!discover && (options.accounts === undefined || options.accounts.length === 0)) {
    throw new UsageError('an organization audit needs --org, --ou or --accounts to choose the accounts.');
  }
  const [described, discovered] = await Promise.all([
    describeOrganization(context),
    discover ? organizationAccounts(context, units) : Promise.resolve(null),
  ]);
  if (!described.ok && discover && errorCode(described.cause) === NOT_IN_ORGANIZATION_CODE) {
    throw notInOrganization(context.caller, described.cause);
  }
  // Not fatal: the id only labels the report (a member may be denied DescribeOrganization).
  const identity: OrganizationIdentity = described.ok ? described.value : { id: null, managementAccountId: null };
  const candidates: Candidates =
    discovered === null
      ? {
          // Named accounts are not known members, except the caller when its organization answered.
          active: [...new Set(options.accounts)].map((id): AccountEntry => (id === context.caller.accountId && identity.id !== null ? { id, member: true } : { id })),
          skipped: [],
        }
      : discoveredCandidates(discovered, identity, options.accounts, units);
  const excluded = new Set(options.excludeAccounts ?? []);
  const inScope = candidates.active.filter((entry) => !excluded.has(entry.id)).sort(byId);
  const skipped = [
    ...candidates.skipped,
    ...(options.skippedByList ?? []),
    ...candidates.active
      .filter((entry) => excluded.has(entry.id))
      .map((entry): SkippedAccount => ({ accountId: entry.id, ...(entry.name === undefined ? {} : { name: entry.name }), reason: 'excluded', message: 'named by --exclude-accounts.' })),
  ].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  if (inScope.length === 0) {
    throw new UsageError(
      `no account left to audit${skipped.length === 0 ? '' : ` (${skipped.length} skipped: ${skipped.map((s) => `${s.accountId} ${s.reason}`).join(', ')})`}.`,
    );
  }
  return {
    organizationId: identity.id,
    managementAccountId: identity.managementAccountId,
    inScope,
    audited: shardPart(inScope, options.shard),
    skipped,
  };
}
