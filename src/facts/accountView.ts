/**
 * One audited account's view of an organization fact set (issue 13). Pure.
 *
 * Account- and Region-scoped checks (CloudTrail.1/3, S3.22/23, CloudWatch.*, CIS.4.16) are
 * evaluated once per audited account, on its view; resource-scoped checks (trails, buckets,
 * stores) once on the whole set, where `ownerInScope` keeps an organization trail's findings in
 * its owner account only.
 *
 * The view of account A: `account` = A's facts; `regions`, `monitoring`, `securityHubs` = A's
 * items; `trails` = A's own trails and trail gaps, plus every organization trail that covers A:
 * `isOrganizationTrail` true and either listed by A (`visibleInAccounts`) or owned by an account
 * of A's organization (`organizationId` equal and known). Other accounts' non-organization
 * trails are not A's. An unreachable account (AccountFacts.unreachable) is not evaluated on a view
 * at all: the engine gives its controls UNKNOWN with the unreachable detail.
 *
 * The other collections (buckets, stores, log groups, alarms, topics, keys) are the whole set's:
 * no account- or Region-scoped check iterates them, and the derived facts that read them were
 * computed on the whole set. A view is a single-account set (`accounts` = [A], no
 * `auditedAccounts`), so everything that reads one evaluates it as before.
 */
import { isGap, type AccountFacts, type FactSet, type TrailFacts, type TrailGap } from './model.js';

/** Every audited account's facts: `auditedAccounts`, or the one `account`. */
export function auditedAccountsOf(facts: Pick<FactSet, 'auditedAccounts' | 'account'>): readonly AccountFacts[] {
  return facts.auditedAccounts ?? [facts.account];
}

export function accountView(facts: FactSet, accountId: string): FactSet {
  if (facts.auditedAccounts === undefined && facts.account.id === accountId) {
    return facts;
  }
  const view = accountViews(facts).get(accountId);
  if (view === undefined) {
    throw new Error(`internal: account ${accountId} is not audited in this fact set`);
  }
  return view;
}

type Trail = TrailFacts | TrailGap;

/** Lists grouped by account id, built in one pass. */
function groupBy<T>(items: readonly T[] | undefined, accountOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items ?? []) {
    const account = accountOf(item);
    if (account === null) {
      continue;
    }
    const group = groups.get(account);
    if (group === undefined) {
      groups.set(account, [item]);
    } else {
      group.push(item);
    }
  }
  return groups;
}

/**
 * Every audited account's view (unreachable ones included: they have no trails), built in one
 * pass over each collection, so that the engine builds them once per evaluation, not per check.
 */
export function accountViews(facts: FactSet): ReadonlyMap<string, FactSet> {
  const accounts = auditedAccountsOf(facts);
  const organizationOf = new Map(accounts.map((account) => [account.id, account.organizationId ?? null]));
  const regions = groupBy(facts.regions, (region) => region.ref.accountId);
  const monitoring = groupBy(facts.monitoring, (item) => item.accountId);
  const hubs = groupBy(facts.securityHubs, (hub) => hub.accountId);
  const own = groupBy<Trail>(facts.trails, (trail) => (isGap(trail) ? trail.ref.accountId : trail.ownerAccountId));
  // Organization trails credit accounts other than their owner: by listing, or by membership.
  const listedBy = new Map<string, Trail[]>();
  const byOrganization = new Map<string, TrailFacts[]>();
  for (const trail of facts.trails) {
    if (isGap(trail) || trail.isOrganizationTrail !== true) {
      continue;
    }
    for (const account of trail.visibleInAccounts ?? []) {
      if (account !== trail.ownerAccountId) {
        listedBy.set(account, [...(listedBy.get(account) ?? []), trail]);
      }
    }
    const organization = organizationOf.get(trail.ownerAccountId);
    if (typeof organization === 'string') {
      byOrganization.set(organization, [...(byOrganization.get(organization) ?? []), trail]);
    }
  }
  const views = new Map<string, FactSet>();
  for (const account of accounts) {
    const trails = new Set<Trail>([...(own.get(account.id) ?? []), ...(listedBy.get(account.id) ?? [])]);
    if (typeof account.organizationId === 'string') {
      byOrganization.get(account.organizationId)?.forEach((trail) => trails.add(trail));
    }
    const { auditedAccounts: _audited, monitoring: _monitoring, securityHubs: _hubs, ...rest } = facts;
    views.set(account.id, {
      ...rest,
      accounts: [account.id],
      account,
      regions: regions.get(account.id) ?? [],
      // Kept in the set's order, so that findings and evidence list trails as the set does.
      trails: facts.trails.filter((trail) => trails.has(trail)),
      ...(facts.monitoring === undefined ? {} : { monitoring: monitoring.get(account.id) ?? [] }),
      ...(facts.securityHubs === undefined ? {} : { securityHubs: hubs.get(account.id) ?? [] }),
    });
  }
  return views;
}
