/**
 * Helpers shared by the formatters, so that every report derives counts, verdicts and the
 * suppression register the same way: a number in the Markdown table must equal the one in the
 * JSON summary and in the JUnit totals.
 */
import { SEVERITIES } from '../engine/types.js';
import type { CheckDefinition, Finding, Severity, Status } from '../engine/types.js';
import { isUnknown } from '../facts/model.js';
import type { UnknownDetail, UnknownReason } from '../facts/model.js';
import type { ReportContext } from './types.js';

export type StatusCounts = Record<Status, number> & { suppressed: number };

/**
 * A control's overall outcome; SUPPRESSED when its only failures are suppressed ones (accepted
 * risks): it is failing, with the risk accepted, and never shown as PASS.
 */
export type Verdict = Status | 'SUPPRESSED';

export interface ControlSummary extends StatusCounts {
  readonly control: string;
  readonly title: string;
  readonly severity: Uppercase<Severity>;
  readonly verdict: Verdict;
  /** The enabled check, or null for findings of a check the context does not list. */
  readonly check: CheckDefinition | null;
  readonly findings: readonly Finding[];
}

export interface SuppressionEntry {
  readonly check: string;
  readonly resource: string;
  /** Region glob, when the suppression is narrowed to regions. */
  readonly region?: string;
  /** The template of an inline suppression (it applies to findings located in that file only). */
  readonly file?: string;
  readonly reason: string;
  readonly expires: string;
  readonly state: 'active' | 'expired' | 'unused';
  /** Findings it matched, whatever their status. */
  readonly matched: number;
  /** UNKNOWN findings among them: a suppression accepts failures, never an undetermined verdict. */
  readonly unknownMatched: number;
}

export function emptyCounts(): StatusCounts {
  return { PASS: 0, FAIL: 0, UNKNOWN: 0, NOT_APPLICABLE: 0, suppressed: 0 };
}

/** Suppressed findings keep their status (DESIGN §2) and are counted once more under `suppressed`. */
export function countFindings(findings: readonly Finding[]): StatusCounts {
  const counts = emptyCounts();
  for (const finding of findings) {
    counts[finding.status] += 1;
    if (finding.suppressed !== null) {
      counts.suppressed += 1;
    }
  }
  return counts;
}

function verdictOf(findings: readonly Finding[]): Verdict {
  const active = findings.filter((f) => f.suppressed === null);
  // Order matters: one failing resource fails the control, a gap outranks the rest (never a false
  // PASS), and an accepted failure outranks a pass (it is still a failure).
  for (const status of ['FAIL', 'UNKNOWN'] as const) {
    if (active.some((f) => f.status === status)) {
      return status;
    }
  }
  if (findings.some((f) => f.suppressed !== null)) {
    return 'SUPPRESSED';
  }
  return active.some((f) => f.status === 'PASS') ? 'PASS' : 'NOT_APPLICABLE';
}

/** Suppressed findings: failures accepted as risks (a suppression marks nothing else). */
export function acceptedRisks(findings: readonly Finding[]): readonly Finding[] {
  return findings.filter((f) => f.suppressed !== null);
}

function upper(severity: Severity): Uppercase<Severity> {
  return severity.toUpperCase() as Uppercase<Severity>;
}

/**
 * One entry per enabled check, in check order (controls without findings included), then any
 * control that has findings but is not in `context.checks`, in order of first appearance, so that
 * no finding is ever dropped from a report.
 */
export function summariseControls(findings: readonly Finding[], checks: readonly CheckDefinition[]): ControlSummary[] {
  const byCheck = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byCheck.get(finding.checkId);
    if (list) {
      list.push(finding);
    } else {
      byCheck.set(finding.checkId, [finding]);
    }
  }
  const summaries: ControlSummary[] = [];
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.id)) {
      continue;
    }
    seen.add(check.id);
    const own = byCheck.get(check.id) ?? [];
    summaries.push({
      control: check.id,
      title: check.title,
      severity: upper(check.severity),
      check,
      findings: own,
      verdict: verdictOf(own),
      ...countFindings(own),
    });
  }
  for (const [checkId, own] of byCheck) {
    if (seen.has(checkId)) {
      continue;
    }
    const first = own[0];
    if (first === undefined) {
      continue;
    }
    summaries.push({
      control: first.control,
      title: first.title,
      severity: first.severity,
      check: null,
      findings: own,
      verdict: verdictOf(own),
      ...countFindings(own),
    });
  }
  return summaries;
}

/**
 * Every configured suppression with its state and match counts, read off the engine's register
 * (never matched again here, so the numbers are the ones the engine applied).
 */
