/** The Markdown report's per-control table (verdict and counts) and framework mapping. */
import type { Finding } from '../../engine/types.js';
import { acceptedRisks, countFindings, severityRank } from '../common.js';
import type { ControlSummary } from '../common.js';
import type { ReportContext } from '../types.js';
import { DASH, plural, table, text } from './text.js';

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
    '## Controls',
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
