/**
 * The organization's CloudTrail coverage, read off the CloudTrail.1 findings (one per audited
 * account): which accounts an organization trail covers, which only their own trails, which none.
 * Derived from the findings, never from facts, so the line agrees with the verdicts beside it.
 */
import type { Finding } from '../engine/types.js';
import type { ReportContext } from './types.js';

function plural(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

/** The control whose verdict says whether an account is covered (CONTROLS §1.1). */
export const COVERAGE_CONTROL = 'CloudTrail.1';

export interface Coverage {
  /** Organization trail ARN → the accounts it covers (the ones CloudTrail.1 passed on through it). */
  readonly byOrganizationTrail: ReadonlyMap<string, readonly string[]>;
  readonly ownTrailsOnly: readonly string[];
  readonly uncovered: readonly string[];
  /** CloudTrail.1 UNKNOWN (or not applicable) for an account that could be entered. */
  readonly undetermined: readonly string[];
  /** Accounts whose role could not be assumed: nothing was read there. */
  readonly roleFailed: readonly string[];
  /** Accounts whose scheduled (Lambda) batch failed or left no snapshot: nothing was read there either. */
  readonly batchFailed: readonly string[];
  /** Audited accounts without a CloudTrail.1 finding (the check was not enabled). */
  readonly notEvaluated: readonly string[];
}

/** One item of CloudTrail.1's `trails` evidence (checks/cloudtrail/CloudTrail.1.yaml). */
interface TrailEvidence {
  readonly arn?: unknown;
  readonly isOrganizationTrail?: unknown;
  readonly isMultiRegion?: unknown;
  readonly isLogging?: unknown;
  readonly 'managementEvents.allInOneSelector'?: unknown;
}

/**
 * The organization trail that made CloudTrail.1 pass, if one did: the evidence lists every trail
 * the account's view holds, and the one that counts is an organization trail meeting the check's
 * three conditions. Only literal `true` counts (an unreadable value is an object), so a trail that
 * might qualify is never named as the one covering the account.
 */
function qualifyingOrganizationTrail(finding: Finding): string | undefined {
  const trails = finding.evidence.trails;
  if (!Array.isArray(trails)) {
    return undefined;
  }
  const arns = (trails as TrailEvidence[])
    .filter(
      (trail) =>
        trail.isOrganizationTrail === true && trail.isMultiRegion === true && trail.isLogging === true && trail['managementEvents.allInOneSelector'] === true,
    )
    .map((trail) => trail.arn)
    .filter((arn): arn is string => typeof arn === 'string')
    .sort();
  return arns[0];
}

/**
 * The scheduled deployment's stand-in for an account whose Lambda batch failed or left no snapshot
 * (src/lambda/recordFailure.ts, reduce.ts): its role was never tried, so "could not be assumed"
 * would send the reader to the wrong fix.
 */
export function isBatchFailure(entry: { readonly message: string }): boolean {
  return /^Account \d{12} was not audited: the batch /u.test(entry.message);
}

export function organizationCoverage(findings: readonly Finding[], context: ReportContext): Coverage {
  const unreachable = context.scope.organization?.unreachable ?? [];
  const roleFailed = new Set(unreachable.filter((entry) => !isBatchFailure(entry)).map((entry) => entry.accountId));
  const batchFailed = new Set(unreachable.filter(isBatchFailure).map((entry) => entry.accountId));
  const verdicts = new Map<string, Finding>();
  for (const finding of findings) {
    if (finding.control === COVERAGE_CONTROL && finding.resource.accountId !== null) {
      verdicts.set(finding.resource.accountId, finding);
    }
  }
  const byTrail = new Map<string, string[]>();
  const coverage = { ownTrailsOnly: [] as string[], uncovered: [] as string[], undetermined: [] as string[], roleFailed: [] as string[], batchFailed: [] as string[], notEvaluated: [] as string[] };
  for (const account of context.scope.accounts) {
    const finding = verdicts.get(account);
    if (roleFailed.has(account)) {
      coverage.roleFailed.push(account);
    } else if (batchFailed.has(account)) {
      coverage.batchFailed.push(account);
    } else if (finding === undefined) {
      coverage.notEvaluated.push(account);
    } else if (finding.status === 'PASS') {
      const trail = qualifyingOrganizationTrail(finding);
      if (trail === undefined) {
        coverage.ownTrailsOnly.push(account);
      } else {
        byTrail.set(trail, [...(byTrail.get(trail) ?? []), account]);
      }
    } else if (finding.status === 'FAIL') {
      coverage.uncovered.push(account);
    } else {
      coverage.undetermined.push(account);
    }
  }
  return { byOrganizationTrail: byTrail, ...coverage };
}

/**
 * "N accounts covered by organization trail X, M by their own trails only, K uncovered, J not
 * audited: role failed." (the issue's wording), with the rarer parts only when they occur; `code`
 * renders an ARN for the place the sentence lands in.
 */
export function coverageSentence(coverage: Coverage, code: (value: string) => string = (value) => value): string {
  const parts: string[] = [];
  const trails = [...coverage.byOrganizationTrail].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  trails.forEach(([arn, accounts], index) => {
    parts.push(`${index === 0 ? plural(accounts.length, 'account') : String(accounts.length)} covered by organization trail ${code(arn)}`);
  });
  if (trails.length === 0) {
    parts.push(`${plural(0, 'account')} covered by an organization trail`);
  }
  parts.push(`${coverage.ownTrailsOnly.length} by their own trails only`, `${coverage.uncovered.length} uncovered`);
  if (coverage.undetermined.length > 0) {
    parts.push(`${coverage.undetermined.length} undetermined (${COVERAGE_CONTROL} UNKNOWN)`);
  }
  parts.push(`${coverage.roleFailed.length} not audited: role failed`);
  if (coverage.batchFailed.length > 0) {
    parts.push(`${coverage.batchFailed.length} not audited: batch failed`);
  }
  if (coverage.notEvaluated.length > 0) {
    parts.push(`${coverage.notEvaluated.length} without a ${COVERAGE_CONTROL} verdict (check not enabled)`);
  }
  return `${parts.join(', ')}.`;
}
