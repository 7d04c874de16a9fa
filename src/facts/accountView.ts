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
import { isGap, type AccountFacts, type FactSet, type TrailFacts, type TrailGap, type UnknownDetail } from './model.js';
import { addTo, groupBy } from '../groupBy.js';

/**
 * Accounts of the organization's scope (`organization.accountsInScope`) that this set neither
 * audited nor skipped: audited in another shard (the shards given to `evaluate` are not all of
 * them), or listed after this shard's run. Their facts are not here, so nothing about them, and
 * nothing their organization trails would credit, can be judged: the engine gives them UNKNOWN.
 */
export function absentAccounts(facts: Pick<FactSet, 'organization' | 'auditedAccounts' | 'account'>): readonly string[] {
  const organization = facts.organization;
  if (organization === undefined) {
    return [];
  }
  const present = new Set([...auditedAccountsOf(facts).map((account) => account.id), ...organization.skipped.map((skipped) => skipped.accountId)]);
  return organization.accountsInScope.filter((id) => !present.has(id));
}

/** Why an absent account is UNKNOWN: what to evaluate together. */
export function absenceDetail(facts: Pick<FactSet, 'organization'>, accountId: string): UnknownDetail {
  const shard = facts.organization?.shard;
  const shards = facts.organization?.shards;
  const part =
    shard !== undefined
      ? `this set is shard ${String(shard.index)}/${String(shard.count)}`
      : shards !== undefined
        ? `the snapshots evaluated are shards ${shards.map((s) => `${String(s.index)}/${String(s.count)}`).join(', ')}`
        : 'this set does not hold its facts';
  return {
    reason: 'cross_account',
    message: `Account ${accountId} is in the organization audit's scope but not in these facts (${part}): evaluate every shard's snapshot together (trailaudit evaluate S1.json … SN.json).`,
    account: accountId,
  };
}

/**
 * Accounts of the organization whose trails these facts cannot show: absent from the set
 * (another shard's) or audited but not entered (their role could not be assumed, or their scheduled batch failed). Any of them
 * may own an organization trail that covers a member.
 */
export function accountsWithoutTrails(facts: Pick<FactSet, 'organization' | 'auditedAccounts' | 'account'>): readonly { readonly id: string; readonly organizationId: string | null }[] {
  // An absent account is of the scope's organization; an unreachable one says which it is in.
  const absent = absentAccounts(facts).map((id) => ({ id, organizationId: facts.organization?.id ?? null }));
  const unreachable = auditedAccountsOf(facts)
    .filter((account) => account.unreachable !== undefined)
    .map((account) => ({ id: account.id, organizationId: account.organizationId ?? null }));
  return [...absent, ...unreachable];
}

/**
 * A known member of the organization while the trails of some of its accounts are not in the facts
 * ({@link accountsWithoutTrails}): an organization trail of one of them may cover it, so its
 * coverage is unknown rather than missing. A stand-in trail whose every fact is Unknown (a trail
 * gap) says so to every check over its trails; a trail that qualifies still decides (PASS).
 */
export function absentOrganizationTrails(account: AccountFacts, withoutTrails: ReturnType<typeof accountsWithoutTrails>): TrailGap | undefined {
  const organization = account.organizationId;
  const others = typeof organization === 'string' ? withoutTrails.filter((other) => other.id !== account.id && other.organizationId === organization).map((other) => other.id) : [];
  if (others.length === 0) {
    return undefined;
  }
  const $gap: UnknownDetail = {
    reason: 'cross_account',
    message: `The trails of account(s) ${others.join(', ')} of the organization are not in these facts (another shard's, or accounts that could not be entered: a role not assumable, a scheduled batch that failed); an organization trail of theirs may cover account ${account.id}.`,
    account: others[0] ?? account.id,
  };
  const gapUnknown = { $unknown: $gap };
  return {
    ref: { type: 'AWS::CloudTrail::Trail', id: `arn:${account.partition}:cloudtrail:*:${others[0] ?? account.id}:trail/*`, accountId: account.id, region: 'global' },
    $gap,
    homeRegion: 'global',
    isMultiRegion: gapUnknown,
    ownerInScope: gapUnknown,
  };
}

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

