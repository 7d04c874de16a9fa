/**
 * The Markdown report's Failures: one compact row per failing result, most severe first (open
 * failures, then the accepted risks, which stay failures), then one folded block per control with
 * each resource's finding and evidence and the control's fix given once.
 */
import { genericTemplate } from '../../engine/template.js';
import type { CheckDefinition, Finding } from '../../engine/types.js';
import { historyKey } from '../../history/key.js';
import { formatEvidenceValue, isAccountKeyed, severityRank, type ControlSummary } from '../common.js';
import type { ReportOverview } from '../overview.js';
import type { ReportContext } from '../types.js';
import { isOrganizationReport } from './organization.js';
import { DASH, codeCell, fenced, firstRows, folded, htmlText, plural, table, text } from './text.js';

/** Rows of the failures table and of each control's block; the JSON and HTML reports have all. */
const FAILURE_ROWS = 300;
const DETAIL_ROWS = 10;
/** Evidence in one cell, cut at this many characters. */
const EVIDENCE_CHARS = 200;

/** `file:line` of the offending property when known, else of the resource; null for live findings. */
export function locationCell(finding: Finding): string | null {
  const location = finding.location ?? finding.resource.location;
  return location === undefined ? null : codeCell(`${location.file}:${location.line}`);
}

/** Tables of IaC findings get a Location column; live-only tables keep their shape. */
export function withLocation(findings: readonly Finding[]): boolean {
  return findings.some((f) => locationCell(f) !== null);
}

/** An account- or Region-level finding's resource is the account: the Account column names it. */
export function resourceCell(finding: Finding): string {
  return isAccountKeyed(finding) ? 'account' : codeCell(finding.resource.id);
}

export function accountCell(finding: Finding): string {
  return finding.resource.accountId === null ? DASH : codeCell(finding.resource.accountId);
}

/** A suppressed failure is a failure with an accepted risk, never a pass (DESIGN §2). */
export function statusCell(finding: Finding): string {
  if (finding.status === 'FAIL' && finding.suppressed !== null) {
    return `FAIL, suppressed until ${text(finding.suppressed.expires)}`;
  }
  return finding.status === 'FAIL' || finding.status === 'UNKNOWN' ? `**${finding.status}**` : finding.status === 'NOT_APPLICABLE' ? 'N/A' : finding.status;
}

export function evidenceCell(finding: Finding, chars = EVIDENCE_CHARS): string {
  const entries = Object.entries(finding.evidence);
  if (entries.length === 0) {
    return DASH;
  }
  const full = entries.map(([key, value]) => `${key}: ${formatEvidenceValue(value)}`).join('; ');
  return codeCell(full.length > chars ? `${full.slice(0, chars - 1)}…` : full);
}

function failingSinceCell(finding: Finding, context: ReportContext): string {
  const since = context.history?.results.get(historyKey(finding))?.failingSince;
  return since === undefined || since === null ? DASH : text(since);
}

function failureTable(failing: readonly Finding[], context: ReportContext): string[] {
  const located = withLocation(failing);
  const history = context.history !== undefined;
  const { shown, more } = firstRows(failing, FAILURE_ROWS);
  const rows = shown.map((f) => [
    statusCell(f),
    f.severity,
    text(f.control),
    accountCell(f),
    text(f.resource.region),
    resourceCell(f),
    ...(located ? [locationCell(f) ?? DASH] : []),
    ...(history ? [failingSinceCell(f, context)] : []),
  ]);
  const header = ['Status', 'Severity', 'Control', 'Account', 'Region', 'Resource', ...(located ? ['Location'] : []), ...(history ? ['Failing since'] : [])];
  return [table(header, rows), ...(more === null ? [] : ['', more])];
}

