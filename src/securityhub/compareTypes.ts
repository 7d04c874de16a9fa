/**
 * The shapes of `trailaudit security-hub compare` (issue 14): Security Hub's own control findings
 * as the compare reads them, and the rows it writes to `trailaudit-compare.json`.
 *
 * Status mapping (documented in the README, "Comparing with Security Hub"):
 *
 * | trailaudit \ Security Hub | PASSED | FAILED | WARNING, NOT_AVAILABLE | no finding | could not be read |
 * |---|---|---|---|---|---|
 * | PASS | agree | disagree | inconclusive | only_trailaudit | unreadable |
 * | FAIL | disagree | agree | inconclusive | only_trailaudit | unreadable |
 * | UNKNOWN | inconclusive | inconclusive | inconclusive | only_trailaudit | unreadable |
 * | NOT_APPLICABLE | disagree | disagree | inconclusive | agree | unreadable |
 * | no finding | only_security_hub | only_security_hub | only_security_hub | — | — |
 *
 * `agree` is true for `agree`, false for `disagree`, and null for everything else: a side that
 * could not decide (UNKNOWN, WARNING, NOT_AVAILABLE), was not read, or has no finding is never
 * counted as an agreement or a disagreement.
 */

/** Compliance.Status values Security Hub writes on its control findings. */
export const HUB_STATUSES = ['PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE'] as const;
export type HubStatus = (typeof HUB_STATUSES)[number];

/** One of Security Hub's own control findings, as the compare uses it. */
export interface HubControlFinding {
  /** Compliance.SecurityControlId (CloudTrail.1, S3.22 …). */
  readonly control: string;
  readonly accountId: string;
  /** The Region Security Hub holds the finding in. */
  readonly region: string;
  /** Resources[0].Id as Security Hub wrote it; '' when it names none (such a finding is counted, never compared). */
  readonly resourceId: string;
  readonly resourceType: string;
  readonly status: HubStatus;
  /** UpdatedAt: when Security Hub last evaluated (or updated) the finding. */
  readonly updatedAt: string | null;
  /** Security Hub's finding Id, so a reader can find it in the console. */
  readonly id: string;
}

/** Where Security Hub's findings are read: one account in one Region. */
export interface HubTarget {
  readonly accountId: string;
  readonly region: string;
}

/** A target whose findings could not be read, and why (AWS's error code, or `no_role`, `not_enabled`). */
export interface UnreadableTarget extends HubTarget {
  readonly code: string;
  readonly message: string;
}

export type Comparison = 'agree' | 'disagree' | 'inconclusive' | 'only_trailaudit' | 'only_security_hub' | 'unreadable';

export const KNOWN_REASON_CODES = [
  'organization_trail',
  'shadow_trail',
  'advanced_event_selector',
  'default_event_selector',
  'monitoring_home_region',
  'pattern_set',
  'cross_account_bucket',
  'trail_stopped_logging',
  'stale',
] as const;
export type KnownReasonCode = (typeof KNOWN_REASON_CODES)[number];

/** Why the two sides are known to differ, derived from our finding's evidence and Security Hub's finding. */
export interface KnownReason {
  readonly code: KnownReasonCode;
  readonly explanation: string;
}

export interface CompareRow {
  /** Security Hub's control id (our check's `frameworks.securityhub` mapping). */
  readonly control: string;
  /** Our check that mapped to it; null for a row only Security Hub has. */
  readonly checkId: string | null;
  /** Our resource id (ARN, `arn:aws:s3:::name`, or the account id for account-level controls), else Security Hub's. */
  readonly resourceId: string;
  readonly accountId: string;
  /** A Region, or `global` for our account-level verdict where Security Hub has no per-Region finding. */
  readonly region: string;
  readonly trailaudit: 'PASS' | 'FAIL' | 'UNKNOWN' | 'NOT_APPLICABLE' | null;
  readonly securityHub: HubStatus | 'UNREADABLE' | null;
  readonly comparison: Comparison;
  readonly agree: boolean | null;
  /** Our UNKNOWN's reason (access_denied, cross_account, …). */
  readonly reason: string | null;
  /** Our message and evidence, on every row that is not an agreement. */
  readonly message: string | null;
  readonly evidence: Readonly<Record<string, unknown>> | null;
  readonly securityHubFindingId: string | null;
  readonly securityHubUpdatedAt: string | null;
  /**
   * Security Hub's other findings of the same control and resource (older copies, standard-scoped
   * copies while consolidated control findings are off); the row compares the latest.
   */
  readonly otherSecurityHubFindings: readonly { readonly id: string; readonly region: string; readonly status: HubStatus; readonly updatedAt: string | null }[];
  /** Why Security Hub could not be read there (comparison `unreadable`). */
  readonly unreadable: { readonly code: string; readonly message: string } | null;
  readonly knownReason: KnownReason | null;
}

export interface CompareSummary {
  readonly rows: number;
  readonly agree: number;
  readonly disagree: number;
  readonly inconclusive: number;
  readonly onlyTrailaudit: number;
  readonly onlySecurityHub: number;
  readonly unreadable: number;
}

export interface CompareScope {
  readonly accounts: readonly string[];
  /** The report's audited Regions. */
  readonly regions: readonly string[];
  /** Every (account, Region) whose findings were asked for. */
  readonly targets: readonly HubTarget[];
  /** Security Hub control ids compared. */
  readonly controls: readonly string[];
  readonly unreadable: readonly UnreadableTarget[];
  /** Ids of Security Hub's control findings left out because their Resources[0].Id is empty or missing. */
  readonly withoutResourceId: readonly string[];
}

export interface CompareResult {
  readonly schemaVersion: 1;
  readonly report: { readonly file: string; readonly startedAt: string; readonly finishedAt: string };
  readonly readAt: string;
  readonly scope: CompareScope;
  readonly summary: CompareSummary;
  readonly rows: readonly CompareRow[];
}
