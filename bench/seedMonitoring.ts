/**
 * The monitoring part of a benchmark shape (issue 12): one multi-Region trail whose log group holds
 * the 14 Security Hub CloudWatch.x metric filters, an alarm on each and one SNS topic with a
 * confirmed (sqs) subscription; a couple of single-Region trails with log groups of their own; two
 * KMS keys, one shared by two trails. Returns what each trail must name, and the counts the
 * minimum-call formula (bench/minimum.ts) needs.
 */
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import type { LimitFunction } from 'p-limit';
import { MONITORING_CONTROLS, prescribedPatterns } from '../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { kmsClient } from '../support/moto/clients.js';
import { cloudWatchClient, createLogGroup, createTopic, logsClient, putAlarm, putMetricFilter, snsClient, trailLogGroupArn } from '../support/moto/monitoring.js';

export interface MonitoringTrail {
  readonly name: string;
  readonly region: string;
  readonly multiRegion: boolean;
}

export interface SeededMonitoring {
  /** `CloudWatchLogsLogGroupArn` by trail name. */
  readonly logGroupArnByTrail: ReadonlyMap<string, string>;
  /** `KmsKeyId` (a key ARN) by trail name. */
  readonly kmsKeyByTrail: ReadonlyMap<string, string>;
  readonly logGroups: number;
  readonly monitoredLogGroups: number;
  readonly alarmPages: number;
  readonly alarmTopics: number;
  readonly kmsKeys: number;
}

/** DescribeAlarms' largest page (an AWS limit, not the collector's choice). */
const ALARMS_PAGE_SIZE = 100;

/** How many single-Region trails get a log group of their own. */
const SINGLE_REGION_LOG_GROUPS = 2;

export async function seedMonitoring(endpoint: string, trails: readonly MonitoringTrail[], limit: LimitFunction): Promise<SeededMonitoring> {
  const monitored = trails.find((trail) => trail.multiRegion);
  const singles = trails.filter((trail) => !trail.multiRegion).slice(0, SINGLE_REGION_LOG_GROUPS);
  const logGroupArnByTrail = new Map<string, string>();
  const kmsKeyByTrail = new Map<string, string>();
  const logGroupTrails = [...(monitored === undefined ? [] : [monitored]), ...singles];
  await Promise.all(
    logGroupTrails.map((trail) =>
      limit(async () => {
        const logs = logsClient(endpoint, trail.region);
        try {
          const name = `bench/cloudtrail/${trail.name}`;
          await createLogGroup(logs, name);
          logGroupArnByTrail.set(trail.name, trailLogGroupArn(trail.region, name));
        } finally {
          logs.destroy();
        }
      }),
    ),
  );
  let alarmsInMonitoredRegion = 0;
  if (monitored !== undefined) {
    alarmsInMonitoredRegion = await seedAlarmChain(endpoint, monitored, limit);
  }

  // Key A encrypts the monitored trail and the first single-Region trail of its Region (one key,
  // described once); key B the first single-Region trail with a log group.
  const keyTrails: MonitoringTrail[][] = [
    [...(monitored === undefined ? [] : [monitored]), ...trails.filter((t) => !t.multiRegion && t.region === monitored?.region).slice(0, 1)],
    singles.slice(0, 1),
  ].filter((group) => group.length > 0);
  await Promise.all(
    keyTrails.map((group) =>
      limit(async () => {
        const region = group[0]?.region ?? 'us-east-1';
        const kms = kmsClient(endpoint, region);
        try {
          const created = await kms.send(new CreateKeyCommand({ Description: `trailaudit bench key for ${group.map((t) => t.name).join(', ')}` }));
          const arn = created.KeyMetadata?.Arn;
          if (arn === undefined) {
            throw new Error('kms CreateKey returned no key ARN');
          }
          for (const trail of group) {
            kmsKeyByTrail.set(trail.name, arn);
          }
        } finally {
          kms.destroy();
        }
      }),
    ),
  );
  return {
    logGroupArnByTrail,
    kmsKeyByTrail,
    logGroups: logGroupArnByTrail.size,
    monitoredLogGroups: monitored === undefined ? 0 : 1,
    // One listing per Region holding a monitored log group; an empty listing is still one page.
    alarmPages: monitored === undefined ? 0 : Math.max(1, Math.ceil(alarmsInMonitoredRegion / ALARMS_PAGE_SIZE)),
    alarmTopics: monitored === undefined ? 0 : 1,
    kmsKeys: new Set(kmsKeyByTrail.values()).size,
  };
}

/** The 14 Security Hub filters on the monitored trail's log group, an alarm on each, one notified topic. Returns the alarms created. */
async function seedAlarmChain(endpoint: string, trail: MonitoringTrail, limit: LimitFunction): Promise<number> {
  const logs = logsClient(endpoint, trail.region);
  const cloudWatch = cloudWatchClient(endpoint, trail.region);
  const sns = snsClient(endpoint, trail.region);
  try {
    const topic = await createTopic(sns, 'bench-security-alarms', { sqsSubscriber: 'bench-security-team' });
    const controls = MONITORING_CONTROLS.filter((control) => control.startsWith('CloudWatch.'));
    await Promise.all(
      controls.map((control) =>
        limit(async () => {
          const metric = { name: `${control}-matches`, namespace: 'LogMetrics' };
          await putMetricFilter(logs, `bench/cloudtrail/${trail.name}`, control, prescribedPatterns(control, 'securityhub')[0] ?? '', metric);
          await putAlarm(cloudWatch, `bench-${control}`, metric, [topic]);
        }),
      ),
    );
    return controls.length;
  } finally {
    for (const client of [logs, cloudWatch, sns]) {
      client.destroy();
    }
  }
}
