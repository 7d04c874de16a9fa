/**
 * The overview sections: results by control and by Region (bars and the same numbers in a table),
 * the audit gaps (UNKNOWNs with what would close them, never part of a pass rate) and the
 * suppression register.
 */
import { genericTemplate } from '../../engine/template.js';
import type { Finding } from '../../engine/types.js';
import type { UnknownDetail } from '../../facts/model.js';
import { suppressionRegister, unknownAdvice, unknownNeeds, type ControlSummary } from '../common.js';
import type { ReportOverview } from '../overview.js';
import type { ReportContext } from '../types.js';
import { CATEGORIES, CATEGORY_LABELS, legend, stackedBars } from './charts.js';
import { esc } from './escape.js';
import { categoryCounts, countCells, plural, section, table, verdictCategory, verdictText, type Cell } from './parts.js';
import { groupBy } from '../../groupBy.js';

/** unknownNeeds with the values to set in <code>: marked, escaped, then wrapped (ids may hold `<`). */
function neededHtml(detail: UnknownDetail): string {
  return esc(unknownNeeds(detail, (value) => `\u0000${value}\u0001`))
    .split('\u0000')
    .join('<code>')
    .split('\u0001')
    .join('</code>');
}

const COUNT_HEADERS = CATEGORIES.map((c) => CATEGORY_LABELS[c]);

function verdictCell(summary: ControlSummary): Cell {
  const category = verdictCategory(summary.verdict);
  return { html: `<span class="badge k-${category}">${esc(verdictText(summary.verdict))}</span>` };
}

export function controlsSection(controls: readonly ControlSummary[]): string {
  const rows = controls.map((c) => ({ label: c.control, counts: categoryCounts(c.findings) }));
  const chart = stackedBars('Results by control (share of each status; total at the end of each bar)', rows);
  const data = table(
    'Results by control',
    ['Control', 'Title', 'Severity', 'Verdict', ...COUNT_HEADERS],
    controls.map((c, i) => [{ html: `<a href="#fix-${i}">${esc(c.control)}</a>` }, c.title, c.severity, verdictCell(c), ...countCells(rows[i]?.counts ?? categoryCounts([]))]),
  );
  return section('controls', 'Results by control', `${legend()}<div class="scroll">${chart}</div>\n${data}`);
}