/**
 * The organization trails of other accounts that cover each audited account: listed by it
 * (`visibleInAccounts`), or owned by an account of its organization (`organizationId` equal and
 * known). One rule for the views below and for the monitoring chains (kinds/logMonitoring/derive.ts).
 */
export function coveringOrganizationTrails(facts: Pick<FactSet, 'auditedAccounts' | 'account' | 'trails'>): ReadonlyMap<string, readonly TrailFacts[]> {
  const accounts = auditedAccountsOf(facts);
  const organizationOf = new Map(accounts.map((account) => [account.id, account.organizationId ?? null]));
  const listedBy = new Map<string, TrailFacts[]>();
  const byOrganization = new Map<string, TrailFacts[]>();
  for (const trail of facts.trails) {
    if (isGap(trail) || trail.isOrganizationTrail !== true) {
      continue;
    }
    for (const account of trail.visibleInAccounts ?? []) {
      if (account !== trail.ownerAccountId) {
        addTo(listedBy, account, trail);
      }
    }
    const organization = organizationOf.get(trail.ownerAccountId);
    if (typeof organization === 'string') {
      addTo(byOrganization, organization, trail);
    }
  }
  const covering = new Map<string, readonly TrailFacts[]>();
  for (const account of accounts) {
    const trails = new Set<TrailFacts>(listedBy.get(account.id) ?? []);
    if (typeof account.organizationId === 'string') {
      byOrganization.get(account.organizationId)?.forEach((trail) => {
        if (trail.ownerAccountId !== account.id) {
          trails.add(trail);
        }
      });
    }
    if (trails.size > 0) {
      covering.set(account.id, [...trails]);
    }
  }
  return covering;
}

/**
 * Every audited account's view (unreachable ones included: they have no trails), built in one
 * pass over each collection, so that the engine builds them once per evaluation, not per check.
 */
export function accountViews(facts: FactSet): ReadonlyMap<string, FactSet> {
  const accounts = auditedAccountsOf(facts);
  const regions = groupBy(facts.regions, (region) => region.ref.accountId);
  const monitoring = groupBy(facts.monitoring ?? [], (item) => item.accountId);
  const hubs = groupBy(facts.securityHubs ?? [], (hub) => hub.accountId);
  const own = groupBy<Trail>(facts.trails, (trail) => (isGap(trail) ? trail.ref.accountId : trail.ownerAccountId));
  // Organization trails credit accounts other than their owner: by listing, or by membership.
  const covering = coveringOrganizationTrails(facts);
  const withoutTrails = accountsWithoutTrails(facts);
  const views = new Map<string, FactSet>();
  for (const account of accounts) {
    const trails = new Set<Trail>([...(own.get(account.id) ?? []), ...(covering.get(account.id) ?? [])]);
    const { auditedAccounts: _audited, monitoring: _monitoring, securityHubs: _hubs, ...rest } = facts;
    views.set(account.id, {
      ...rest,
      accounts: [account.id],
      account,
      regions: regions.get(account.id) ?? [],
      // Kept in the set's order, so that findings and evidence list trails as the set does.
      trails: withAbsentOrganizationTrails(facts.trails.filter((trail) => trails.has(trail)), absentOrganizationTrails(account, withoutTrails)),
      ...(facts.monitoring === undefined ? {} : { monitoring: monitoring.get(account.id) ?? [] }),
      ...(facts.securityHubs === undefined ? {} : { securityHubs: hubs.get(account.id) ?? [] }),
    });
  }
  return views;
}

function withAbsentOrganizationTrails(trails: readonly Trail[], gap: TrailGap | undefined): readonly Trail[] {
  return gap === undefined ? trails : [...trails, gap];
}
