/**
 * CloudWatch metric alarms, listed once per Region (DescribeAlarms, 100 a page): alarms on a
 * metric filter's metric are found whether they watch the metric directly or through metric math,
 * which DescribeAlarmsForMetric would miss (CONTROLS §3.4).
 */
import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { unknown, type MetricAlarmFacts, type MetricId } from '../../model.js';
import { parseArn } from '../../../collect/live/arn.js';
import { evaluatedMetrics } from './alarmMetrics.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { scheduledPages } from '../../../collect/live/pages.js';
import type { ApiScheduler, Outcome } from '../../../collect/live/scheduler.js';

/** DescribeAlarms' largest page. */
export const ALARMS_PAGE_SIZE = 100;

export async function listMetricAlarms(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  region: string,
  accountId: string,
): Promise<Outcome<readonly MetricAlarmFacts[]>> {
  const outcome = await scheduledPages(scheduler, { action: 'cloudwatch:DescribeAlarms', region }, async (token) => {
    const client = await clients.cloudWatch(region);
    const response = await client.send(
      new DescribeAlarmsCommand({
        AlarmTypes: ['MetricAlarm'],
        MaxRecords: ALARMS_PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: response.MetricAlarms ?? [], nextToken: response.NextToken };
  });
  return outcome.ok ? { ok: true, value: outcome.value.map((alarm) => metricAlarmFacts(alarm, region, accountId)) } : outcome;
}

export function metricAlarmFacts(alarm: MetricAlarm, region: string, accountId: string): MetricAlarmFacts {
  const name = alarm.AlarmName ?? '(unnamed)';
  const arn = alarm.AlarmArn ?? `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
  const owner = parseArn(arn)?.accountId ?? accountId;
  return {
    ref: { type: 'AWS::CloudWatch::Alarm', id: arn, name, accountId: owner, region },
    arn,
    name,
    region,
    accountId: owner,
    // AWS always reports it; a missing flag is unknown, never "enabled".
    actionsEnabled:
      alarm.ActionsEnabled ??
      unknown('error', `DescribeAlarms in ${region} did not report ActionsEnabled for alarm ${name}.`, {
        operation: 'cloudwatch:DescribeAlarms',
        region,
      }),
    alarmActions: [...(alarm.AlarmActions ?? [])],
    metrics: watchedMetrics(alarm),
  };
}

/** The alarm's own metric (without dimensions), or the metrics its metric-math expression reads (alarmMetrics.ts). */
function watchedMetrics(alarm: MetricAlarm): MetricId[] {
  if (alarm.MetricName !== undefined && alarm.MetricName !== '') {
    return (alarm.Dimensions ?? []).length > 0 ? [] : [{ name: alarm.MetricName, namespace: alarm.Namespace ?? '' }];
  }
  return evaluatedMetrics(
    (alarm.Metrics ?? []).map((query) => {
      const metric = query.MetricStat?.Metric;
      return {
        id: query.Id ?? '',
        ...(metric?.MetricName === undefined || metric.MetricName === '' ? {} : { metric: { name: metric.MetricName, namespace: metric.Namespace ?? '' } }),
        dimensioned: (metric?.Dimensions ?? []).length > 0,
        ...(query.Expression === undefined ? {} : { expression: query.Expression }),
        ...(query.ReturnData === undefined ? {} : { returnData: query.ReturnData }),
      };
    }),
  );
}
