/**
 * What an organization audit knows about the organization itself: its id, who ran the audit,
 * which accounts were left out and why, and which shard of the account list this set holds.
 * Kept apart from the accounts' own facts (AccountFacts in core.ts): these are not facts any
 * check judges, they are the audit's scope, shown in every report.
 */

/** Why an account of the organization (or of the list given) was not audited. */
export type SkipReason =
  /** Organizations reports it SUSPENDED (closed, or being closed): nothing can be read there. */
  | 'suspended'
  /** PENDING_CLOSURE or any other status than ACTIVE. */
  | 'not_active'
  /** Named by --exclude-accounts. */
  | 'excluded'
  /** Named by --accounts / --accounts-file with --org or --ou, but not among the accounts discovered. */
  | 'not_in_organization';

/** Every SkipReason, for the schemas' enums (test/facts/organizationSchema.test.ts keeps them equal). */
export const SKIP_REASONS: readonly SkipReason[] = ['suspended', 'not_active', 'excluded', 'not_in_organization'];

export interface SkippedAccount {
  readonly accountId: string;
  readonly name?: string;
  readonly reason: SkipReason;
  /** One sentence for the report, e.g. "SUSPENDED in organization o-abc". */
  readonly message: string;
}

/** `--shard K/N`: this set holds the K-th (1-based) of N disjoint parts of the account list. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

export interface OrganizationFacts {
  /** `o-…`; null when it could not be read (DescribeOrganization denied) or the caller is in none. */
  readonly id: string | null;
  readonly managementAccountId: string | null;
  /** The account whose credentials discovered the accounts and assumed the roles. */
  readonly callerAccountId: string;
  /**
   * The caller's principal (sts:GetCallerIdentity): who ran the audit, which `account` (the first
   * audited account, a member's assumed role when the caller's own account is not audited) does not say.
   */
  readonly callerArn?: string;
  /** The role assumed in each audited account other than the caller's (`--role-name`). */
  readonly roleName: string;
  /** Every account in scope before sharding (sorted); the audited ones are `accounts` of the set. */
  readonly accountsInScope: readonly string[];
  readonly skipped: readonly SkippedAccount[];
  /**
   * `--regions` as given (sorted); absent = each account's enabled Regions. Shards of one run share
   * it: shards read with different Regions are not one organization's facts (a Region one shard
   * never listed would be missing without a trace), so evaluate refuses them.
   */
  readonly regionsRequested?: readonly string[];
  /**
   * True when the accounts came from the whole organization (--org without --ou or --accounts):
   * with nothing skipped or unreachable and no shard, every trail of the organization was seen.
   * Absent in older snapshots (the Security Hub import then keeps what it cannot judge).
   */
  readonly wholeOrganization?: boolean;
  readonly shard?: ShardSpec;
  /**
   * Snapshots of several shards evaluated together (evaluate S1 S2 …): the shards they were, so
   * a report can say whether all of them are there.
   */
  readonly shards?: readonly ShardSpec[];
}
