/**
 * The scope half of mergeFactSets (facts/merge.ts): which accounts the sets audited, the
 * organization they belong to, the kinds they all collected, and their statistics. The resources
 * themselves are merged by mergeItems.ts.
 */
import { FACT_NEEDS, type AccountFacts, type FactNeed, type FactSet, type OrganizationFacts, type ShardSpec, type SkippedAccount } from './model.js';
import { FactSetMergeError } from './mergeError.js';

/** One input set with what the merge asks of it more than once. */
export interface MergeEntry {
  readonly set: FactSet;
  /** Its position in the caller's list (errors name it). */
  readonly index: number;
  /** The accounts this set audited (its `auditedAccounts`, or its one `account`). */
  readonly audited: readonly AccountFacts[];
  readonly auditedIds: ReadonlySet<string>;
}

export function mergeEntries(sets: readonly FactSet[]): MergeEntry[] {
  const entries = sets.map((set, index) => {
    const audited = set.auditedAccounts ?? [set.account];
    return { set, index, audited, auditedIds: new Set(audited.map((account) => account.id)) };
  });
  // The order of the files (or of the collector's accounts) must not change the result: a
  // resource two sets hold is taken from the set auditing the lowest account id first.
  return entries.sort((a, b) => compareIds(firstId(a), firstId(b)));
}

