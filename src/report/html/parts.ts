/**
 * Small pieces every section of the HTML report uses: a finding's category and status text, counts
 * per category, and a table writer that escapes every cell.
 */
import type { Finding } from '../../engine/types.js';
import type { Verdict } from '../common.js';
import { CATEGORIES, type Category } from './charts.js';
import { esc } from './escape.js';

export function categoryOf(finding: Pick<Finding, 'status' | 'suppressed'>): Category {
  switch (finding.status) {
    case 'FAIL':
      return finding.suppressed === null ? 'fail' : 'accepted';
    case 'PASS':
      return 'pass';
    case 'UNKNOWN':
      return 'unknown';
    case 'NOT_APPLICABLE':
      return 'na';
  }
}

export function verdictCategory(verdict: Verdict): Category | 'none' {
  switch (verdict) {
    case 'FAIL':
      return 'fail';
    case 'SUPPRESSED':
      return 'accepted';
    case 'UNKNOWN':
      return 'unknown';
    case 'PASS':
      return 'pass';
    case 'NOT_APPLICABLE':
      return 'na';
  }
}

/** A control's verdict in words: an accepted failure is a failure, never a pass. */
export function verdictText(verdict: Verdict): string {
  return verdict === 'SUPPRESSED' ? 'FAIL, suppressed' : verdict;
}

/** A suppressed failure reads as what it is: "FAIL, suppressed until 2027-06-30". */
export function statusText(finding: Pick<Finding, 'status' | 'suppressed'>): string {
  if (finding.suppressed !== null && finding.status === 'FAIL') {
    return `FAIL, suppressed until ${finding.suppressed.expires}`;
  }
  return finding.status;
}

export function emptyCategoryCounts(): Record<Category, number> {
  return { fail: 0, accepted: 0, unknown: 0, pass: 0, na: 0 };
}

export function categoryCounts(findings: Iterable<Pick<Finding, 'status' | 'suppressed'>>): Record<Category, number> {
  const counts = emptyCategoryCounts();
  for (const finding of findings) {
    counts[categoryOf(finding)] += 1;
  }
  return counts;
}

/** A cell is escaped text, or `{ html }` for markup this module built itself. */
export type Cell = string | number | { readonly html: string; readonly className?: string };

function cell(tag: 'td' | 'th', value: Cell, numeric: boolean): string {
  if (typeof value === 'object') {
    return `<${tag}${value.className === undefined ? '' : ` class="${esc(value.className)}"`}>${value.html}</${tag}>`;
  }
  return `<${tag}${numeric && typeof value === 'number' ? ' class="num"' : ''}>${esc(value)}</${tag}>`;
}

export function table(caption: string, headers: readonly string[], rows: readonly (readonly Cell[])[], className = 'data'): string {
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((row) => `<tr>${row.map((value) => cell('td', value, true)).join('')}</tr>`).join('\n');
  return `<table class="${className}"><caption>${esc(caption)}</caption>${head}<tbody>\n${body}\n</tbody></table>`;
}

/** Count cells in the order of the charts' legend. */
export function countCells(counts: Readonly<Record<Category, number>>): number[] {
  return CATEGORIES.map((c) => counts[c]);
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}" aria-labelledby="${esc(id)}-h"><h2 id="${esc(id)}-h">${esc(title)}</h2>\n${body}\n</section>`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}
