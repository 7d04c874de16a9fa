/**
 * The findings table: one server-rendered row per finding, complete without script (evidence and
 * the finding's fix folded in `<details>`). The filter form is `hidden` until the script (script.ts)
 * shows it: without script there is nothing to filter with, and every row stays visible.
 */
import { SEVERITIES, type Finding } from '../../engine/types.js';
import { formatEvidenceValue, severityRank, unknownNeeds, type ControlSummary } from '../common.js';
import { bySeverity } from '../overview.js';
import type { ReportContext } from '../types.js';
import { CATEGORIES, CATEGORY_LABELS } from './charts.js';
import { day, esc } from './escape.js';
import { failingSinceOf } from './historySection.js';
import { historyKey } from '../../history/key.js';
import { categoryOf, section, statusText } from './parts.js';

function options(values: readonly string[], labels: (value: string) => string = (v) => v): string {
  return values.map((v) => `<option value="${esc(v)}">${esc(labels(v))}</option>`).join('');
}

/** Distinct values in natural order (CloudTrail.2 before CloudTrail.10), the same on every machine. */
const NATURAL = new Intl.Collator('en', { numeric: true });
function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => NATURAL.compare(a, b));
}

function filterForm(findings: readonly Finding[]): string {
  const select = (id: string, label: string, column: number, opts: string): string =>
    `<label>${esc(label)} <select id="${id}" data-col="${String(column)}"><option value="">all</option>${opts}</select></label>`;
  return [
    '<div id="filters" class="filters" role="search" hidden>',
    select('f-status', 'Status', 0, options([...CATEGORIES], (c) => CATEGORY_LABELS[c as (typeof CATEGORIES)[number]])),
    select('f-severity', 'Severity', 1, options([...SEVERITIES].reverse().map((s) => s.toUpperCase()))),
    select('f-control', 'Control', 2, options(distinct(findings.map((f) => f.control)))),
    select('f-account', 'Account', 3, options(distinct(findings.map((f) => f.resource.accountId ?? '')).filter((a) => a !== ''))),
    select('f-region', 'Region', 4, options(distinct(findings.map((f) => f.resource.region)))),
    '<label>Text <input id="f-text" type="search" placeholder="resource, message, evidence…"></label>',
    '<output id="f-count" for="f-status f-severity f-control f-account f-region f-text"></output>',
    '</div>',
  ].join('\n');
}

function evidenceList(finding: Finding): string {
  const entries = Object.entries(finding.evidence);
  if (entries.length === 0) {
    return '';
  }
  return `<dl class="evidence">${entries.map(([k, v]) => `<dt>${esc(k)}</dt><dd><code>${esc(formatEvidenceValue(v))}</code></dd>`).join('')}</dl>`;
}

function detailsOf(finding: Finding, fixAnchor: string | undefined, firstSeen: string | undefined): string {
  const parts: string[] = [];
  parts.push(`<p>Resource: <code>${esc(finding.resource.id)}</code> (${esc(finding.resource.type)})${finding.location === null ? '' : `, ${esc(finding.location.file)}:${String(finding.location.line)}`}</p>`);
  parts.push(evidenceList(finding));
  for (const u of finding.unknowns) {
    parts.push(`<p>Needed: ${esc(unknownNeeds(u))} (${esc(u.reason)}: ${esc(u.message)})</p>`);
  }
  if (finding.suppressed !== null) {
    parts.push(`<p>Suppressed until ${esc(finding.suppressed.expires)}: ${esc(finding.suppressed.reason)} (rule <code>${esc(finding.suppressed.resource)}</code>)</p>`);
  }
  if (finding.status === 'FAIL' || finding.status === 'UNKNOWN') {
    parts.push(`<p>Fix:${fixAnchor === undefined ? '' : ` <a href="#${fixAnchor}">how to fix ${esc(finding.control)}</a>`}</p><pre><code>${esc(finding.remediation)}</code></pre>`);
  }
  if (firstSeen !== undefined) {
    parts.push(`<p>First seen ${esc(day(firstSeen))}.</p>`);
  }
  return `<details><summary>Evidence${finding.status === 'FAIL' ? ' and fix' : ''}</summary>${parts.join('')}</details>`;
}

/** Failures first (most severe first), then accepted risks, gaps, passes, not applicable. */
function rowOrder(a: Finding, b: Finding): number {
  return CATEGORIES.indexOf(categoryOf(a)) - CATEGORIES.indexOf(categoryOf(b)) || bySeverity(a, b);
}

/** Status sort order: failures, accepted risks, gaps, passes, not applicable. */
const STATUS_ORDER: readonly string[] = ['fail', 'accepted', 'unknown', 'pass', 'na'];

export function findingsSection(findings: readonly Finding[], context: ReportContext, controls: readonly ControlSummary[]): string {
  const fixAnchors = new Map<string, string>();
  controls.forEach((c, i) => {
    const id = c.findings[0]?.checkId ?? c.check?.id;
    if (id !== undefined) {
      fixAnchors.set(id, `fix-${String(i)}`);
    }
  });
  const history = context.history;
  const headers = ['Status', 'Severity', 'Control', 'Account', 'Region', 'Resource', 'Result', ...(history === undefined ? [] : ['Failing since'])];
  const rows = [...findings].sort(rowOrder).map((f) => {
    const category = categoryOf(f);
    const since = failingSinceOf(history, f);
    const firstSeen = history?.results.get(historyKey(f))?.firstSeen;
    const cells = [
      // Sort keys: the first click on Status or Severity puts what matters most first.
      `<td data-v="${String(STATUS_ORDER.indexOf(category))}"><span class="badge k-${category}">${esc(statusText(f))}</span></td>`,
      `<td data-v="${String(SEVERITIES.length - 1 - severityRank(f.severity))}"><span class="sev sev-${esc(f.severity.toLowerCase())}">${esc(f.severity)}</span></td>`,
      `<td>${esc(f.control)}</td>`,
      `<td>${esc(f.resource.accountId ?? '')}</td>`,
      `<td>${esc(f.resource.region)}</td>`,
      `<td class="id">${esc(f.resource.name ?? f.resource.id)}</td>`,
      `<td class="msg">${esc(f.message)}${detailsOf(f, fixAnchors.get(f.checkId), firstSeen)}</td>`,
      ...(history === undefined ? [] : [`<td>${since === null ? '' : `<time datetime="${esc(since)}">${esc(day(since))}</time>`}</td>`]),
    ];
    return `<tr data-k="${category}">${cells.join('')}</tr>`;
  });
  const head = headers.map((h, i) => `<th scope="col" data-col="${String(i)}">${esc(h)}</th>`).join('');
  const body = [
    `<p>${esc(String(findings.length))} findings, failures first and most severe first. Filter and sort with the controls above the table (they need JavaScript); without it every row is shown.</p>`,
    filterForm(findings),
    `<div class="scroll"><table id="findings-table" class="data findings"><caption>All findings</caption><thead><tr>${head}</tr></thead><tbody>`,
    rows.join('\n'),
    '</tbody></table></div>',
  ].join('\n');
  return section('findings', 'Findings', body);
}
