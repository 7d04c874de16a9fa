/**
 * The demo account's monitoring and trail-health part (issue 12), seeded after the trails exist:
 * - org-main, the compliant multi-Region trail, is monitored: its CloudWatch Logs log group holds
 *   the metric filter of every Security Hub CloudWatch.x control (and CIS 4.15), each with an alarm
 *   that notifies a topic with a confirmed subscription, except the root-usage filter, whose alarm
 *   is missing (CloudWatch.1 fails);
 * - every trail's log group exists; the KMS keys' policies let CloudTrail use them, but the
 *   eu-west-1 key (app-audit's) is disabled and the ap-southeast-2 key does not rotate;
 * - Security Hub is enabled in every demo Region but ap-southeast-2.
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DisableKeyCommand, EnableKeyRotationCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { kmsClient, motoClientConfig } from '../support/moto/clients.js';
import { cloudTrailKeyPolicy } from '../support/moto/kmsKeyPolicy.js';
import { MONITORING_CONTROLS, prescribedPatterns } from '../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { logGroupOf } from '../src/facts/kinds/logMonitoring/logGroupArn.js';

export interface MonitoringTrail {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly cloudWatchLogsLogGroupArn: string | null;
}

/** The control whose alarm the demo leaves out. */
export const UNALARMED_CONTROL = 'CloudWatch.1';
/** The monitored trail. */
export const MONITORED_TRAIL = 'org-main';
/** The Region whose key the demo disables, and the one whose key does not rotate. */
export const DISABLED_KEY_REGION = 'eu-west-1';
export const NON_ROTATING_KEY_REGION = 'ap-southeast-2';
/** The demo Region without Security Hub. */
export const REGION_WITHOUT_SECURITY_HUB = 'ap-southeast-2';

const NAMESPACE = 'CISBenchmark';

async function configureKeys(endpoint: string, accountId: string, keyArns: Readonly<Record<string, string>>): Promise<void> {
  await Promise.all(
    Object.entries(keyArns).map(async ([region, keyArn]) => {
      const kms = kmsClient(endpoint, region);
      try {
        await kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: cloudTrailKeyPolicy(accountId) }));
        if (region !== NON_ROTATING_KEY_REGION) {
          await kms.send(new EnableKeyRotationCommand({ KeyId: keyArn }));
        }
        // Disabled after the trail was created with it: CloudTrail can no longer encrypt (or deliver) its logs.
        if (region === DISABLED_KEY_REGION) {
          // By key id: moto answers DisableKey on a key ARN with an HTML error page.
          await kms.send(new DisableKeyCommand({ KeyId: keyArn.slice(keyArn.lastIndexOf('/') + 1) }));
        }
      } finally {
        kms.destroy();
      }
    }),
  );
}

async function createLogGroups(endpoint: string, trails: readonly MonitoringTrail[]): Promise<void> {
  const groups = new Map<string, { region: string; name: string }>();
  for (const trail of trails) {
    const group = trail.cloudWatchLogsLogGroupArn === null ? undefined : logGroupOf(trail.cloudWatchLogsLogGroupArn);
    if (group !== undefined) {
      groups.set(group.arn, { region: group.region, name: group.name });
    }
  }
  await Promise.all(
    [...groups.values()].map(async ({ region, name }) => {
      const logs = new CloudWatchLogsClient(motoClientConfig(endpoint, region));
      try {
        await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
      } finally {
        logs.destroy();
      }
    }),
  );
}

/** Metric filters, alarms and a subscribed topic on the monitored trail's log group. */
async function monitorTrail(endpoint: string, trail: MonitoringTrail): Promise<void> {
  const group = trail.cloudWatchLogsLogGroupArn === null ? undefined : logGroupOf(trail.cloudWatchLogsLogGroupArn);
  if (group === undefined) {
    throw new Error(`demo trail ${trail.name} has no log group to monitor`);
  }
  const config = motoClientConfig(endpoint, group.region);
  const logs = new CloudWatchLogsClient(config);
  const cloudWatch = new CloudWatchClient(config);
  const sns = new SNSClient(config);
  try {
    const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: 'security-alerts' }));
    if (topicArn === undefined) {
      throw new Error('moto SNS returned no topic ARN');
    }
    // moto confirms email subscriptions at once (AWS waits for the recipient to click the link).
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'security-alerts@example.com' }));
    for (const control of MONITORING_CONTROLS) {
      const pattern = prescribedPatterns(control)[0];
      if (pattern === undefined) {
        continue;
      }
      const metricName = `${control.replace(/\./gu, '-')}-events`;
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: group.name,
          filterName: `${control} monitoring`,
          filterPattern: pattern,
          metricTransformations: [{ metricName, metricNamespace: NAMESPACE, metricValue: '1' }],
        }),
      );
      if (control === UNALARMED_CONTROL) {
        continue;
      }
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `${control} alarm`,
          MetricName: metricName,
          Namespace: NAMESPACE,
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topicArn],
        }),
      );
    }
  } finally {
    logs.destroy();
    cloudWatch.destroy();
    sns.destroy();
  }
}

async function enableSecurityHub(endpoint: string, regions: readonly string[]): Promise<void> {
  await Promise.all(
    regions
      .filter((region) => region !== REGION_WITHOUT_SECURITY_HUB)
      .map(async (region) => {
        const hub = new SecurityHubClient(motoClientConfig(endpoint, region));
        try {
          await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
        } finally {
          hub.destroy();
        }
      }),
  );
}

export async function seedMonitoring(
  endpoint: string,
  accountId: string,
  regions: readonly string[],
  trails: readonly MonitoringTrail[],
  kmsKeyArns: Readonly<Record<string, string>>,
): Promise<void> {
  const monitored = trails.find((trail) => trail.name === MONITORED_TRAIL);
  if (monitored === undefined) {
    throw new Error(`demo trail ${MONITORED_TRAIL} was not created`);
  }
  await createLogGroups(endpoint, trails);
  await Promise.all([monitorTrail(endpoint, monitored), configureKeys(endpoint, accountId, kmsKeyArns), enableSecurityHub(endpoint, regions)]);
}
