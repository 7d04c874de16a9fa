/**
 * The accounts × controls matrix of an organization report: one row per account, one column per
 * enabled control; account- and Region-level controls and the resource controls alike, each cell
 * aggregating that account's findings of the control with counts. One short cell per pair keeps
 * 200 accounts × 40 controls in a few dozen kilobytes.
 */
import type { Finding } from '../../engine/types.js';
import { emptyCounts, type ControlSummary, type StatusCounts } from '../common.js';
import type { ReportContext } from '../types.js';
import { DASH, codeCell, table, text } from './text.js';

export const LEGEND =
  '✅ passed · ❌ failing (unsuppressed) · ❔ could not be determined · ⚠️ failing, accepted risk (suppressed) · — nothing to evaluate. Numbers count resources (or Regions) when more than one.';

/** The account's name from discovery, or a dash. */
export function accountLabel(accountId: string, context: ReportContext): string {
  const name = context.scope.organization?.accountNames[accountId];
  return name === undefined ? DASH : text(name);
}

/** Audited accounts, then any other account findings name (sorted), so no finding is left out. */
export function reportAccounts(findings: readonly Finding[], context: ReportContext): string[] {
  const accounts = new Set(context.scope.accounts);
  for (const finding of findings) {
    if (finding.resource.accountId !== null) {
      accounts.add(finding.resource.accountId);
    }
  }
  return [...accounts].sort();
}

/** Open (unsuppressed) failures and unknowns, and suppressed ones apart (as the Summary counts them). */
function tally(findings: readonly Finding[]): StatusCounts {
  const counts = emptyCounts();
  for (const finding of findings) {
    if (finding.suppressed !== null) {
      counts.suppressed += 1;
    } else {
      counts[finding.status] += 1;
    }
  }
  return counts;
}

function counted(symbol: string, n: number): string {
  return n > 1 ? `${symbol} ${n}` : symbol;
}

export function matrixCell(findings: readonly Finding[]): string {
  const counts = tally(findings);
  if (counts.FAIL > 0) {
    return counts.UNKNOWN > 0 ? `${counted('❌', counts.FAIL)} ${counted('❔', counts.UNKNOWN)}` : counted('❌', counts.FAIL);
  }
  if (counts.UNKNOWN > 0) {
    return counted('❔', counts.UNKNOWN);
  }
  if (counts.suppressed > 0) {
    return counted('⚠️', counts.suppressed);
  }
  return counts.PASS > 0 ? counted('✅', counts.PASS) : DASH;
}

export function accountMatrix(findings: readonly Finding[], controls: readonly ControlSummary[], context: ReportContext): string {
  const accounts = reportAccounts(findings, context);
  // account → control → its findings, built once (not a scan per cell).
  const cells = new Map<string, Map<string, Finding[]>>(accounts.map((account) => [account, new Map()]));
  for (const finding of findings) {
    const row = finding.resource.accountId === null ? undefined : cells.get(finding.resource.accountId);
    const list = row?.get(finding.control);
    if (list !== undefined) {
      list.push(finding);
    } else {
      row?.set(finding.control, [finding]);
    }
  }
  const rows = accounts.map((account) => {
    const row = cells.get(account) ?? new Map<string, Finding[]>();
    const all = [...row.values()].flat();
    const open = tally(all);
    return [codeCell(account), accountLabel(account, context), String(open.FAIL), String(open.UNKNOWN), ...controls.map((control) => matrixCell(row.get(control.control) ?? []))];
  });
  return [LEGEND, '', table(['Account', 'Name', 'FAIL', 'UNKNOWN', ...controls.map((control) => text(control.control))], rows)].join('\n');
}
