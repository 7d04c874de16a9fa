/**
 * Stand-ins for what the live monitoring reads could not see (like facts/gaps.ts for trails and
 * buckets): a check over the collection then meets the gap (UNKNOWN) instead of a clean PASS.
 */
import type { AlarmGap, LogGroupGap, UnknownDetail } from '../../model.js';

/** The log groups of trails homed in a Region whose trails could not be listed. */
export function logGroupGap(region: string, failure: UnknownDetail, accountId: string, partition: string): LogGroupGap {
  return {
    ref: {
      type: 'AWS::Logs::LogGroup',
      id: `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
      name: `(log groups of trails in ${region})`,
      accountId,
      region,
    },
    $gap: {
      ...failure,
      message: `The log groups of trails homed in ${region} are unknown because the trails there could not be listed: ${failure.message}`,
    },
    region,
  };
}

/** The metric alarms of a Region whose DescribeAlarms failed. */
export function alarmGap(region: string, failure: UnknownDetail, accountId: string, partition: string): AlarmGap {
  return {
    ref: {
      type: 'AWS::CloudWatch::Alarm',
      id: `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`,
      name: `(metric alarms in ${region})`,
      accountId,
      region,
    },
    $gap: failure,
    region,
  };
}
