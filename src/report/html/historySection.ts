/**
 * With `--history`: the trend of the last runs (a line chart and its numbers), what was fixed since
 * the last run, the mean time to fix, and the open failures by how long they have been failing.
 */
import { fixDuration } from '../fixDuration.js';
import type { Finding } from '../../engine/types.js';
import { historyKey } from '../../history/key.js';
import type { HistoryAnnotations } from '../../history/record.js';
import type { ReportOverview } from '../overview.js';
import type { ReportContext } from '../types.js';
import { legend, trendChart, type Category, type TrendPoint } from './charts.js';
import { day, esc, when } from './escape.js';
import { trendAxisLabels, trendEvaluatedCell, trendScopeNote } from '../trendScope.js';
import { plural, section, statusText, table } from './parts.js';

const DAY_MS = 86_400_000;
const LINES: readonly Category[] = ['fail', 'unknown', 'pass'];
const LONGEST = 20;

/** When the run's verdicts were observed: the time the history gives the run. */
function runTime(context: ReportContext): string {
  return context.collectedAt ?? context.startedAt;
}

export function failingSinceOf(history: HistoryAnnotations | undefined, finding: Finding): string | null {
  return history?.results.get(historyKey(finding))?.failingSince ?? null;
}

export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));
}

function trendPoints(history: HistoryAnnotations): (TrendPoint & { readonly evaluated: string })[] {
  const labels = trendAxisLabels(history.section.trend);
  const current = history.section.trend.at(-1);
  return history.section.trend.map((run, index) => {
    const totals = { fail: 0, unknown: 0, pass: 0, na: 0 };
    for (const counts of Object.values(run.controls)) {
      totals.fail += counts.FAIL;
      totals.unknown += counts.UNKNOWN;
      totals.pass += counts.PASS;
      totals.na += counts.NOT_APPLICABLE;
    }
    return { at: run.startedAt, label: labels[index] ?? run.startedAt, values: totals, evaluated: trendEvaluatedCell(run, current) };
  });
}

/** FAIL count per control and run; "–" where the run did not evaluate the control (not a zero). */
function perControlTable(history: HistoryAnnotations): string {
  const runs = history.section.trend;
  const controls = [...new Set(runs.flatMap((run) => Object.keys(run.controls)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return table(
    'FAIL results per control in each run (– : not evaluated in that run)',
    ['Control', ...trendAxisLabels(runs)],
    controls.map((control) => [control, ...runs.map((run) => run.controls[control]?.FAIL ?? '–')]),
  );
}

export function historySection(context: ReportContext, overview: ReportOverview): string {
  const history = context.history;
  if (history === undefined) {
    return '';
  }
  const { runs, fixedSinceLastRun, meanTimeToFix } = history.section;
  const points = trendPoints(history);
  const scopeNote = trendScopeNote(history.section.trend);
  const parts: string[] = [
    `<p>${esc(plural(runs.count, 'run'))} in the history, ${esc(when(runs.first))} to ${esc(when(runs.last))}; the trend shows the last ${esc(plural(points.length, 'run'))}. A run that did not evaluate a result neither ends nor restarts its failure streak.</p>`,
    legend(LINES),
    `<div class="scroll">${trendChart(`Results over the last ${plural(points.length, 'run')}: FAIL, UNKNOWN and PASS per run`, points, LINES)}</div>`,
    `<p class="note">FAIL counts include suppressed failures.</p>`,
    ...(scopeNote === null ? [] : [`<p class="note"><strong>${esc(scopeNote)}</strong></p>`]),
    `<details class="numbers"><summary>The trend in numbers</summary>${table(
      'Results per run',
      ['Run', 'FAIL', 'UNKNOWN', 'PASS', 'NOT_APPLICABLE', 'Evaluated'],
      points.map((p) => [when(p.at, true), p.values.fail ?? 0, p.values.unknown ?? 0, p.values.pass ?? 0, p.values.na ?? 0, p.evaluated]),
    )}</details>`,
  ];
  parts.push(`<details class="numbers"><summary>Failures per control, per run</summary>${perControlTable(history)}</details>`);
  const mttf = meanTimeToFix.days === null ? `no fix since ${when(meanTimeToFix.since)}` : `${fixDuration(meanTimeToFix.days)} over ${plural(meanTimeToFix.fixes, 'fix', 'fixes')} since ${when(meanTimeToFix.since)}`;
  parts.push(
    fixedSinceLastRun.length === 0
      ? runs.count === 1
        ? '<p><strong>Fixed since the last run:</strong> this is the history\'s first run; the next run is compared with it.</p>'
        : '<p><strong>Fixed since the last run:</strong> nothing.</p>'
      : table(
          'Fixed since the last run',
          ['Control', 'Account', 'Region', 'Resource', 'Failing since', 'Fixed', 'How'],
          fixedSinceLastRun.map((f) => [f.control, f.accountId ?? '', f.region, { html: `<code>${esc(f.resourceId)}</code>` }, day(f.failingSince), day(f.fixedAt), f.how === 'gone' ? 'resource gone' : 'passes now']),
        ),
  );
  parts.push(`<p>Mean time to fix: <strong>${esc(mttf)}</strong>.</p>`);
  const now = runTime(context);
  const open = [...overview.failures, ...overview.acceptedRisks]
    .map((f) => ({ f, since: failingSinceOf(history, f) }))
    .filter((x): x is { f: Finding; since: string } => x.since !== null)
    .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
  parts.push(
    open.length === 0
      ? '<p><strong>Failing since:</strong> no failure.</p>'
      : table(
          `Failures by how long they have been failing (the ${String(Math.min(LONGEST, open.length))} longest of ${String(open.length)})`,
          ['Failing since', 'Days', 'Status', 'Control', 'Severity', 'Account', 'Region', 'Resource'],
          open.slice(0, LONGEST).map(({ f, since }) => [day(since), daysBetween(since, now), statusText(f), f.control, f.severity, f.resource.accountId ?? '', f.resource.region, { html: `<code>${esc(f.resource.id)}</code>` }]),
        ),
  );
  return section('history', 'Trend and history', parts.join('\n'));
}
