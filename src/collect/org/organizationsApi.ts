/**
 * The Organizations reads account discovery makes from the caller's account, each page one
 * scheduled, counted call (src/collect/live/pages.ts): DescribeOrganization, ListAccounts, and for
 * `--ou` ListAccountsForParent and ListChildren down the unit tree. Failures come back as
 * Outcomes; discovery (discovery.ts) decides which of them end the run.
 */
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  type Account,
} from '@aws-sdk/client-organizations';
import { scheduledPages } from '../live/pages.js';
import type { ClientFactory } from '../live/clients.js';
import type { CallScheduler, Outcome } from '../live/scheduler.js';

/** What these reads need (discovery's context has it): the caller's clients, the scheduler, the Region. */
export interface OrganizationsContext {
  readonly clients: ClientFactory;
  readonly scheduler: CallScheduler;
  readonly region: string;
}

/** ListAccounts and ListAccountsForParent return at most 20 accounts a page (ListChildren the same). */
const PAGE_SIZE = 20;

export interface OrganizationAccount {
  readonly id: string;
  readonly name?: string;
  /** `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED…), else the older `Status`; '' when neither is given. */
  readonly state: string;
}

export interface OrganizationIdentity {
  readonly id: string | null;
  readonly managementAccountId: string | null;
}

function accountOf(account: Account): OrganizationAccount | null {
  if (account.Id === undefined) {
    return null;
  }
  // `Status` is being retired in favour of `State` (SDK documentation); read either.
  const state = account.State ?? account.Status ?? '';
  return account.Name === undefined ? { id: account.Id, state } : { id: account.Id, name: account.Name, state };
}

function accountsOf(accounts: readonly Account[] | undefined): OrganizationAccount[] {
  return (accounts ?? []).map(accountOf).filter((account): account is OrganizationAccount => account !== null);
}

export async function describeOrganization(context: OrganizationsContext): Promise<Outcome<OrganizationIdentity>> {
  const { region } = context;
  const client = await context.clients.organizations(region);
  return context.scheduler.call({ action: 'organizations:DescribeOrganization', region, resource: 'the organization' }, async () => {
    const response = await client.send(new DescribeOrganizationCommand({}));
    return {
      id: response.Organization?.Id ?? null,
      // The API still names the management account "master".
      managementAccountId: response.Organization?.MasterAccountId ?? null,
    };
  });
}

/** Every account of the organization, every page. */
export async function listAccounts(context: OrganizationsContext): Promise<Outcome<readonly OrganizationAccount[]>> {
  const { region } = context;
  const client = await context.clients.organizations(region);
  return scheduledPages(context.scheduler, { action: 'organizations:ListAccounts', region, resource: 'the organization' }, async (token) => {
    const response = await client.send(new ListAccountsCommand({ MaxResults: PAGE_SIZE, NextToken: token }));
    return { items: accountsOf(response.Accounts), nextToken: response.NextToken };
  });
}

async function accountsDirectlyUnder(context: OrganizationsContext, parentId: string): Promise<Outcome<readonly OrganizationAccount[]>> {
  const { region } = context;
  const client = await context.clients.organizations(region);
  return scheduledPages(context.scheduler, { action: 'organizations:ListAccountsForParent', region, resource: parentId }, async (token) => {
    const response = await client.send(new ListAccountsForParentCommand({ ParentId: parentId, MaxResults: PAGE_SIZE, NextToken: token }));
    return { items: accountsOf(response.Accounts), nextToken: response.NextToken };
  });
}

async function unitsDirectlyUnder(context: OrganizationsContext, parentId: string): Promise<Outcome<readonly string[]>> {
  const { region } = context;
  const client = await context.clients.organizations(region);
  return scheduledPages(context.scheduler, { action: 'organizations:ListChildren', region, resource: parentId }, async (token) => {
    const response = await client.send(
      new ListChildrenCommand({ ParentId: parentId, ChildType: 'ORGANIZATIONAL_UNIT', MaxResults: PAGE_SIZE, NextToken: token }),
    );
    const ids = (response.Children ?? []).map((child) => child.Id).filter((id): id is string => id !== undefined);
    return { items: ids, nextToken: response.NextToken };
  });
}

/** A failed read, with the unit (or root) it was about: discovery names it to the user. */
export interface UnitFailure {
  readonly ok: false;
  readonly parentId: string;
  readonly outcome: Outcome<never> & { ok: false };
}

/**
 * Every account under `parentId` (a unit or the root), at any depth: the accounts directly under
 * it and, for each child unit, the same again. Sibling units are read concurrently (the
 * scheduler bounds how many calls run at once); the first failure is returned.
 */
export async function accountsUnder(
  context: OrganizationsContext,
  parentId: string,
): Promise<{ readonly ok: true; readonly value: readonly OrganizationAccount[] } | UnitFailure> {
  const [accounts, units] = await Promise.all([accountsDirectlyUnder(context, parentId), unitsDirectlyUnder(context, parentId)]);
  if (!accounts.ok) {
    return { ok: false, parentId, outcome: accounts };
  }
  if (!units.ok) {
    return { ok: false, parentId, outcome: units };
  }
  const nested = await Promise.all(units.value.map(async (unit) => accountsUnder(context, unit)));
  const found = [...accounts.value];
  for (const result of nested) {
    if (!result.ok) {
      return result;
    }
    found.push(...result.value);
  }
  return { ok: true, value: found };
}
