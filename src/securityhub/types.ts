/**
 * The Security Hub round trip's contract (issue 14): how the import reaches Security Hub as each
 * account, what it reports back, and the shapes the CLI, the compare command and the Lambda
 * handlers share. The planner (archivePlan.ts) is pure; everything here that calls AWS lives in
 * importRun.ts (import, archive) and access.ts (credentials per account).
 */
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { CredentialsInput } from '../collect/live/clients.js';
import type { Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';
import type { ArchivePlan } from './archivePlan.js';
import type { WireLimits } from './wirePacing.js';

/** A Security Hub client acting as one account in one Region, or why there is none. */
export type HubClient =
  | { readonly ok: true; readonly client: SecurityHubClient }
  | {
      readonly ok: false;
      /** AWS's error code (AccessDenied, …) or `no_role` when no role is configured for another account. */
      readonly code: string;
      readonly message: string;
    };

/**
 * How to reach Security Hub as an account: the caller's own credentials for its own account, an
 * assumed role (`--security-hub-role-name`, default the audit's `--role-name`) for any other.
 * Security Hub takes a default-product finding only from the account it names (AwsAccountId).
 */
export interface HubAccess {
  /** The account whose credentials the run has (sts:GetCallerIdentity). */
  readonly callerAccountId: string;
  readonly partition: string;
  /** Cached per (account, Region); a role is assumed once per account. */
  client(accountId: string, region: string): Promise<HubClient>;
  /** Releases every client and connection. */
  close(): void;
}

export interface HubAccessOptions {
  readonly profile?: string;
  /** Every call to this endpoint (moto); also AWS_ENDPOINT_URL, resolved by the caller. */
  readonly endpointUrl?: string;
  /** Role assumed in accounts other than the caller's; undefined: only the caller's own account. */
  readonly roleName?: string;
  readonly externalId?: string;
  readonly roleSessionName?: string;
  /** Region of the caller's STS calls (default: the credential chain's Region). */
  readonly region?: string;
  /** Attempts per call, first included (the SDK's adaptive retries; default the audit's 5). */
  readonly maxAttempts?: number;
  /** Explicit caller credentials instead of the profile / default chain (tests, the Lambda's own role). */
  readonly credentials?: CredentialsInput;
  /** Requests per second sent to one (account, Region) (wirePacing.ts; tests shorten the interval). */
  readonly wireLimits?: WireLimits;
}

/** Where an import could not do what it planned, and which findings that left out. */
export interface ImportFailure {
  readonly accountId: string;
  readonly region: string;
  /**
   * - `access`: no client for the account (role not assumable, no role for another account);
   * - `read_previous`: GetFindings failed, so nothing is sent there (a blind import would reset
   *   CreatedAt / FirstObservedAt, and nothing can be archived safely);
   * - `not_enabled`: Security Hub is not enabled there (InvalidAccessException);
   * - `import` / `archive`: BatchImportFindings failed, or listed these findings in FailedFindings
   *   after the retries;
   * - `newer_run`: Security Hub holds findings of ours that a later run imported or archived
   *   (their `trailaudit/EvaluatedAt` is after this run's observation time): this run is older, and
   *   nothing was sent anywhere (`findingIds` are the newer findings).
   */
  readonly stage: 'access' | 'read_previous' | 'not_enabled' | 'import' | 'archive' | 'newer_run';
  readonly code: string;
  readonly message: string;
  /** Ids of the findings not imported (or not archived) because of this failure. */
  readonly findingIds: readonly string[];
}

export interface ImportRequest {
  /** This run's findings and report context (scope: accounts, Regions, checks that ran). */
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
  /** `--security-hub-region`: where findings without a Region of their own go. */
  readonly accountLevelRegion: string;
  /** Time of this import (UpdatedAt); the findings were observed at context.finishedAt. */
  readonly now: Date;
  /** Read previous findings and plan, but send nothing. */
  readonly dryRun: boolean;
  readonly access: HubAccess;
  /** One line per step for stderr (e.g. "123456789012 us-east-1: 42 imported, 3 archived"). */
  readonly onNotice?: (message: string) => void;
}

/** Per (account, Region) counts, for the CLI's summary and the Lambda's return value. */
export interface ImportTargetSummary {
  readonly accountId: string;
  readonly region: string;
  readonly imported: number;
  readonly archived: number;
  readonly kept: number;
  readonly failed: number;
}

export interface ImportOutcome {
  /**
   * What was sent (or, with dryRun, would have been), from the planner: the imports and archives
   * of the targets whose previous findings were read (the others' are in `failures`).
   */
  readonly plan: ArchivePlan;
  /** Findings Security Hub accepted (0 with dryRun). */
  readonly imported: number;
  readonly archived: number;
  /** Per target; with dryRun the counts are what would be imported and archived. */
  readonly targets: readonly ImportTargetSummary[];
  /** Empty when everything planned was done; otherwise the CLI exits 2 and lists them. */
  readonly failures: readonly ImportFailure[];
  /** Security Hub API calls made, by operation (GetFindings, BatchImportFindings). */
  readonly calls: Readonly<Record<string, number>>;
}
