/**
 * `trailaudit.md`: the report an auditor reads. Every unsuppressed FAIL with its evidence and fix,
 * every gap (UNKNOWN) with the permission or account that would close it, the suppression
 * register with expired entries flagged, and, given a baseline, what changed since the last run.
 *
 * Resource ids and messages come from AWS and from templates, so everything interpolated is
 * escaped for the place it lands in: table cells, inline text, code spans, fenced blocks.
 */
import { genericTemplate } from '../engine/template.js';
import type { CheckDefinition, Finding } from '../engine/types.js';
import {
  acceptedRisks,
  countFindings,
  formatEvidenceValue,
  isAccountKeyed,
  isBlocking,
  isOpenUnknown,
  severityRank,
  suppressionRegister,
  summariseControls,
  unknownNeeds,
} from './common.js';
import type { ControlSummary, SuppressionEntry } from './common.js';
import type { BaselineReport, Formatter, ReportContext } from './types.js';

/* ------------------------------------------------------------------ escaping */

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * Plain text in a paragraph, list item or table cell. CommonMark lets any ASCII punctuation be
 * backslash-escaped; only the characters that can start markup (emphasis, links, HTML, code, table
 * cell breaks, strikethrough, entities) are escaped, so ARNs stay readable in the raw file.
 */
