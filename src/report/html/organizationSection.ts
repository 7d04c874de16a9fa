/**
 * Organization audits (more than one account): the control × account heatmap, one row per account
 * and one column per control, each cell the control's verdict in that account, then the same in
 * numbers (controls per verdict, per account).
 */
import type { Finding } from '../../engine/types.js';
import { summariseControls, type ControlSummary } from '../common.js';
import type { ReportContext } from '../types.js';
import { CATEGORIES, CATEGORY_LABELS, heatmap, legend, type Category, type HeatCell } from './charts.js';
import { esc } from './escape.js';
import { emptyCategoryCounts, section, table, verdictCategory, verdictText } from './parts.js';
import { groupBy } from '../../groupBy.js';

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function accountsOf(findings: readonly Finding[], context: ReportContext): string[] {
  const ids = new Set<string>(context.scope.accounts);
  for (const f of findings) {
    if (f.resource.accountId !== null) {
      ids.add(f.resource.accountId);
    }
  }
  return [...ids].sort(compareText);
}

/** Audits of several accounts; a single account's report about another account's bucket is not one. */
export function isOrganizationReport(context: ReportContext): boolean {
  return context.scope.organization !== undefined || context.scope.accounts.length > 1;
}

export function organizationSection(findings: readonly Finding[], context: ReportContext, controls: readonly ControlSummary[]): string {
  const accounts = accountsOf(findings, context);
  const byAccount = groupBy(findings, (f) => f.resource.accountId ?? '');
  // Columns: the controls that have findings somewhere (a column of blanks says nothing).
  const columns = controls.filter((c) => c.findings.length > 0);
  const names = context.scope.organization?.accountNames ?? {};
  const label = (id: string): string => (names[id] === undefined ? id : `${id} ${names[id]}`);
  const cells: HeatCell[][] = [];
  const totals: Record<Category | 'none', number>[] = [];
  for (const account of accounts) {
    const own = summariseControls(byAccount.get(account) ?? [], []);
    const verdicts = new Map(own.map((s) => [s.findings[0]?.checkId, s.verdict]));
    const counts = { ...emptyCategoryCounts(), none: 0 };
    cells.push(
      columns.map((c) => {
        const verdict = verdicts.get(c.findings[0]?.checkId);
        const category = verdict === undefined ? 'none' : verdictCategory(verdict);
        counts[category] += 1;
        return { category, title: `${label(account)} · ${c.control}: ${verdict === undefined ? 'no result' : verdictText(verdict)}` };
      }),
    );
    totals.push(counts);
  }
  const chart = heatmap(
    `Control × account heatmap: ${String(accounts.length)} accounts × ${String(columns.length)} controls, each cell the control's verdict in the account`,
    accounts.map(label),
    columns.map((c) => c.control),
    cells,
  );
  const data = table(
    'Controls per verdict, by account',
    ['Account', 'Name', ...CATEGORIES.map((c) => CATEGORY_LABELS[c]), 'No result'],
    accounts.map((account, i) => {
      const t = totals[i] ?? { ...emptyCategoryCounts(), none: 0 };
      return [account, names[account] ?? '', ...CATEGORIES.map((c) => t[c]), t.none];
    }),
  );
  const intro = `<p>${esc(String(accounts.length))} accounts. Each cell is one control in one account (hover for its name); the table after it gives the same in numbers.</p>`;
  return section('organization', 'Controls by account', `${intro}${legend([...CATEGORIES])}<div class="scroll">${chart}</div>\n<details class="numbers"><summary>The heatmap in numbers</summary>${data}</details>`);
}
