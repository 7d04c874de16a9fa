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
    : 'The runs did not all evaluate the same scope (see the Evaluated column): a smaller count in a narrower run is not a fix, and results a run did not evaluate keep their streaks.';
}