export function suppressionRegister(context: ReportContext): SuppressionEntry[] {
  return context.suppressions.map(({ suppression: s, state, matched }) => ({
    check: s.check,
    resource: s.resource,
    ...(s.region === undefined ? {} : { region: s.region }),
    ...(s.file === undefined ? {} : { file: s.file }),
    reason: s.reason,
    expires: s.expires,
    state,
    matched: matched.length,
    unknownMatched: matched.filter((f) => f.status === 'UNKNOWN').length,
  }));
}

/** Distinct UNKNOWN findings some suppression matched but could not accept (they stay open). */
export function unknownsMatchedBySuppressions(context: ReportContext): number {
  return new Set(context.suppressions.flatMap(({ matched }) => matched.filter((f) => f.status === 'UNKNOWN'))).size;
}

export function severityRank(severity: string): number {
  return SEVERITIES.indexOf(severity.toLowerCase() as Severity);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the reports order a result by: its severity, then where it is. */
export interface SeverityOrderKeys {
  readonly severity: string;
  readonly control: string;
  readonly accountId: string | null;
  readonly region: string;
  readonly resourceId: string;
  /** A scanned resource's file, last (two templates may declare one logical id). */
  readonly file?: string;
}

/**
 * Most severe first; ties by control, account, Region, resource and file in code-point order, so
 * every report (and `trailaudit diff`) lists the same results the same way on every machine.
 */
export function mostSevereFirst(a: SeverityOrderKeys, b: SeverityOrderKeys): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.control, b.control) ||
    compareText(a.accountId ?? '', b.accountId ?? '') ||
    compareText(a.region, b.region) ||
    compareText(a.resourceId, b.resourceId) ||
    compareText(a.file ?? '', b.file ?? '')
  );
}

function countsAgainst(finding: Finding, failOn: Severity): boolean {
  return finding.suppressed === null && severityRank(finding.severity) >= severityRank(failOn);
}

/** An unsuppressed FAIL at or above the `--fail-on` threshold: it sets exit code 1 (DESIGN §1). */
export function isBlocking(finding: Finding, failOn: Severity): boolean {
  return finding.status === 'FAIL' && countsAgainst(finding, failOn);
}

/** An unsuppressed UNKNOWN, whatever its severity: the audit is incomplete (exit code 3). */
export function isOpenUnknown(finding: Finding): boolean {
  return finding.status === 'UNKNOWN' && finding.suppressed === null;
}

/** Region-level findings (CloudTrail.3) are keyed by the account id, so the region tells them apart. */
export function isAccountKeyed(finding: Pick<Finding, 'resource'>): boolean {
  const { resource } = finding;
  return resource.id === resource.accountId || resource.type === 'AWS::::Account' || /^\d{12}$/.test(resource.id);
}

/** One readable line per evidence value; Unknown markers say why the value is missing. */
export function formatEvidenceValue(value: unknown): string {
  if (value === undefined) {
    return '(absent)';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (isUnknown(value)) {
    return `unknown (${value.$unknown.reason}: ${value.$unknown.message})`;
  }
  return JSON.stringify(value);
}

/** Reasons a missing IAM permission (possibly in another account) explains. */
export function isPermissionGap(reason: UnknownReason): boolean {
  return reason === 'access_denied' || reason === 'cross_account';
}

/**
 * What a person must do to turn an UNKNOWN into a verdict. Only denials are framed as missing
 * permissions; a throttled or failed call needs the call to succeed, and saying "grant X" there
 * would send people to fix the wrong thing.
 */
export function unknownNeeds(detail: UnknownDetail, code: (value: string) => string = (value) => value): string {
  const parts: string[] = [];
  if (detail.reason === 'not_found') {
    // No permission or retry helps: what the configuration points at does not exist.
    parts.push('the missing resource to exist: recreate it, or correct the reference to it');
  } else if (detail.operation !== undefined) {
    parts.push(isPermissionGap(detail.reason) ? `permission ${code(detail.operation)}` : `${code(detail.operation)} to succeed`);
  }
  if (detail.account !== undefined) {
    parts.push(`credentials for account ${code(detail.account)}`);
  }
  if (detail.region !== undefined) {
    parts.push(`in ${detail.region}`);
  }
  return parts.join(', ');
}

/** One sentence on how to turn these UNKNOWNs into verdicts, naming only the kinds of gap present. */
export function unknownAdvice(details: readonly UnknownDetail[]): string {
  const steps: string[] = [];
  if (details.some((detail) => isPermissionGap(detail.reason))) {
    steps.push('grant the permissions or use the account named above');
  }
  if (details.some((detail) => detail.reason === 'not_found')) {
    steps.push('recreate the missing resource or correct the reference to it');
  }
  if (details.length === 0 || details.some((detail) => !isPermissionGap(detail.reason) && detail.reason !== 'not_found')) {
    steps.push('retry the calls that failed');
  }
  const sentence = steps.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}, or use --allow-unknown to accept an incomplete audit.`;
}
