/**
 * Minimal compact log groups for the trail-health case tables (TrailHealth.2): whether a trail's
 * CloudWatch Logs log group exists. (The monitoring checks' builder, with metric filters, is
 * logMonitoring.ts on another branch; the two are to be unified.)
 *
 * `logGroups: [{trail: <trail name> | arn: <log group ARN>, exists?, metricFilters?}]` (exists
 * defaults to true, metricFilters to none); `{region, gap: <reason>}` is a Region whose log groups
 * could not be read.
 */
import { logGroupOf } from '../facts/kinds/logMonitoring/logGroupArn.js';
import type { LogGroupFacts, LogGroupGap, TrailFacts, UnknownReason } from '../facts/model.js';
import { UNKNOWN_REASONS, isUnknown } from '../facts/model.js';
import { ACCOUNT_ID, PARTITION, TableError, expandUnknowns, requireKeys, stringField, type Compact } from './compact.js';

export function buildHealthLogGroup(compact: Compact, trails: readonly TrailFacts[], where = 'logGroup'): LogGroupFacts | LogGroupGap {
  if ('gap' in compact) {
    requireKeys(where, compact, ['region', 'gap'], ['region', 'gap']);
    const region = stringField(where, compact.region, 'region');
    const reason = compact.gap as UnknownReason;
    if (!UNKNOWN_REASONS.includes(reason)) {
      throw new TableError(`${where}.gap must be one of ${UNKNOWN_REASONS.join(', ')}`);
    }
    return {
      ref: { type: 'AWS::Logs::LogGroup', id: `arn:${PARTITION}:logs:${region}:${ACCOUNT_ID}:log-group:*`, accountId: ACCOUNT_ID, region },
      $gap: { reason, message: `(test) the log groups of ${region} could not be read: ${reason}.`, operation: 'logs:DescribeLogGroups', region },
      region,
    };
  }
  requireKeys(where, compact, ['trail', 'arn', 'exists', 'metricFilters'], []);
  const o = expandUnknowns(compact, where) as Record<string, unknown>;
  const trail = o.trail === undefined ? undefined : trails.find((candidate) => candidate.name === o.trail);
  if (o.trail !== undefined && trail === undefined) {
    throw new TableError(`${where}.trail: no trail named ${JSON.stringify(o.trail)} in this case`);
  }
  const configured = trail?.cloudWatchLogsLogGroupArn ?? o.arn;
  const identity = typeof configured === 'string' && !isUnknown(configured) ? logGroupOf(configured) : undefined;
  if (identity === undefined) {
    throw new TableError(`${where}: give "trail" (a trail with a log group ARN) or "arn" (a log group ARN)`);
  }
  return {
    ref: { type: 'AWS::Logs::LogGroup', id: identity.arn, name: identity.name, accountId: identity.accountId, region: identity.region },
    arn: identity.arn,
    name: identity.name,
    region: identity.region,
    accountId: identity.accountId,
    trailArns: trails.filter((candidate) => typeof candidate.cloudWatchLogsLogGroupArn === 'string' && logGroupOf(candidate.cloudWatchLogsLogGroupArn)?.arn === identity.arn).map((candidate) => candidate.arn),
    exists: ('exists' in o ? o.exists : true) as LogGroupFacts['exists'],
    metricFilters: (o.metricFilters ?? []) as LogGroupFacts['metricFilters'],
  };
}
