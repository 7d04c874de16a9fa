import type { FactNeed, ResourceRef, SourceLocation, UnknownDetail, UnknownReason } from '../facts/model.js';

export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];

export type Status = 'PASS' | 'FAIL' | 'UNKNOWN' | 'NOT_APPLICABLE';
export const STATUSES: readonly Status[] = ['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE'];

export type CheckScope = 'resource' | 'region' | 'account';

/* ------------------------------------------------------------------ condition language */

/** Closed operator set; the check schema's `op` enum is checked against this list by a test. */
export type Operator =
  | 'eq'
  | 'ne'
  | 'in'
  | 'notIn'
  | 'exists'
  | 'notExists'
  | 'empty'
  | 'notEmpty'
  | 'contains'
  | 'containsAll'
  | 'containsAny'
  | 'startsWith'
  | 'matches'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte';

/**
 * Leaf: compare the value at `path` with `value` (a literal or `{{param.x}}`) or with the value
 * at `ref` (another path). Paths are dotted, relative to the current item; `$.` starts at the
 * fact set root and `^.` at the enclosing item (inside a quantifier).
 */
export interface LeafCondition {
  readonly path: string;
  readonly op: Operator;
  readonly value?: unknown;
  readonly ref?: string;
}

/** Quantifier over a collection: `in` is a path to an array; `where` filters; `match` is tested. */
export interface Quantified {
  readonly in: string;
  readonly where?: Condition;
  readonly match?: Condition;
}

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly some: Quantified }
  | { readonly every: Quantified }
  | { readonly none: Quantified }
  | LeafCondition;

/* ------------------------------------------------------------------ checks */

export type ParameterType = 'string' | 'string[]' | 'integer' | 'boolean';

export interface ParameterDefinition {
  readonly type: ParameterType;
  readonly description: string;
  readonly default: string | readonly string[] | number | boolean;
  readonly maxItems?: number;
  /** integer parameters: the smallest value allowed. */
  readonly minimum?: number;
  readonly pattern?: string;
}

export interface Remediation {
  readonly text: string;
  readonly cli: string;
  readonly cloudformation: string;
  readonly terraform: string;
  readonly url: string;
}

/**
 * A fact path copied as is, or a projection: `fields` of every item at `path`. A projection's
 * `where` keeps only the items it is not false for (evaluated on each item, `^.` = the finding's
 * item), so a Region-level finding names the trails that cover its Region, not every trail of the
 * account; an item it cannot decide for stays, as a gap may be the reason for the verdict.
 */
export type EvidenceSpec = string | { readonly path: string; readonly label?: string; readonly where?: Condition; readonly fields: readonly string[] };

export interface CheckNote {
  readonly when: Condition;
  /** A message template, like the messages. */
  readonly text: string;
}

export interface CheckDefinition {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly resourceType: string;
  readonly scope: CheckScope;
  /** Path to the collection iterated (or a single object: account). */
  readonly given: string;
  /**
   * The items of `given` this check is about (`$.monitoring` holds every monitoring control's):
   * an item for which it is false gives no finding at all; unknown keeps the item (never hides one).
   */
  readonly select?: Condition;
  /** Applicability: items for which it is false are NOT_APPLICABLE. */
  readonly where?: Condition;
  readonly assert: Condition;
  readonly parameters: Readonly<Record<string, ParameterDefinition>>;
  readonly messages: {
    readonly pass: string;
    readonly fail: string;
    readonly notApplicable: string;
    /** Used when the collection is empty (no trails, no event data stores). */
    readonly none: string;
    readonly unknown: string;
  };
  /**
   * Sentences added to a PASS or FAIL message when their condition is true for the item (a
   * warning the status cannot carry, e.g. a log bucket that logs to itself). A note whose
   * condition is false or unknown adds nothing: notes never change a status.
   */
  readonly notes?: readonly CheckNote[];
  /** Paths copied into every finding's evidence; a projection lists fields of each collection item. */
  readonly evidence: readonly EvidenceSpec[];
  readonly remediation: Remediation;
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly needs: readonly FactNeed[];
  readonly permissions: readonly string[];
}

/* ------------------------------------------------------------------ configuration (rules.yaml) */

export interface Suppression {
  readonly check: string;
  /** Glob over resource ids (picomatch); default '*'. */
  readonly resource: string;
  /** Optional glob over the finding's region (CloudTrail.3 findings share the account id). */
  readonly region?: string;
  /** Only findings located in this file (IaC inline suppressions, e.g. CloudFormation Metadata). */
  readonly file?: string;
  readonly reason: string;
  /** YYYY-MM-DD, inclusive. */
  readonly expires: string;
}

export interface CheckOverride {
  readonly enabled: boolean;
  readonly severity?: Severity;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/* ------------------------------------------------------------------ findings */

export interface SuppressionMark {
  readonly reason: string;
  readonly expires: string;
  readonly resource: string;
}

export interface Finding {
  readonly checkId: string;
  readonly control: string;
  readonly title: string;
  /** Upper case in reports, as Security Hub writes it. */
  readonly severity: Uppercase<Severity>;
  readonly status: Status;
  readonly reason: UnknownReason | null;
  readonly resource: ResourceRef;
  /** IaC: the offending property if known, else the resource's position; null for live findings. */
  readonly location: SourceLocation | null;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Remediation command with the resource filled in (or the remediation text). */
  readonly remediation: string;
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly suppressed: SuppressionMark | null;
  /** For UNKNOWN: every fact that could not be read, with the permission or account needed. */
  readonly unknowns: readonly UnknownDetail[];
}

export type SuppressionState = 'active' | 'expired' | 'unused';

/**
 * One configured suppression and what it did in this run, so that reports show the register
 * without matching suppressions again. `active`: accepted at least one failure; `expired`: past
 * its date, applied to nothing; `unused`: accepted no failure (it may still have matched findings
 * it cannot accept: UNKNOWN, PASS, NOT_APPLICABLE).
 */
export interface SuppressionRecord {
  readonly suppression: Suppression;
  readonly state: SuppressionState;
  /** Every finding it matched, whatever its status, as it appears in `Evaluation.findings`. */
  readonly matched: readonly Finding[];
}

export interface Evaluation {
  readonly findings: readonly Finding[];
  /** Every configured suppression, in configuration order, exact duplicates listed once. */
  readonly suppressions: readonly SuppressionRecord[];
}
