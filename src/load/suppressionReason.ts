/**
 * A suppression accepts a risk, and its reason is what a reviewer reads: rules.yaml and inline
 * template suppressions hold it to one rule, so neither can accept a finding with a blank or
 * one-letter reason.
 */
export const MIN_REASON_CHARACTERS = 3;

/** Why `reason` is not a usable reason, or null. */
export function reasonProblem(reason: string): string | null {
  return reason.replace(/\s/gu, '').length < MIN_REASON_CHARACTERS
    ? `reason must say why the finding is accepted (at least ${String(MIN_REASON_CHARACTERS)} characters besides spaces)`
    : null;
}