function firstId(entry: MergeEntry): string {
  return [...entry.auditedIds].sort(compareIds)[0] ?? '';
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same schema version and source everywhere: a live audit and a template scan are not one estate. */
export function checkComparable(entries: readonly MergeEntry[]): void {
  const [first] = entries;
  if (first === undefined) {
    return;
  }
  for (const entry of entries) {
    // Typed as 1, but a snapshot file can hold anything its schema version check let through.
    if ((entry.set.schemaVersion as number) !== first.set.schemaVersion) {
      throw new FactSetMergeError(
        `snapshot schema version ${String(entry.set.schemaVersion)} cannot be evaluated with version ${String(first.set.schemaVersion)}; save every shard with the same trailaudit version`,
        [first.index, entry.index],
        'schemaVersion',
      );
    }
    if (entry.set.source !== first.set.source) {
      throw new FactSetMergeError(
        `facts from source "${entry.set.source}" cannot be evaluated together with facts from source "${first.set.source}": only snapshots of live audits (audit --save-snapshot) of one organization are evaluated as one`,
        [first.index, entry.index],
        'source',
      );
    }
  }
}

/** Every audited account once, sorted by id; an account audited by two sets is an error (shards are disjoint). */
export function auditedAccounts(entries: readonly MergeEntry[]): AccountFacts[] {
  const byId = new Map<string, { readonly account: AccountFacts; readonly index: number }>();
  for (const entry of entries) {
    for (const account of entry.audited) {
      const held = byId.get(account.id);
      if (held !== undefined) {
        throw new FactSetMergeError(
          `account ${account.id} is audited in two of the sets: shards must be disjoint (the same --shard K/N twice, or two runs over overlapping account lists)`,
          [held.index, entry.index],
          'accounts',
        );
      }
      byId.set(account.id, { account, index: entry.index });
    }
  }
  return [...byId.values()].map(({ account }) => account).sort((a, b) => compareIds(a.id, b.id));
}

/** The caller's account when it was audited, else the first audited account. */
export function representativeAccount(accounts: readonly AccountFacts[], organization: OrganizationFacts | undefined): AccountFacts {
  const caller = organization === undefined ? undefined : accounts.find((account) => account.id === organization.callerAccountId);
  const chosen = caller ?? accounts[0];
  if (chosen === undefined) {
    throw new FactSetMergeError('no set audited any account', [], 'accounts');
  }
  return chosen;
}

/**
 * One organization for all the sets that name one: `skipped` and `accountsInScope` united,
 * `shards` listing every set's shard. Sets without organization facts (a single-account audit)
 * join any organization.
 */
export function mergeOrganization(entries: readonly MergeEntry[]): OrganizationFacts | undefined {
  const named = entries.filter((entry) => entry.set.organization !== undefined);
  const first = named[0];
  if (first?.set.organization === undefined) {
    return undefined;
  }
  const base = first.set.organization;
  const inScope = new Set<string>();
  const skipped = new Map<string, SkippedAccount>();
  const shards = new Map<string, ShardSpec>();
  let managementAccountId = base.managementAccountId;
  for (const entry of named) {
    const organization = entry.set.organization;
    if (organization === undefined) {
      continue;
    }
    if (organization.id !== base.id) {
      throw new FactSetMergeError(
        `the sets belong to different organizations (${String(base.id)} and ${String(organization.id)}): evaluate the snapshots of one organization together`,
        [first.index, entry.index],
        'organization.id',
      );
    }
    if (JSON.stringify(organization.regionsRequested ?? null) !== JSON.stringify(base.regionsRequested ?? null)) {
      const describe = (regions: readonly string[] | undefined): string => (regions === undefined ? "each account's enabled Regions" : `--regions ${regions.join(',')}`);
      throw new FactSetMergeError(
        `the sets were collected with different Regions (${describe(base.regionsRequested)} and ${describe(organization.regionsRequested)}): a Region one of them never read would be missing without a trace; collect every shard with the same --regions`,
        [first.index, entry.index],
        'organization.regionsRequested',
      );
    }
    managementAccountId ??= organization.managementAccountId;
    organization.accountsInScope.forEach((id) => inScope.add(id));
    organization.skipped.forEach((account) => skipped.set(account.accountId, skipped.get(account.accountId) ?? account));
    for (const shard of [...(organization.shard === undefined ? [] : [organization.shard]), ...(organization.shards ?? [])]) {
      const other = [...shards.values()].find((held) => held.count !== shard.count);
      if (other !== undefined) {
        // Parts of different partitions overlap and leave gaps: no set of them is an organization.
        throw new FactSetMergeError(
          `the sets are shards of different partitions (${String(other.index)}/${String(other.count)} and ${String(shard.index)}/${String(shard.count)}): evaluate the N shards of one run with --shard K/N together`,
          [first.index, entry.index],
          'organization.shard',
        );
      }
      shards.set(`${String(shard.index)}/${String(shard.count)}`, shard);
    }
  }
  // Accounts audited by a set without organization facts are in scope too.
  for (const entry of entries) {
    entry.auditedIds.forEach((id) => inScope.add(id));
  }
  const { shard: _shard, shards: _shards, wholeOrganization: _whole, ...rest } = base;
  const shardList = [...shards.values()].sort((a, b) => a.count - b.count || a.index - b.index);
  // The whole organization only if every set says so: one collected with --ou or --accounts (or
  // by a version that did not record it) narrows the union, and a log bucket's findings must then
  // not be archived as gone (securityhub/evaluatedScope.ts).
  const whole = named.every((entry) => entry.set.organization?.wholeOrganization === true);
  return {
    ...rest,
    ...(named.some((entry) => entry.set.organization?.wholeOrganization !== undefined) ? { wholeOrganization: whole } : {}),
    managementAccountId,
    accountsInScope: [...inScope].sort(compareIds),
    skipped: [...skipped.values()].sort((a, b) => compareIds(a.accountId, b.accountId)),
    ...(shardList.length === 0 ? {} : { shards: shardList }),
  };
}

/** The kinds every set collected (a kind one set lacks is unsupported for the whole), in registry order. */
export function commonKinds(entries: readonly MergeEntry[]): FactNeed[] {
  return FACT_NEEDS.filter((need) => entries.every((entry) => entry.set.collected.includes(need)));
}

export function earliestCollectedAt(entries: readonly MergeEntry[]): string {
  return entries.map((entry) => entry.set.collectedAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

/** API calls summed; the duration of the longest set (they ran side by side). */
export function mergeStats(entries: readonly MergeEntry[]): FactSet['stats'] {
  const apiCalls: Record<string, number> = {};
  let durationMs = 0;
  for (const { set } of entries) {
    for (const [operation, count] of Object.entries(set.stats.apiCalls)) {
      apiCalls[operation] = (apiCalls[operation] ?? 0) + count;
    }
    durationMs = Math.max(durationMs, set.stats.durationMs);
  }
  const sorted = Object.fromEntries(Object.entries(apiCalls).sort(([a], [b]) => compareIds(a, b)));
  return { apiCalls: sorted, durationMs };
}
