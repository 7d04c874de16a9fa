/**
 * Which metrics an alarm actually evaluates, for the monitoring chain (CONTROLS.md §6.11): an
 * alarm "on the filter's metric" must see the filter's data points, not merely name the metric.
 *
 * - A metric with dimensions is another metric than the one a metric filter without dimensions
 *   emits: an alarm on `CISBenchmark/RootUsage` with `Env=prod` never sees the filter's points.
 * - A metric-math alarm evaluates the one query it returns (`ReturnData: true`); a MetricStat
 *   counts only if that expression reads it, directly or through other expressions. A metric
 *   that is fetched but not used (`e1 = m2 * 0` beside `m1`) does not count.
 *
 * Shared by the live, CloudFormation and Terraform readers; pure.
 */
import type { MetricId } from './model.js';

export interface MetricQuery {
  readonly id: string;
  /** The MetricStat's metric, if the query fetches one. */
  readonly metric?: MetricId;
  /** The MetricStat's metric has dimensions. */
  readonly dimensioned?: boolean;
  readonly expression?: string;
  readonly returnData?: boolean;
}

/** Query ids an expression mentions (`m1`, `e2`); function names (`SUM`, `FILL`) never match an id. */
function referencedIds(expression: string, ids: ReadonlySet<string>): string[] {
  return (expression.match(/[A-Za-z_][A-Za-z0-9_]*/gu) ?? []).filter((token) => ids.has(token));
}

/** The metrics a metric-math alarm's returned expression reads, without dimensions. */
export function evaluatedMetrics(queries: readonly MetricQuery[]): MetricId[] {
  const byId = new Map(queries.map((query) => [query.id, query]));
  const ids = new Set(byId.keys());
  // AWS requires exactly one query with ReturnData true on an alarm; if a source does not say,
  // every query that is not explicitly hidden is a candidate.
  const explicit = queries.filter((query) => query.returnData === true);
  const pending = [...(explicit.length > 0 ? explicit : queries.filter((query) => query.returnData !== false))];
  const reached = new Set<string>();
  const metrics: MetricId[] = [];
  while (pending.length > 0) {
    const query = pending.pop();
    if (query === undefined || reached.has(query.id)) {
      continue;
    }
    reached.add(query.id);
    if (query.metric !== undefined && query.dimensioned !== true && !metrics.some((m) => m.name === query.metric?.name && m.namespace === query.metric.namespace)) {
      metrics.push(query.metric);
    }
    for (const id of query.expression === undefined ? [] : referencedIds(query.expression, ids)) {
      const next = byId.get(id);
      if (next !== undefined) {
        pending.push(next);
      }
    }
  }
  return metrics;
}

/**
 * A metric filter's transformation counts as an emitted metric unless its value is a constant 0
 * (the metric never rises, so no alarm on it can fire) or it adds dimensions (an alarm must then
 * name them; not followed: such a metric is treated as not the prescribed one).
 */
export function emitsCountableMetric(metricValue: string | undefined, dimensioned: boolean): boolean {
  if (dimensioned) {
    return false;
  }
  if (metricValue === undefined || metricValue.trim() === '') {
    return true;
  }
  // A constant of 0 or less never raises the metric to an alarm's threshold; a field (`$.bytes`) may.
  const constant = Number(metricValue);
  return Number.isNaN(constant) || constant > 0;
}
