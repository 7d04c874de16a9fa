/**
 * The answer a human-readable report leads with, computed once for every reporter (Markdown,
 * HTML) so that they cannot disagree with each other or with the exit code: the result, the
 * counts, the failures most severe first, the audit gaps and the accepted risks.
 */
import type { Finding } from '../engine/types.js';
import { countFindings, isBlocking, isOpenUnknown, mostSevereFirst, type SeverityOrderKeys, type StatusCounts } from './common.js';
import { jsonEvidenceSha256 } from './evidence.js';
import type { ReportContext } from './types.js';

/**
 * FAIL: an unsuppressed failure at or above `--fail-on` (exit 1). INCOMPLETE: none, but an open
 * UNKNOWN (exit 3, or 0 with --allow-unknown). PASS_WITH_ACCEPTED_RISKS: suppressed failures only.
 * PASS otherwise; failures below the threshold are counted in `belowThreshold`, never hidden.
 */
export type ReportResult = 'FAIL' | 'INCOMPLETE' | 'PASS_WITH_ACCEPTED_RISKS' | 'PASS';

export interface ReportOverview {
  readonly result: ReportResult;
  readonly counts: StatusCounts;
  /** Unsuppressed FAILs at or above --fail-on (they set exit code 1). */
  readonly blocking: number;
  /** Unsuppressed FAILs below --fail-on: reported, not failing the run. */
  readonly belowThreshold: number;
  /** Unsuppressed FAILs, most severe first, then by control, account, Region and resource id. */
  readonly failures: readonly Finding[];
  /** Open (unsuppressed) UNKNOWNs in the same order: the audit gaps, never part of a pass rate. */
  readonly gaps: readonly Finding[];
  /** Suppressed FAILs (accepted risks) in the same order. */
  readonly acceptedRisks: readonly Finding[];
  /** PASS / (PASS + FAIL) over evaluated verdicts, in percent with one decimal; null when none. */
  readonly passRate: number | null;
  /** SHA-256 (hex) of `trailaudit.json` as written for this run. */
  readonly evidenceSha256: string;
}

function orderKeys(finding: Finding): SeverityOrderKeys {
  const { resource } = finding;
  return { severity: finding.severity, control: finding.control, accountId: resource.accountId, region: resource.region, resourceId: resource.id };
}

/** {@link mostSevereFirst} for findings. */
export function bySeverity(a: Finding, b: Finding): number {
  return mostSevereFirst(orderKeys(a), orderKeys(b));
}

export function reportOverview(findings: readonly Finding[], context: ReportContext): ReportOverview {
  const counts = countFindings(findings);
  const failures = findings.filter((f) => f.status === 'FAIL' && f.suppressed === null).sort(bySeverity);
  const blocking = failures.filter((f) => isBlocking(f, context.failOn)).length;
  const gaps = findings.filter(isOpenUnknown).sort(bySeverity);
  const acceptedRisks = findings.filter((f) => f.status === 'FAIL' && f.suppressed !== null).sort(bySeverity);
  const result: ReportResult = blocking > 0 ? 'FAIL' : gaps.length > 0 ? 'INCOMPLETE' : acceptedRisks.length > 0 ? 'PASS_WITH_ACCEPTED_RISKS' : 'PASS';
  const decided = counts.PASS + counts.FAIL;
  return {
    result,
    counts,
    blocking,
    belowThreshold: failures.length - blocking,
    failures,
    gaps,
    acceptedRisks,
    passRate: decided === 0 ? null : Math.round((counts.PASS / decided) * 1000) / 10,
    evidenceSha256: jsonEvidenceSha256(findings, context),
  };
}
