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

/** The Evaluated column: the counts, and whether the sets are this run's (the last point's). */
export function trendEvaluatedCell(point: Pick<TrendPoint, 'scope'>, current: Pick<TrendPoint, 'scope'> | undefined): string {
  const differs = current !== undefined && point.scope.fingerprint !== current.scope.fingerprint;
  return `${trendScopeLabel(point)}${differs ? ' (* not this run\'s scope)' : ''}`;
}

/** A sentence when the runs of the trend did not all evaluate the same scope; null when they did. */
export function trendScopeNote(trend: readonly Pick<TrendPoint, 'scope'>[]): string | null {
  const prints = new Set(trend.map((point) => point.scope.fingerprint));
  return prints.size <= 1
    ? null
    : 'The runs did not all evaluate the same scope (the same accounts, Regions and checks): * marks a run whose scope differs from this one. A smaller count in another scope is not a fix, and results a run did not evaluate keep their streaks.';
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
  // Runs of one day differ by their time: the date would only crowd the axis.
  const oneDay = new Set(times.map((at) => at.slice(0, 10))).size === 1 && times.length > 1;
  const withTime = (at: string, end: number): string => (oneDay ? at.slice(11, end) : `${date(at)} ${at.slice(11, end)}`);
  const candidates = [times.map(date), times.map((at) => withTime(at, 16)), times.map((at) => withTime(at, 19))];
  const labels = candidates.find(allDistinct) ?? times.map((at, index) => `#${String(index + 1)} ${date(at)}`);
  const current = trend.at(-1)?.scope.fingerprint;
  return labels.map((label, index) => (trend[index]?.scope.fingerprint !== current ? `${label} *` : label));
}