function text(value: string): string {
  return oneLine(value).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** A code span that survives backticks in the content (CommonMark: a longer fence, padded). */
function codeSpan(value: string): string {
  const content = oneLine(value);
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A code span inside a table row: GFM splits cells on `|` before parsing inline code, so the pipe
 * must be backslash-escaped even there (the escape is removed when the cell is parsed).
 */
function codeCell(value: string): string {
  return codeSpan(value).replace(/\|/g, '\\|');
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function fenced(content: string, lang: string): string {
  const longestRun = Math.max(0, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${lang}\n${content.replace(/\s+$/, '')}\n${fence}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    lines.push(`| ${row.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`);
  }
  return lines.join('\n');
}

const DASH = '—';

function listOrDash(values: readonly string[], render: (v: string) => string): string {
  return values.length === 0 ? DASH : values.map(render).join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/* ------------------------------------------------------------------ sections */

/** Templates and plans (not a live audit or its snapshot): files are listed in their own section. */
function isScan(context: ReportContext): boolean {
  return context.scope.source !== 'live' || (context.inputErrors ?? []).length > 0;
}

function badFiles(context: ReportContext): string[] {
  return [...new Set((context.inputErrors ?? []).map((issue) => issue.file))];
}

function inputsSummary(context: ReportContext): string {
  const bad = badFiles(context).length;
  const scanned = plural(context.scope.inputs.length, 'file');
  return bad === 0 ? `${scanned} scanned (see Files)` : `${scanned} scanned, **${plural(bad, 'file')} could not be scanned** (see Files)`;
}

/** Every scanned file with its unsuppressed failures and gaps, then every file that could not be scanned. */
function filesSection(findings: readonly Finding[], context: ReportContext): string {
  const out = ['## Files', ''];
  const perFile = new Map<string, { fail: number; unknown: number; total: number }>();
  for (const file of context.scope.inputs) {
    perFile.set(file, { fail: 0, unknown: 0, total: 0 });
  }
  for (const f of findings) {
    const file = (f.location ?? f.resource.location)?.file;
    const entry = file === undefined ? undefined : perFile.get(file);
    if (entry === undefined) {
      continue;
    }
    entry.total += 1;
    if (f.suppressed === null && f.status === 'FAIL') {
      entry.fail += 1;
    } else if (f.suppressed === null && f.status === 'UNKNOWN') {
      entry.unknown += 1;
    }
  }
  if (perFile.size === 0) {
    out.push('No file was scanned.');
  } else {
    const rows = [...perFile].map(([file, n]) => [codeCell(file), String(n.total), String(n.fail), String(n.unknown)]);
    out.push(`${plural(perFile.size, 'file')} scanned.`, '', table(['File', 'Findings', 'FAIL', 'UNKNOWN'], rows));
  }
  const issues = context.inputErrors ?? [];
  if (issues.length > 0) {
    out.push(
      '',
      '### Could not be scanned',
      '',
      `${plural(badFiles(context).length, 'file')} could not be scanned and ${badFiles(context).length === 1 ? 'was' : 'were'} not evaluated; the findings above cover the other files only.`,
      '',
      table(
        ['File', 'Position', 'Problem'],
        issues.map((issue) => [codeCell(issue.file), issue.line > 0 ? `${issue.line}:${issue.column}` : DASH, text(issue.message)]),
      ),
    );
  }
  return out.join('\n');
}

function scopeSection(findings: readonly Finding[], context: ReportContext): string {
  const calls = Object.entries(context.stats.apiCalls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = calls.reduce((sum, [, n]) => sum + n, 0);
  const callDetail = calls.length === 0 ? '' : ` (${calls.map(([op, n]) => `${codeCell(op)} ${n}`).join(', ')})`;
  // `evaluate` re-reads a saved snapshot: its calls were made when the snapshot was collected.
  const fromSnapshot = !isScan(context) && context.scope.inputs.length > 0;
  const rows: string[][] = [
    ['Tool', text(`${context.tool.name} ${context.tool.version}`)],
    ['Source', text(fromSnapshot ? `${context.scope.source} (re-evaluated from a saved snapshot, no AWS calls in this run)` : context.scope.source)],
    ['Accounts', listOrDash(context.scope.accounts, codeCell)],
    ['Regions', listOrDash(context.scope.regions, codeCell)],
    ...(context.scope.principalArn === undefined ? [] : [['Audited by', codeCell(context.scope.principalArn)]]),
    ['Inputs', isScan(context) ? inputsSummary(context) : listOrDash(context.scope.inputs, codeCell)],
    ['Started', text(context.startedAt)],
    ['Finished', text(context.finishedAt)],
    ['Duration', `${(context.stats.durationMs / 1000).toFixed(1)} s`],
    ['Fail threshold', `${text(context.failOn)} (unsuppressed failures at or above this severity fail the audit)`],
    [fromSnapshot ? 'API calls (when the snapshot was collected)' : 'API calls', `${total}${callDetail}`],
    ['Checks evaluated', `${context.checks.length}${context.checks.length === 0 ? '' : ` (${context.checks.map((check) => text(check.id)).join(', ')})`}`],
    ['Findings', String(findings.length)],
  ];
  return ['## Scope', '', table(['Item', 'Value'], rows)].join('\n');
}

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

function summarySection(findings: readonly Finding[], controls: readonly ControlSummary[], context: ReportContext): string {
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

function frameworksSection(controls: readonly ControlSummary[]): string {
  const rows = controls.map((c) => {
    const frameworks = c.check?.frameworks ?? c.findings[0]?.frameworks ?? {};
    const entries = Object.keys(frameworks)
      .sort()
      .map((name) => `${text(name)}: ${text((frameworks[name] ?? []).join(', '))}`);
    return [text(c.control), entries.length === 0 ? DASH : entries.join('; ')];
  });
  return ['## Framework mapping', '', table(['Control', 'Requirements'], rows)].join('\n');
}

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

function controlRemediation(check: CheckDefinition): string[] {
  const { remediation } = check;
  const out: string[] = [];
  out.push(`**How to fix:** ${text(remediation.text)}`);
  const snippets: [string, string | undefined, string][] = [
    ['AWS CLI', genericTemplate(remediation.cli), 'sh'],
    ['CloudFormation', remediation.cloudformation, 'yaml'],
    ['Terraform', remediation.terraform, 'hcl'],
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

function failuresSection(controls: readonly ControlSummary[]): string {
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

function unknownSection(findings: readonly Finding[]): string {
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

function notApplicableSection(findings: readonly Finding[]): string {
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

function suppressedFindingsSection(findings: readonly Finding[]): string {
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

function stateCell(entry: SuppressionEntry): string {
  switch (entry.state) {
    case 'expired':
      return '**EXPIRED** (ignored)';
    case 'unused':
      return entry.matched === 0 ? 'unused (matched nothing)' : 'unused (accepted no failure)';
    case 'active':
      return 'active';
  }
}

/** What a suppression matched but could not accept, said in the register (UNKNOWNs stay open). */
function refusedUnknownsNote(entry: SuppressionEntry): string | null {
  if (entry.unknownMatched === 0) {
    return null;
  }
  const which = `${text(entry.check)} ${codeSpan(entry.resource)}`;
  return `- ${which} matched ${plural(entry.unknownMatched, 'UNKNOWN finding')}, which a suppression cannot accept: ${entry.unknownMatched === 1 ? 'it stays' : 'they stay'} open until the verdict can be determined.`;
}

function registerSection(register: readonly SuppressionEntry[]): string {
  const out = ['## Suppression register', ''];
  if (register.length === 0) {
    out.push('No suppressions configured.');
    return out.join('\n');
  }
  const expired = register.filter((s) => s.state === 'expired').length;
  const unused = register.filter((s) => s.state === 'unused').length;
  if (expired > 0) {
    out.push(`> **Warning:** ${plural(expired, 'suppression')} ${expired === 1 ? 'has' : 'have'} expired and no longer ${expired === 1 ? 'applies' : 'apply'}; the findings ${expired === 1 ? 'it' : 'they'} covered count again. Renew or remove ${expired === 1 ? 'it' : 'them'}.`, '');
  }
  if (unused > 0) {
    out.push(`${plural(unused, 'suppression')} accepted no failure; check the resource pattern or remove ${unused === 1 ? 'it' : 'them'}.`, '');
  }
  const refused = register.map(refusedUnknownsNote).filter((note): note is string => note !== null);
  if (refused.length > 0) {
    out.push('A suppression accepts a known failure; it never closes an UNKNOWN:', '', ...refused, '');
  }
  const rows = register.map((s) => [
    text(s.check),
    codeCell(s.resource),
    s.region === undefined ? 'any' : codeCell(s.region),
    text(s.reason),
    text(s.expires),
    stateCell(s),
    String(s.matched),
  ]);
  out.push(table(['Check', 'Resource pattern', 'Region', 'Reason', 'Expires', 'State', 'Matched'], rows));
  return out.join('\n');
}

/* ------------------------------------------------------------------ baseline diff */

interface Keyed {
  readonly control: string;
  readonly resource: { readonly id: string; readonly region: string };
}

/** Control + resource id + region: what identifies "the same failure" across runs. */
function diffKey(item: Keyed): string {
  return JSON.stringify([item.control, item.resource.id, item.resource.region]);
}

function changesSection(findings: readonly Finding[], baseline: BaselineReport): string {
  const isActiveFail = (f: { status: string; suppressed: unknown }): boolean => f.status === 'FAIL' && f.suppressed === null;
  const before = new Map<string, BaselineReport['findings'][number]>();
  for (const f of baseline.findings) {
    if (isActiveFail(f)) {
      before.set(diffKey(f), f);
    }
  }
  const current = new Map<string, Finding>();
  // A resource whose region could not be read this time (a deleted bucket is reported in region
  // "unknown") is still the same resource: ARNs and bucket names identify it on their own. Only
  // account-keyed findings (CloudTrail.3, one per region) need the region to tell them apart.
  const currentByResource = new Map<string, Finding>();
  const resourceKey = (f: Keyed): string => JSON.stringify([f.control, f.resource.id]);
  for (const f of findings) {
    current.set(diffKey(f), f);
    if (!isAccountKeyed(f)) {
      currentByResource.set(resourceKey(f), f);
    }
  }
  const sameAsBefore = new Set<Finding>();
  const fixed: [BaselineReport['findings'][number], string][] = [];
  const unconfirmed: [BaselineReport['findings'][number], string][] = [];
  const gone: [BaselineReport['findings'][number], string][] = [];
  for (const [key, old] of before) {
    const now = current.get(key) ?? (isAccountKeyed(old) ? undefined : currentByResource.get(resourceKey(old)));
    if (now !== undefined) {
      sameAsBefore.add(now);
    }
    if (now === undefined) {
      // Not "fixed": nothing was seen to pass.
      gone.push([old, 'not reported (resource removed or out of scope)']);
    } else if (now.suppressed !== null) {
      unconfirmed.push([old, `${now.status}, suppressed`]);
    } else if (now.status === 'UNKNOWN') {
      unconfirmed.push([old, 'UNKNOWN']);
    } else if (now.status !== 'FAIL') {
      fixed.push([old, now.status]);
    }
  }
  const nowFailing = findings.filter(isActiveFail);
  const newFailures = nowFailing.filter((f) => !sameAsBefore.has(f));
  const stillFailing = nowFailing.filter((f) => sameAsBefore.has(f));
  const extra = [
    ...(unconfirmed.length > 0 ? [`${unconfirmed.length} no longer failing but not confirmed fixed`] : []),
    ...(gone.length > 0 ? [`${gone.length} no longer reported`] : []),
  ];
  const out = [
    '## Changes since last audit',
    '',
    `Compared with ${codeSpan(baseline.file)} (finished ${text(baseline.finishedAt)}), unsuppressed failures matched by control, resource and region: ` +
      `**${newFailures.length} new**, **${fixed.length} fixed**, **${stillFailing.length} still failing**` +
      (extra.length > 0 ? `, ${extra.join(', ')}.` : '.'),
  ];
  const currentRows = (list: readonly Finding[]): string[][] =>
    list.map((f) => [text(f.control), codeCell(f.resource.id), text(f.resource.region), text(f.message)]);
  const oldRows = (list: readonly [BaselineReport['findings'][number], string][]): string[][] =>
    list.map(([f, now]) => [text(f.control), codeCell(f.resource.id), text(f.resource.region), text(now), text(f.message)]);
  const sub = (title: string, rows: string[][], header: string[]): void => {
    out.push('', `### ${title}`, '');
    out.push(rows.length === 0 ? 'None.' : table(header, rows));
  };
  sub('New failures', currentRows(newFailures), ['Control', 'Resource', 'Region', 'Finding']);
  sub('Fixed', oldRows(fixed), ['Control', 'Resource', 'Region', 'Now', 'Was']);
  sub('Still failing', currentRows(stillFailing), ['Control', 'Resource', 'Region', 'Finding']);
  if (unconfirmed.length > 0) {
    sub('Not confirmed fixed', oldRows(unconfirmed), ['Control', 'Resource', 'Region', 'Now', 'Was']);
  }
  if (gone.length > 0) {
    sub('No longer reported (resource removed, or outside this audit)', oldRows(gone), ['Control', 'Resource', 'Region', 'Now', 'Was']);
  }
  return out.join('\n');
}

/* ------------------------------------------------------------------ the report */

export const formatMarkdown: Formatter = (findings, context) => {
  const controls = summariseControls(findings, context.checks);
  const sections = [
    `# CloudTrail compliance report (${text(context.tool.name)})`,
    scopeSection(findings, context),
    summarySection(findings, controls, context),
  ];
  if (isScan(context)) {
    sections.push(filesSection(findings, context));
  }
  if (context.baseline !== null) {
    sections.push(changesSection(findings, context.baseline));
  }
  sections.push(
    failuresSection(controls),
    unknownSection(findings),
    notApplicableSection(findings),
    suppressedFindingsSection(findings),
    registerSection(suppressionRegister(findings, context)),
    frameworksSection(controls),
  );
  return `${sections.join('\n\n')}\n`;
};
