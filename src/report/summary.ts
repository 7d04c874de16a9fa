/**
 * The one-screen summary the CLI prints to stderr after an audit. It answers "did it pass, what
 * fails, what could not be checked"; the detail lives in the report files (whose paths the CLI
 * prints, not this function).
 */
import type { Finding, Status } from '../engine/types.js';
import { acceptedRisks, countFindings, isBlocking, isOpenUnknown, isPermissionGap, suppressionRegister, summariseControls, unknownsMatchedBySuppressions } from './common.js';
import { coverageSentence, organizationCoverage } from './coverage.js';
import type { ReportContext } from './types.js';

export interface SummaryOptions {
  /** ANSI colours; the CLI decides (TTY, NO_COLOR, --no-color), this function never looks. */
  readonly color: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
type Style = keyof typeof ANSI;

/** How many failing controls to list before eliding, so the summary stays on one screen. */
const MAX_CONTROL_LINES = 10;

/** A --framework run evaluated only that framework's checks: the count says so. */
function frameworkNote(context: ReportContext): string {
  return context.scope.framework === undefined ? '' : ` of --framework ${context.scope.framework}`;
}

/** Over several accounts: how many were audited, left out or not entered, and the coverage line. */
function organizationLines(findings: readonly Finding[], context: ReportContext): string[] {
  const org = context.scope.organization;
  if (org === undefined && context.scope.accounts.length <= 1) {
    return [];
  }
  const audited = `${context.scope.accounts.length} account${context.scope.accounts.length === 1 ? '' : 's'} audited`;
  // The accounts not entered are among those audited (their controls are UNKNOWN): say so, so the counts add up.
  const leftOut = org === undefined ? '' : ` (${org.unreachable.length} of them not entered: role failed), ${org.skipped.length} skipped`;
  return [`Organization ${org?.id ?? '(id unknown)'}: ${audited}${leftOut}.`, `Coverage: ${coverageSentence(organizationCoverage(findings, context))}`];
}

export function formatSummary(findings: readonly Finding[], context: ReportContext, options: SummaryOptions): string {
  const paint = (style: Style, value: string): string => (options.color ? `\u001b[${ANSI[style]}m${value}\u001b[0m` : value);
  const statusStyle: Record<Status, Style> = { PASS: 'green', FAIL: 'red', UNKNOWN: 'yellow', NOT_APPLICABLE: 'dim' };
  const counts = countFindings(findings);
  const lines: string[] = [];

  const countText = (['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE'] as const)
    .map((status) => {
      const label = `${counts[status]} ${status === 'NOT_APPLICABLE' ? 'N/A' : status}`;
      return counts[status] > 0 ? paint(statusStyle[status], label) : label;
    })
    .join(', ');
  lines.push(
    `${paint('bold', context.tool.name)}: ${findings.length} findings across ${context.checks.length} checks${frameworkNote(context)} ${String.fromCharCode(0x2014)} ${countText}, ${counts.suppressed} suppressed`,
  );

  lines.push(...organizationLines(findings, context));

  const failingControls = summariseControls(findings, context.checks)
    .map((c) => ({ control: c, failing: c.findings.filter((f) => f.status === 'FAIL' && f.suppressed === null) }))
    .filter((entry) => entry.failing.length > 0);
  if (failingControls.length > 0) {
    lines.push('', 'Failing controls:');
    const width = Math.max(...failingControls.map((e) => e.control.control.length));
    for (const { control, failing } of failingControls.slice(0, MAX_CONTROL_LINES)) {
      const resources = `${failing.length} resource${failing.length === 1 ? '' : 's'}`;
      lines.push(`  ${paint('red', control.control.padEnd(width))}  ${control.severity.padEnd(13)} ${resources.padEnd(13)} ${control.title}`);
    }
    if (failingControls.length > MAX_CONTROL_LINES) {
      lines.push(`  ... and ${failingControls.length - MAX_CONTROL_LINES} more (see the report)`);
    }
  }

  const unknown = findings.filter(isOpenUnknown);
  if (unknown.length > 0) {
    const details = unknown.flatMap((f) => f.unknowns);
    const distinct = (values: (string | undefined)[]): string[] => [...new Set(values.filter((v): v is string => v !== undefined))].sort();
    const denied = distinct(details.filter((u) => isPermissionGap(u.reason)).map((u) => u.operation));
    const failed = distinct(details.filter((u) => !isPermissionGap(u.reason) && u.operation !== undefined).map((u) => `${u.operation ?? ''} (${u.reason})`));
    const accounts = distinct(details.map((u) => u.account));
    lines.push('', paint('yellow', `${unknown.length} verdict${unknown.length === 1 ? '' : 's'} could not be determined (UNKNOWN).`));
    if (denied.length > 0) {
      lines.push(`  Missing permissions: ${denied.join(', ')}`);
    }
    if (accounts.length > 0) {
      lines.push(`  Needs credentials for account${accounts.length === 1 ? '' : 's'}: ${accounts.join(', ')}`);
    }
    if (failed.length > 0) {
      lines.push(`  Calls that failed: ${failed.join(', ')}`);
    }
    lines.push(
      context.allowUnknown
        ? '  Accepted as an incomplete audit (--allow-unknown): they do not change the exit code.'
        : '  Fix these and re-run, or pass --allow-unknown to accept an incomplete audit.',
    );
  }

  const register = suppressionRegister(context);
  const expired = register.filter((s) => s.state === 'expired').length;
  const unused = register.filter((s) => s.state === 'unused').length;
  if (expired > 0 || unused > 0) {
    const parts: string[] = [];
    if (expired > 0) {
      parts.push(paint('yellow', `${expired} expired`));
    }
    if (unused > 0) {
      parts.push(`${unused} unused`);
    }
    lines.push('', `Suppressions: ${parts.join(', ')} (see the suppression register in the report).`);
  }
  // Distinct findings: an UNKNOWN matched by two suppressions is still one open verdict.
  const refused = unknownsMatchedBySuppressions(context);
  if (refused > 0) {
    lines.push(
      ...(expired > 0 || unused > 0 ? [] : ['']),
      `Suppressions matched ${refused} UNKNOWN finding${refused === 1 ? '' : 's'}: a suppression accepts a known failure, never an undetermined verdict, so ${refused === 1 ? 'it stays' : 'they stay'} open.`,
    );
  }

  const blocking = findings.filter((f) => isBlocking(f, context.failOn)).length;
  const unsuppressedFails = findings.filter((f) => f.status === 'FAIL' && f.suppressed === null).length;
  const acceptedCount = acceptedRisks(findings).length;
  lines.push('');
  if (blocking > 0) {
    lines.push(paint('red', `Result: FAIL ${String.fromCharCode(0x2014)} ${blocking} failure${blocking === 1 ? '' : 's'} at or above --fail-on ${context.failOn}.`));
  } else if (findings.some(isOpenUnknown)) {
    const accepted = context.allowUnknown ? ' (accepted with --allow-unknown)' : '';
    lines.push(
      paint('yellow', `Result: INCOMPLETE${accepted} ${String.fromCharCode(0x2014)} no unsuppressed failure at or above --fail-on ${context.failOn}, but some verdicts are UNKNOWN.`),
    );
  } else if (acceptedCount > 0) {
    // Never a plain (green) PASS while failures stand, even accepted ones.
    lines.push(
      paint(
        'yellow',
        `Result: PASS WITH ACCEPTED RISKS ${String.fromCharCode(0x2014)} no unsuppressed failure at or above --fail-on ${context.failOn}; ${acceptedCount} failure${acceptedCount === 1 ? '' : 's'} accepted by a suppression.`,
      ),
    );
  } else {
    lines.push(paint('green', `Result: PASS ${String.fromCharCode(0x2014)} no unsuppressed failure at or above --fail-on ${context.failOn}.`));
  }
  if (unsuppressedFails > blocking) {
    lines.push(`  (${unsuppressedFails - blocking} failure${unsuppressedFails - blocking === 1 ? '' : 's'} below the threshold not counted.)`);
  }
  // Accepted risks are failures too: said whatever the result line leads with, as the reports do.
  if (acceptedCount > 0 && (blocking > 0 || findings.some(isOpenUnknown))) {
    lines.push(`  (${acceptedCount} failure${acceptedCount === 1 ? '' : 's'} accepted by a suppression.)`);
  }
  return `${lines.join('\n')}\n`;
}
