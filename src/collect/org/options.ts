/**
 * What an organization audit is asked to cover (CONTRACT, issue 13): the options of `audit`
 * that choose accounts and how to enter them, as the CLI hands them to the collector, and the
 * account list discovery makes of them.
 */
import type { ShardSpec, SkippedAccount } from '../../facts/organization.js';

export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_ROLE_SESSION_NAME = 'trailaudit';

export interface OrganizationScopeOptions {
  /** --org: discover the accounts with organizations:ListAccounts from the caller. */
  readonly org: boolean;
  /** --ou: only accounts under these OUs (recursively); implies discovery. */
  readonly organizationalUnits?: readonly string[];
  /** --accounts and the ids of --accounts-file, united (the CLI reads and validates the file). */
  readonly accounts?: readonly string[];
  /**
   * Accounts an --accounts-file lists as not ACTIVE (list-accounts JSON), when there is no
   * discovery to report them: listed in the report as skipped, with their state.
   */
  readonly skippedByList?: readonly SkippedAccount[];
  /** --exclude-accounts. */
  readonly excludeAccounts?: readonly string[];
  /** --role-name (default {@link DEFAULT_ROLE_NAME}). */
  readonly roleName: string;
  readonly externalId?: string;
  /** --role-session-name (default {@link DEFAULT_ROLE_SESSION_NAME}). */
  readonly roleSessionName: string;
  /** --account-concurrency: accounts collected at once (default chosen by measurement). */
  readonly accountConcurrency?: number;
  /** --shard K/N. */
  readonly shard?: ShardSpec;
  /**
   * --log-archive-account: accounts (of the list in scope) whose buckets trails deliver to. A
   * trail's bucket owned by an audited account is found without it (that account's ListBuckets);
   * a shard needs it when the log archive is audited in another shard, so that it can still read
   * the bucket with the owner's credentials (one AssumeRole and ListBuckets more per shard).
   */
  readonly logArchiveAccounts?: readonly string[];
}

/** One account of the list to audit. */
export interface AccountEntry {
  readonly id: string;
  readonly name?: string;
  /**
   * The organization's own listing (ListAccounts, or DescribeOrganization for the caller) shows
   * the account as a member, so an organization trail of that organization covers it even where
   * the account does not list the trail. An account only named by --accounts is not known to be a
   * member: it is credited by what it lists, never by an assumed membership.
   */
  readonly member?: true;
}

/** The accounts discovery settled on (src/collect/org/discovery.ts). */
export interface AccountPlan {
  readonly organizationId: string | null;
  readonly managementAccountId: string | null;
  /** Every account in scope (filters and exclusions applied, before sharding), sorted by id. */
  readonly inScope: readonly AccountEntry[];
  /** This run's part: `inScope`, or its shard. */
  readonly audited: readonly AccountEntry[];
  readonly skipped: readonly SkippedAccount[];
}