export function regionsSection(findings: readonly Finding[]): string {
  const byRegion = [...groupBy(findings, (f) => f.resource.region)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (byRegion.length === 0) {
    return '';
  }
  const rows = byRegion.map(([region, list]) => ({ label: region, counts: categoryCounts(list) }));
  const chart = stackedBars('Results by Region (global: account-wide results)', rows);
  const data = table('Results by Region', ['Region', ...COUNT_HEADERS], rows.map((r) => [r.label, ...countCells(r.counts)]));
  return section('regions', 'Results by Region', `${legend()}<div class="scroll">${chart}</div>\n${data}`);
}

export function gapsSection(overview: ReportOverview, context: ReportContext): string {
  const unreachable = context.scope.organization?.unreachable ?? [];
  const skipped = context.scope.organization?.skipped ?? [];
  const inputErrors = context.inputErrors ?? [];
  if (overview.gaps.length === 0 && unreachable.length === 0 && skipped.length === 0 && inputErrors.length === 0) {
    return section('gaps', 'Audit gaps', '<p>None: every result was determined.</p>');
  }
  const parts: string[] = [
    `<p>${esc(plural(overview.gaps.length, 'result'))} could not be determined. They are not counted in the pass rate and are not passes: each needs what its row says.</p>`,
  ];
  if (overview.gaps.length > 0) {
    const needs = (f: Finding): Cell =>
      f.unknowns.length === 0 ? (f.reason ?? 'unknown') : { html: `<ul class="plain">${f.unknowns.map((u) => `<li>${esc(u.reason)}: ${neededHtml(u)}</li>`).join('')}</ul>` };
    parts.push(
      table(
        'Results that could not be determined (UNKNOWN)',
        ['Control', 'Severity', 'Account', 'Region', 'Resource', 'Why', 'Needed'],
        overview.gaps.map((f) => [f.control, f.severity, f.resource.accountId ?? '', f.resource.region, { html: `<code>${esc(f.resource.id)}</code>` }, f.message, needs(f)]),
      ),
      `<p class="advice">${esc(unknownAdvice(overview.gaps.flatMap((f) => f.unknowns)))}</p>`,
    );
  }
  if (unreachable.length > 0) {
    parts.push(table('Accounts that could not be entered', ['Account', 'Reason', 'Detail'], unreachable.map((u) => [u.accountId, u.reason, u.message])));
  }
  if (skipped.length > 0) {
    // Not audited at all (excluded, suspended, outside the OU): no result of theirs is in any count.
    parts.push(
      table(
        'Accounts of the organization left out of this audit (none of their results is in this report)',
        ['Account', 'Name', 'Reason', 'Detail'],
        skipped.map((entry) => [entry.accountId, entry.name ?? '', entry.reason, entry.message]),
      ),
    );
  }
  if (inputErrors.length > 0) {
    parts.push(table('Files that could not be scanned (their resources are not in this report)', ['File', 'Line', 'Problem'], inputErrors.map((e) => [e.file, e.line, e.message])));
  }
  return section('gaps', 'Audit gaps', parts.join('\n'));
}

export function suppressionsSection(overview: ReportOverview, context: ReportContext): string {
  const register = suppressionRegister(context);
  if (register.length === 0 && overview.acceptedRisks.length === 0) {
    return section('suppressions', 'Suppressions', '<p>No suppression is configured.</p>');
  }
  const rows = register.map((s): Cell[] => [
    s.check,
    { html: `<code>${esc(s.resource)}</code>${s.region === undefined ? '' : ` in ${esc(s.region)}`}${s.file === undefined ? '' : ` (${esc(s.file)})`}` },
    s.reason,
    s.expires,
    { html: `<span class="state state-${esc(s.state)}">${esc(s.state)}</span>` },
    s.matched,
    s.unknownMatched > 0 ? `${String(s.unknownMatched)} UNKNOWN left open` : '',
  ]);
  const intro = `<p>${esc(plural(overview.acceptedRisks.length, 'failure'))} accepted as risk. A suppressed failure is still a failure: it reads "FAIL, suppressed until …" in the findings. A suppression never closes an UNKNOWN.</p>`;
  return section('suppressions', 'Suppressions', `${intro}\n${table('Suppression register', ['Control', 'Resource', 'Reason', 'Expires', 'State', 'Matched', 'Not accepted'], rows)}`);
}

/** Remediation once per control (the findings link here), so a 200-account report does not repeat it 200 times. */
export function fixesSection(controls: readonly ControlSummary[]): string {
  const items = controls.map((c, i) => {
    const r = c.check?.remediation;
    const open = c.verdict === 'FAIL' || c.verdict === 'SUPPRESSED' ? ' open' : '';
    const snippets =
      r === undefined
        ? ''
        : [
            // Once per control, not per resource: placeholders read as <name>, as in the Markdown.
            ['AWS CLI', genericTemplate(r.cli)],
            ['CloudFormation', genericTemplate(r.cloudformation)],
            ['Terraform', genericTemplate(r.terraform)],
          ]
            .filter(([, code]) => code !== '')
            .map(([label, code]) => `<h4>${esc(label ?? '')}</h4><pre><code>${esc(code ?? '')}</code></pre>`)
            .join('');
    const link = r === undefined || r.url === '' ? '' : ` <a href="${esc(r.url)}" rel="noreferrer">${esc(r.url)}</a>`;
    return `<details id="fix-${i}"${open}><summary><strong>${esc(c.control)}</strong> ${esc(c.title)} <span class="badge k-${verdictCategory(c.verdict)}">${esc(verdictText(c.verdict))}</span></summary><p>${esc(r === undefined ? (c.findings[0]?.remediation ?? '') : genericTemplate(r.text))}${link}</p>${snippets}</details>`;
  });
  return section('fixes', 'How to fix, by control', items.join('\n'));
}
