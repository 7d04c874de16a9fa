/** What a `test-checks` run reports (apart from suite.ts, so printing them loads no tester). */

/**
 * One line of the run. `case` is the case's name, or `(case table)` / `(coverage)` for what a
 * check's table as a whole lacks. `pending`: a case marked pending that still fails, as expected.
 */
export interface CaseResult {
  readonly check: string;
  readonly case: string;
  readonly kind: string;
  readonly outcome: 'passed' | 'failed' | 'pending';
  /** Why it failed (expected vs actual findings), or the pending reason. */
  readonly detail: string | null;
}

export const NO_TABLE = '(case table)';
export const COVERAGE = '(coverage)';
/** The `kind` of a result about a check's table as a whole rather than one of its cases. */
export const TABLE_KIND = '-';
