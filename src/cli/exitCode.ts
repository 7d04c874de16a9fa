import type { Finding, Severity } from '../engine/types.js';
import { isBlocking, isOpenUnknown } from '../report/common.js';

/** DESIGN §1 exit codes. */
export const EXIT = { ok: 0, failures: 1, badInput: 2, incomplete: 3 } as const;

/**
 * 1 if an unsuppressed FAIL is at or above the threshold; otherwise 3 if any unsuppressed verdict
 * is UNKNOWN, whatever its severity (unless allowed); otherwise 0. The threshold applies to
 * failures only: DESIGN §1 defines 3 as "some verdicts are UNKNOWN", an incomplete audit, and a
 * scheduled audit or a CI gate must not read an incomplete audit as a clean one.
 */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity, allowUnknown: boolean): number {
  // The same predicates decide the reports' "Result" line, so the two cannot disagree.
  if (findings.some((finding) => isBlocking(finding, failOn))) {
    return EXIT.failures;
  }
  if (!allowUnknown && findings.some(isOpenUnknown)) {
    return EXIT.incomplete;
  }
  return EXIT.ok;
}
