/** The Markdown report's overall result, per-control summary table and framework mapping. */
import type { Finding } from '../../engine/types.js';
import { acceptedRisks, countFindings, isBlocking, isOpenUnknown, severityRank } from '../common.js';
import type { ControlSummary } from '../common.js';
import type { ReportContext } from '../types.js';
import { DASH, plural, table, text } from './text.js';

function overallResult(findings: readonly Finding[], context: ReportContext): string {
  const blocking = findings.filter((f) => isBlocking(f, context.failOn)).length;
  const belowThreshold = findings.filter((f) => f.status === 'FAIL' && f.suppressed === null).length - blocking;
  // Same rule as the exit code: any open UNKNOWN makes the audit incomplete, whatever its severity.
  const unknown = findings.filter(isOpenUnknown).length;
  const acceptedCount = acceptedRisks(findings).length;
  const parts: string[] = [];
  if (blocking > 0) {
    parts.push(`**Result: FAIL** ${DASH} ${plural(blocking, 'unsuppressed failure')} at or above ${text(context.failOn)}.`);
  } else if (unknown > 0) {
    const accepted = context.allowUnknown ? ' The incomplete audit was accepted with `--allow-unknown`.' : '';
    parts.push(`**Result: INCOMPLETE** ${DASH} no failure at or above ${text(context.failOn)}, but ${plural(unknown, 'verdict')} could not be determined.${accepted}`);
  } else if (acceptedCount > 0) {
    // Never a plain PASS while failures stand, even accepted ones.
    parts.push(`**Result: PASS WITH ACCEPTED RISKS** ${DASH} no unsuppressed failure at or above ${text(context.failOn)}; ${plural(acceptedCount, 'failure')} accepted by a suppression (see *Suppressed findings*).`);
  } else {
    parts.push(`**Result: PASS** ${DASH} no unsuppressed failure at or above ${text(context.failOn)}.`);
  }
  if (belowThreshold > 0) {
    parts.push(`${plural(belowThreshold, 'failure')} below the threshold ${belowThreshold === 1 ? 'is' : 'are'} reported but do${belowThreshold === 1 ? 'es' : ''} not fail the audit.`);
  }
  if (unknown > 0 && blocking > 0) {
    parts.push(`${plural(unknown, 'verdict')} could not be determined.`);
  }
  return parts.join(' ');
}

function verdictCell(control: ControlSummary, context: ReportContext): string {
  if (control.verdict === 'FAIL' && severityRank(control.severity) < severityRank(context.failOn)) {
    return '**FAIL** (below threshold)';
  }
  if (control.verdict === 'FAIL' || control.verdict === 'UNKNOWN') {
    return `**${control.verdict}**`;
  }
  if (control.verdict === 'SUPPRESSED') {
    // A suppression keeps the status (DESIGN §2): the control fails, with the risk accepted.
    return `FAIL, accepted risk (${plural(acceptedRisks(control.findings).length, 'suppressed failure')})`;
  }
  return control.verdict === 'NOT_APPLICABLE' ? 'N/A' : control.verdict;
}

export function summarySection(findings: readonly Finding[], controls: readonly ControlSummary[], context: ReportContext): string {
  const rows = controls.map((c) => [
    text(c.control),
    text(c.title),
    c.severity,
    String(c.PASS),
    String(c.FAIL),
    String(c.UNKNOWN),
    String(c.NOT_APPLICABLE),
    String(c.suppressed),
    verdictCell(c, context),
  ]);
  const totals = countFindings(findings);
  rows.push([
    '**Total**',
    '',
    '',
    String(totals.PASS),
    String(totals.FAIL),
    String(totals.UNKNOWN),
    String(totals.NOT_APPLICABLE),
    String(totals.suppressed),
    '',
  ]);
  return [
    '## Summary',
    '',
    overallResult(findings, context),
    '',
    table(['Control', 'Title', 'Severity', 'PASS', 'FAIL', 'UNKNOWN', 'N/A', 'Suppressed', 'Verdict'], rows),
    '',
    'Counts include suppressed findings under their status; *Suppressed* counts them again. A control fails when any of its resources fails.',
  ].join('\n');
}

export function frameworksSection(controls: readonly ControlSummary[]): string {
  const rows = controls.map((c) => {
    const frameworks = c.check?.frameworks ?? c.findings[0]?.frameworks ?? {};
    const entries = Object.keys(frameworks)
      .sort()
      .map((name) => `${text(name)}: ${text((frameworks[name] ?? []).join(', '))}`);
    return [text(c.control), entries.length === 0 ? DASH : entries.join('; ')];
  });
  return ['## Framework mapping', '', table(['Control', 'Requirements'], rows)].join('\n');
}
