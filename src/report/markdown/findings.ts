/**
 * The Markdown report's findings, one section per kind: every unsuppressed FAIL with its evidence
 * and fix, every gap (UNKNOWN) with the permission or account that would close it, the
 * not-applicable ones and the suppressed (accepted) failures.
 */
import { genericTemplate } from '../../engine/template.js';
import type { CheckDefinition, Finding } from '../../engine/types.js';
import { formatEvidenceValue, isAccountKeyed, isOpenUnknown, unknownNeeds } from '../common.js';
import type { ControlSummary } from '../common.js';
import { DASH, codeCell, codeSpan, fenced, plural, table, text } from './text.js';

function resourceTitle(finding: Finding): string {
  const { resource } = finding;
  const name = resource.name !== undefined && resource.name !== resource.id ? ` (${text(resource.name)})` : '';
  // Region-level findings share the account id; the region is what tells the headings apart.
  const region = isAccountKeyed(finding) && resource.region !== 'global' ? ` in ${text(resource.region)}` : '';
  return `${codeSpan(resource.id)}${name}${region}`;
}

/** `file:line` of the offending property when known, else of the resource; null for live findings. */
function locationCell(finding: Finding): string | null {
  const location = finding.location ?? finding.resource.location;
  return location === undefined ? null : codeCell(`${location.file}:${location.line}`);
}

/** Tables of IaC findings get a Location column; live-only tables keep their shape. */
function withLocation(findings: readonly Finding[]): boolean {
  return findings.some((f) => locationCell(f) !== null);
}

export function controlRemediation(check: CheckDefinition): string[] {
  const { remediation } = check;
  const out: string[] = [];
  out.push(`**How to fix:** ${text(remediation.text)}`);
  const snippets: [string, string | undefined, string][] = [
    ['AWS CLI', genericTemplate(remediation.cli), 'sh'],
    ['CloudFormation', genericTemplate(remediation.cloudformation), 'yaml'],
    ['Terraform', genericTemplate(remediation.terraform), 'hcl'],
  ];
  for (const [label, snippet, lang] of snippets) {
    if (snippet !== undefined && snippet.trim() !== '') {
      out.push('', `${label}:`, '', fenced(snippet, lang));
    }
  }
  if (remediation.url.trim() !== '') {
    out.push('', /^[^\s<>]+$/.test(remediation.url) ? `Reference: <${remediation.url}>` : `Reference: ${text(remediation.url)}`);
  }
  return out;
}

function failureBlock(finding: Finding, check: CheckDefinition | null): string[] {
  const { resource } = finding;
  const out = [`#### ${resourceTitle(finding)}`, ''];
  const rows: string[][] = [
    ['Resource', codeCell(resource.id)],
    ['Type', text(resource.type)],
    ['Account', resource.accountId === null ? DASH : codeCell(resource.accountId)],
    ['Region', text(resource.region)],
  ];
  const location = locationCell(finding);
  if (location !== null) {
    rows.push(['Location', location]);
  }
  rows.push(['Severity', finding.severity], ['Finding', text(finding.message)]);
  out.push(table(['Field', 'Value'], rows));
  const evidence = Object.entries(finding.evidence);
  if (evidence.length > 0) {
    out.push('', 'Evidence:', '', table(['Fact', 'Value'], evidence.map(([key, value]) => [codeCell(key), codeCell(formatEvidenceValue(value))])));
  }
  // The finding's remediation has the resource filled in; show it unless it is just the generic text.
  const fix = finding.remediation.trim();
  if (fix !== '' && fix !== check?.remediation.text.trim()) {
    out.push('', 'Fix for this resource:', '', fenced(fix, /^aws\s/.test(fix) ? 'sh' : 'text'));
  }
  return out;
}

export function failuresSection(controls: readonly ControlSummary[]): string {
  const out = ['## Failures', ''];
  const failing = controls.filter((c) => c.findings.some((f) => f.status === 'FAIL' && f.suppressed === null));
  if (failing.length === 0) {
    out.push('No unsuppressed failures.');
    return out.join('\n');
  }
  for (const control of failing) {
    const findings = control.findings.filter((f) => f.status === 'FAIL' && f.suppressed === null);
    out.push(`### ${text(control.control)} ${DASH} ${text(control.title)} (${control.severity})`, '');
    out.push(`${plural(findings.length, 'resource')} failing.`, '');
    if (control.check !== null) {
      out.push(...controlRemediation(control.check), '');
    }
    for (const finding of findings) {
      out.push(...failureBlock(finding, control.check), '');
    }
  }
  return out.join('\n').trimEnd();
}

export function unknownSection(findings: readonly Finding[]): string {
  const out = ['## Could not be evaluated', ''];
  const unknown = findings.filter(isOpenUnknown);
  if (unknown.length === 0) {
    out.push('Every verdict could be determined.');
    return out.join('\n');
  }
  out.push(
    `${plural(unknown.length, 'verdict')} could not be determined. These are not passes: grant the permissions or use the accounts listed, then run the audit again (or accept an incomplete audit with \`--allow-unknown\`).`,
    '',
  );
  const located = withLocation(unknown);
  const rows: string[][] = [];
  for (const f of unknown) {
    const base = [text(f.control), codeCell(f.resource.id), ...(located ? [locationCell(f) ?? DASH] : []), text(f.resource.region)];
    if (f.unknowns.length === 0) {
      rows.push([...base, text(f.reason ?? 'error'), text(f.message), DASH]);
      continue;
    }
    for (const detail of f.unknowns) {
      // Region names are [a-z0-9-] and reach unknownNeeds unescaped; everything else is code.
      const needs = unknownNeeds(detail, codeCell);
      rows.push([...base, text(detail.reason), text(detail.message), needs === '' ? DASH : needs]);
    }
  }
  out.push(table(['Control', 'Resource', ...(located ? ['Location'] : []), 'Region', 'Reason', 'What could not be read', 'Needed'], rows));
  return out.join('\n');
}

export function notApplicableSection(findings: readonly Finding[]): string {
  const out = ['## Not applicable', ''];
  const na = findings.filter((f) => f.status === 'NOT_APPLICABLE' && f.suppressed === null);
  if (na.length === 0) {
    out.push('None.');
    return out.join('\n');
  }
  const located = withLocation(na);
  out.push(
    table(
      ['Control', 'Resource', ...(located ? ['Location'] : []), 'Region', 'Why'],
      na.map((f) => [text(f.control), codeCell(f.resource.id), ...(located ? [locationCell(f) ?? DASH] : []), text(f.resource.region), text(f.message)]),
    ),
  );
  return out.join('\n');
}

export function suppressedFindingsSection(findings: readonly Finding[]): string {
  const out = ['## Suppressed findings', ''];
  const suppressed = findings.filter((f) => f.suppressed !== null);
  if (suppressed.length === 0) {
    out.push('None.');
    return out.join('\n');
  }
  out.push('Failures accepted as risks: they remain failures (status FAIL) but do not affect the result until the suppression expires.', '');
  const located = withLocation(suppressed);
  const rows = suppressed.map((f) => [
    text(f.control),
    codeCell(f.resource.id),
    ...(located ? [locationCell(f) ?? DASH] : []),
    text(f.resource.region),
    f.status,
    text(f.message),
    text(f.suppressed?.reason ?? ''),
    text(f.suppressed?.expires ?? ''),
  ]);
  out.push(table(['Control', 'Resource', ...(located ? ['Location'] : []), 'Region', 'Status', 'Finding', 'Reason', 'Expires'], rows));
  return out.join('\n');
}
