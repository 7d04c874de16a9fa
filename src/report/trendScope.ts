/**
 * What each run of a history's trend evaluated, said the same way by every report: a narrower run
 * (fewer accounts, Regions or checks) has smaller counts that are not an improvement.
 */
import type { TrendPoint } from '../history/record.js';

function count(n: number, one: string, many = `${one}s`): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

/** "2 accounts, 3 Regions, 31 checks". */
export function trendScopeLabel(point: Pick<TrendPoint, 'scope'>): string {
  const { accounts, regions, checks } = point.scope;
  return `${count(accounts, 'account')}, ${count(regions, 'Region')}, ${count(checks, 'check')}`;
}

/** A sentence when the runs of the trend did not all evaluate the same amount; null when they did. */
export function trendScopeNote(trend: readonly Pick<TrendPoint, 'scope'>[]): string | null {
  const labels = new Set(trend.map(trendScopeLabel));
  return labels.size <= 1
    ? null
    : 'The runs did not all evaluate the same scope (see the Evaluated column; on the chart, * marks a run whose scope differs from this one): a smaller count in a narrower run is not a fix, and results a run did not evaluate keep their streaks.';
}

function allDistinct(labels: readonly string[]): boolean {
  return new Set(labels).size === labels.length;
}

/**
 * One label per run for a chart's time axis, as short as keeps them distinct (mermaid merges equal
 * categories into one point, and equal labels read as one run): `MM-DD`, with the year when the
 * runs span years, then the time of day, then seconds, and a run number as the last resort.
 * A run that evaluated another scope than this one (the last) is marked `*` (see trendScopeNote).
 */
export function trendAxisLabels(trend: readonly Pick<TrendPoint, 'startedAt' | 'scope'>[]): string[] {
  const times = trend.map((point) => point.startedAt);
  const spansYears = new Set(times.map((at) => at.slice(0, 4))).size > 1;
  const date = (at: string): string => (spansYears ? at.slice(0, 10) : at.slice(5, 10));
  const candidates = [
    times.map(date),
    times.map((at) => `${date(at)} ${at.slice(11, 16)}`),
    times.map((at) => `${date(at)} ${at.slice(11, 19)}`),
  ];
  const labels = candidates.find(allDistinct) ?? times.map((at, index) => `#${String(index + 1)} ${date(at)}`);
  const current = trend.at(-1);
  const currentScope = current === undefined ? '' : trendScopeLabel(current);
  return labels.map((label, index) => {
    const point = trend[index];
    return point !== undefined && trendScopeLabel(point) !== currentScope ? `${label} *` : label;
  });
}
