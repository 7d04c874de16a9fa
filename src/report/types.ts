import type { HistoryAnnotations } from '../history/record.js';
import type { InputIssue } from '../errors.js';
import type { FactSource, ShardSpec, SkippedAccount } from '../facts/model.js';
import type { CheckDefinition, Finding, Severity, SuppressionRecord } from '../engine/types.js';
import type { ReportFormat } from './formats.js';

/** A previous run's JSON report, as read back for `--baseline` (only what the diff needs). */
export interface BaselineReport {
  readonly file: string;
  readonly finishedAt: string;
  readonly findings: readonly Pick<Finding, 'control' | 'status' | 'resource' | 'message' | 'suppressed'>[];
}

/** Everything a formatter may show besides the findings themselves. */
export interface ReportContext {
  readonly tool: { readonly name: string; readonly version: string };
  readonly scope: {
    readonly source: FactSource;
    readonly accounts: readonly string[];
    readonly regions: readonly string[];
    /**
     * Live audits: true when `regions` are every Region enabled in each audited account (no
     * --regions), false for a --regions selection; absent when the facts do not say (older
     * snapshots, IaC). The Security Hub import archives a log bucket's finding only when true.
     */
    readonly allRegions?: boolean;
    /** Who ran a live audit (the caller's ARN from sts:GetCallerIdentity); absent for IaC. */
    readonly principalArn?: string;
    /** Files scanned (IaC) or the snapshot evaluated; empty for a live audit. */
    readonly inputs: readonly string[];
    /** `--framework` (src/load/frameworks.ts): only checks mapped to it were evaluated. */
    readonly framework?: string;
    /** Organization audits (and evaluations of their snapshots): see {@link OrganizationScope}. */
    readonly organization?: OrganizationScope;
  };
  readonly startedAt: string;
  readonly finishedAt: string;
  /**
   * When the facts were collected (FactSet.collectedAt: a live audit's start; the earliest of
   * several snapshots): when the verdicts were observed, which `evaluate` of an old snapshot
   * makes earlier than `startedAt`. Absent in reports written before it existed.
   */
  readonly collectedAt?: string;
  readonly stats: { readonly apiCalls: Readonly<Record<string, number>>; readonly durationMs: number };
  /** The enabled checks (effective severity applied), so reports list controls without findings too. */
  readonly checks: readonly CheckDefinition[];
  /**
   * The parameter values each enabled check ran with (defaults merged with rules.yaml overrides),
   * by check id; only checks that declare parameters have an entry.
   */
  readonly checkParameters: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The engine's suppression register: every configured suppression with its state and matches. */
  readonly suppressions: readonly SuppressionRecord[];
  readonly failOn: Severity;
  /** --allow-unknown: the user accepts an incomplete audit (exit 0 instead of 3). */
  readonly allowUnknown: boolean;
  readonly baseline: BaselineReport | null;
  /** --history: each finding's firstSeen/failingSince and the report's history section. */
  readonly history?: HistoryAnnotations;
  /**
   * Scan only: files that could not be scanned (syntax errors, neither a template nor a plan,
   * unsupported plan version). The findings cover the other files, so every report says which.
   */
  readonly inputErrors?: readonly InputIssue[];
}

/**
 * The organization part of a report's scope (CONTRACT, issue 13): built by the CLI pipeline from
 * the fact set's `organization` and `auditedAccounts`.
 */
export interface OrganizationScope {
  readonly id: string | null;
  readonly managementAccountId: string | null;
  readonly callerAccountId: string;
  readonly roleName: string;
  /** Account id → name, for the accounts whose name discovery reported. */
  readonly accountNames: Readonly<Record<string, string>>;
  readonly skipped: readonly SkippedAccount[];
  /** Audited accounts that could not be entered (their controls are UNKNOWN with this detail). */
  readonly unreachable: readonly { readonly accountId: string; readonly reason: string; readonly message: string }[];
  readonly shard?: ShardSpec;
  readonly shards?: readonly ShardSpec[];
  /** Accounts in scope before sharding (the whole list), when it differs from `scope.accounts`. */
  readonly accountsInScope: number;
  /** The accounts came from the whole organization (--org without --ou or --accounts); absent when not recorded. */
  readonly wholeOrganization?: boolean;
}

/** A formatter is a pure function: no I/O, no clock, no environment. */
export type Formatter = (findings: readonly Finding[], context: ReportContext) => string;

export type FormatterRegistry = Readonly<Record<ReportFormat, Formatter>>;
