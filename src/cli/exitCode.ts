import { SEVERITIES, type Finding, type Severity } from '../engine/types.js';

/** DESIGN §1 exit codes. */
export const EXIT = { ok: 0, failures: 1, badInput: 2, incomplete: 3 } as const;

export function atOrAbove(severity: string, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity.toLowerCase() as Severity) >= SEVERITIES.indexOf(threshold);
}

/**
 * 1 if an unsuppressed FAIL is at or above the threshold; otherwise 3 if an unsuppressed UNKNOWN
 * at or above the threshold could be hiding one (unless allowed); otherwise 0.
 */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity, allowUnknown: boolean): number {
  const counted = findings.filter((finding) => finding.suppressed === null && atOrAbove(finding.severity, failOn));
  if (counted.some((finding) => finding.status === 'FAIL')) {
    return EXIT.failures;
  }
  if (!allowUnknown && counted.some((finding) => finding.status === 'UNKNOWN')) {
    return EXIT.incomplete;
  }
  return EXIT.ok;
}