/** The control's fix, once: its text and reference, the CLI/CloudFormation/Terraform snippets folded. */
export function controlRemediation(check: CheckDefinition): string[] {
  const { remediation } = check;
  const out = [`**How to fix:** ${text(genericTemplate(remediation.text))}`];
  if (remediation.url.trim() !== '') {
    out.push('', /^[^\s<>]+$/.test(remediation.url) ? `Reference: <${remediation.url}>` : `Reference: ${text(remediation.url)}`);
  }
  const snippets: [string, string | undefined, string][] = [
    ['AWS CLI', genericTemplate(remediation.cli), 'sh'],
    ['CloudFormation', genericTemplate(remediation.cloudformation), 'yaml'],
    ['Terraform', genericTemplate(remediation.terraform), 'hcl'],
  ];
  const present = snippets.filter(([, snippet]) => snippet !== undefined && snippet.trim() !== '');
  if (present.length > 0) {
    const body = present.flatMap(([label, snippet, lang]) => [`${label}:`, '', fenced(snippet ?? '', lang), '']);
    out.push('', ...folded(htmlText(present.map(([label]) => label).join(', ')), body.slice(0, -1)));
  }
  return out;
}

/** The finding's remediation has the resource filled in; shown unless it is just the generic text. */
function fixCell(finding: Finding, check: CheckDefinition | null): string {
  const fix = finding.remediation.trim();
  return fix === '' || fix === check?.remediation.text.trim() ? DASH : codeCell(fix);
}

/** `accounts`: show the Account column (a report over several accounts; the table above has it always). */
function controlBlock(control: ControlSummary, failing: readonly Finding[], accounts: boolean): string[] {
  const open = failing.filter((f) => f.suppressed === null).length;
  const accepted = failing.length - open;
  const counts = [...(open > 0 ? [`${open} failing`] : []), ...(accepted > 0 ? [`${accepted} accepted (suppressed)`] : [])].join(', ');
  const summary = `${htmlText(control.control)} — ${htmlText(control.title)} (${control.severity}): ${counts}`;
  const located = withLocation(failing);
  const { shown, more } = firstRows(failing, DETAIL_ROWS);
  const rows = shown.map((f) => [
    statusCell(f),
    resourceCell(f),
    ...(located ? [locationCell(f) ?? DASH] : []),
    ...(accounts ? [accountCell(f)] : []),
    text(f.resource.region),
    text(f.message),
    evidenceCell(f),
    fixCell(f, control.check),
  ]);
  const body = [
    table(['Status', 'Resource', ...(located ? ['Location'] : []), ...(accounts ? ['Account'] : []), 'Region', 'Finding', 'Evidence', 'Fix for this resource'], rows),
    ...(more === null ? [] : ['', more]),
    ...(control.check === null ? [] : ['', ...controlRemediation(control.check)]),
  ];
  return folded(summary, body);
}

export function failuresSection(overview: ReportOverview, controls: readonly ControlSummary[], context: ReportContext): string {
  const out = ['## Failures', ''];
  const failing = [...overview.failures, ...overview.acceptedRisks];
  if (failing.length === 0) {
    out.push('No failures.');
    return out.join('\n');
  }
  const accepted = overview.acceptedRisks.length;
  out.push(
    `${plural(overview.failures.length, 'unsuppressed failure')}, most severe first` +
      (accepted > 0 ? `, then ${plural(accepted, 'failure')} accepted as a risk (suppressed: still failing, not a pass)` : '') +
      '. Each control\'s evidence and fix are folded below the table.',
    '',
    ...failureTable(failing, context),
    '',
  );
  const byControl = [...controls]
    .map((control) => {
      const mine = new Set(control.findings);
      return { control, failing: failing.filter((f) => mine.has(f)) };
    })
    .filter(({ failing: own }) => own.length > 0)
    .sort((a, b) => severityRank(b.control.severity) - severityRank(a.control.severity));
  for (const { control, failing: own } of byControl) {
    out.push(...controlBlock(control, own, isOrganizationReport(context)), '');
  }
  return out.join('\n').trimEnd();
}
