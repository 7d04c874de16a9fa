import { SEVERITIES, type Finding, type Severity } from '../engine/types.js';

/** DESIGN §1 exit codes. */
export const EXIT = { ok: 0, failures: 1, badInput: 2, incomplete: 3 } as const;

export function atOrAbove(severity: string, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity.toLowerCase() as Severity) >= SEVERITIES.indexOf(threshold);
}

/**
 * 1 if an unsuppressed FAIL is at or above the threshold; otherwise 3 if any unsuppressed verdict
 * is UNKNOWN, whatever its severity (unless allowed); otherwise 0. The threshold applies to
 * failures only: DESIGN §1 defines 3 as "some verdicts are UNKNOWN", an incomplete audit, and a
 * scheduled audit or a CI gate must not read an incomplete audit as a clean one.
 */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity, allowUnknown: boolean): number {
  const open = findings.filter((finding) => finding.suppressed === null);
  if (open.some((finding) => finding.status === 'FAIL' && atOrAbove(finding.severity, failOn))) {
    return EXIT.failures;
  }
  if (!allowUnknown && open.some((finding) => finding.status === 'UNKNOWN')) {
    return EXIT.incomplete;
  }
  return EXIT.ok;
}
