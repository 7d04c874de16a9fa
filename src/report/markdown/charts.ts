/**
 * The Markdown report's charts: a mermaid `pie` of the statuses and, with a history, an
 * `xychart-beta` trend. GitHub renders `pie`; `xychart-beta` is not verified there
 * (SCALE_AND_INTEGRATIONS §5.4), and a host without mermaid shows the source, so every chart is
 * followed by the same numbers in a table.
 */
import { fixDuration } from '../fixDuration.js';
import { STATUS_COLOURS } from '../statusColours.js';
import { trendAxisLabels, trendEvaluatedCell, trendScopeNote } from '../trendScope.js';
import { STATUSES, type Status } from '../../engine/types.js';
import type { HistorySection } from '../../history/record.js';
import type { StatusCounts } from '../common.js';
import { DASH, codeCell, firstRows, mermaidLabel, plural, table, text } from './text.js';

const LABELS: Record<Status, string> = { PASS: 'PASS', FAIL: 'FAIL', UNKNOWN: 'UNKNOWN', NOT_APPLICABLE: 'N/A' };

/** Fixed items listed under the trend; the JSON report's `history.fixedSinceLastRun` has all. */
const FIXED_ROWS = 50;

/** mermaid's init directive giving the present slices, in order, their status's colour. */
function pieColours(slices: readonly Status[]): string {
  const variables = Object.fromEntries(slices.map((status, index) => [`pie${String(index + 1)}`, STATUS_COLOURS[status]]));
  return `%%{init: ${JSON.stringify({ theme: 'base', themeVariables: { ...variables, pieStrokeColor: '#ffffff', pieOuterStrokeColor: '#ffffff' } })}}%%`;
}

/**
 * The trend chart's init directive: FAIL, UNKNOWN, PASS in the HTML report's colours (mermaid's
 * default palette draws FAIL pale). The width is left to mermaid: GitHub shrinks a wider chart to
 * its column, and the labels with it (30 labels in 2,640 px came out 5 px tall).
 */
function xyChartInit(): string {
  const config = { themeVariables: { xyChart: { plotColorPalette: `${STATUS_COLOURS.FAIL}, ${STATUS_COLOURS.UNKNOWN}, ${STATUS_COLOURS.PASS}` } } };
  return `%%{init: ${JSON.stringify(config)}}%%`;
}

/** Runs past which the axis shows run numbers: dates or times no longer fit side by side. */
const AXIS_DATES_UP_TO = 10;

/**
 * The chart's x labels: the trend's distinct labels while they fit, else the run's number in the
 * table below (with its `*`), so a 30-run window stays readable in a pull request.
 */
function chartAxisLabels(trend: HistorySection['trend']): string[] {
  const labels = trendAxisLabels(trend);
  return trend.length <= AXIS_DATES_UP_TO ? labels : labels.map((label, index) => `${String(index + 1)}${label.endsWith(' *') ? '*' : ''}`);
}

/** Slices in the order of STATUSES with their JSON-summary counts; zero slices are left out. */
export function statusSection(counts: StatusCounts): string {
  const slices = STATUSES.filter((status) => counts[status] > 0);
  const out = ['## Status', ''];
  if (slices.length === 0) {
    out.push('No findings.');
    return out.join('\n');
  }
  out.push(
    '```mermaid',
    pieColours(slices),
    `pie showData title ${mermaidLabel('Findings by status')}`,
    ...slices.map((status) => `    "${mermaidLabel(LABELS[status])}" : ${counts[status]}`),
    '```',
    '',
    table(
      ['Status', 'Findings'],
      [...STATUSES.map((status) => [LABELS[status], String(counts[status])]), ['of which suppressed (FAIL, accepted risk)', String(counts.suppressed)]],
    ),
  );
  return out.join('\n');
}

function runTotals(controls: HistorySection['trend'][number]['controls']): Record<Status, number> {
  const totals: Record<Status, number> = { PASS: 0, FAIL: 0, UNKNOWN: 0, NOT_APPLICABLE: 0 };
  for (const row of Object.values(controls)) {
    for (const status of STATUSES) {
      totals[status] += row[status];
    }
  }
  return totals;
}

function fixedTable(section: HistorySection): string[] {
  const fixed = section.fixedSinceLastRun;
  if (fixed.length === 0) {
    // The first run of a history has no last run: "none" would read as "nothing was fixed".
    return [section.runs.count === 1 ? '**Fixed since the last run:** this is the history\'s first run; the next run is compared with it.' : '**Fixed since the last run:** none.'];
  }
  const { shown, more } = firstRows(fixed, FIXED_ROWS);
  return [
    `**Fixed since the last run:** ${plural(fixed.length, 'result')}.`,
    '',
    table(
      ['Control', 'Account', 'Region', 'Resource', 'Failing since', 'Fixed', 'How'],
      shown.map((f) => [
        text(f.control),
        f.accountId === null ? DASH : codeCell(f.accountId),
        text(f.region),
        codeCell(f.resourceId),
        text(f.failingSince),
        text(f.fixedAt),
        f.how === 'passed' ? 'passes now' : 'resource gone from an evaluated scope',
      ]),
    ),
    ...(more === null ? [] : ['', more]),
  ];
}

export function trendSection(section: HistorySection): string {
  const current = section.trend.at(-1);
  const runs = section.trend.map((run) => ({ startedAt: run.startedAt, totals: runTotals(run.controls), evaluated: trendEvaluatedCell(run, current) }));
  const scopeNote = trendScopeNote(section.trend);
  const series = (status: Status): string => `[${runs.map((run) => run.totals[status]).join(', ')}]`;
  const labels = chartAxisLabels(section.trend);
  const numbered = section.trend.length > AXIS_DATES_UP_TO;
  const mttr = section.meanTimeToFix;
  const out = [
    '## Trend',
    '',
    `${plural(section.runs.count, 'run')} in the history, from ${text(section.runs.first)} to ${text(section.runs.last)}; the last ${plural(runs.length, 'run')} below. ` +
      'The chart\'s three lines are FAIL (red), UNKNOWN (amber) and PASS (green): an xychart has no legend; the table under it has the same numbers.',
    '',
    // One run draws no line: the chart starts with the second run (the table has the first).
    ...(runs.length < 2
      ? ['The chart starts with the second run of the history.']
      : [
          '```mermaid',
          xyChartInit(),
          'xychart-beta',
          `    title "${mermaidLabel('Findings per run')}"`,
          `    x-axis [${labels.map((label) => `"${mermaidLabel(label)}"`).join(', ')}]`,
          `    y-axis "${mermaidLabel('Findings')}"`,
          `    line ${series('FAIL')}`,
          `    line ${series('UNKNOWN')}`,
          `    line ${series('PASS')}`,
          '```',
        ]),
    '',
    ...(numbered && runs.length >= 2 ? ['The chart numbers the runs as the first column of this table does.', ''] : []),
    table(
      [...(numbered ? ['Run'] : []), 'Run started', 'FAIL', 'UNKNOWN', 'PASS', 'N/A', 'Evaluated'],
      runs.map((run, index) => [
        ...(numbered ? [String(index + 1)] : []),
        text(run.startedAt),
        String(run.totals.FAIL),
        String(run.totals.UNKNOWN),
        String(run.totals.PASS),
        String(run.totals.NOT_APPLICABLE),
        text(run.evaluated),
      ]),
    ),
    '',
    ...(scopeNote === null ? [] : [`**${text(scopeNote)}**`, '']),
    ...fixedTable(section),
    '',
    mttr.days === null
      ? `**Mean time to fix:** no fix seen since ${text(mttr.since)}.`
      : `**Mean time to fix:** ${fixDuration(mttr.days)} over ${plural(mttr.fixes, 'fix', 'fixes')} since ${text(mttr.since)}.`,
  ];
  return out.join('\n');
}
