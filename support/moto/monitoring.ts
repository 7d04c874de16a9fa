/**
 * Seeding CIS monitoring setups in moto (CONTROLS §2.2): a trail's CloudWatch Logs log group,
 * metric filters on it, CloudWatch alarms on their metrics (direct or through metric math) and
 * the SNS topics the alarms notify, with subscriptions. Shared by the tests and `npm run bench`.
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { cloudTrailClient, MOTO_ACCOUNT_ID, motoClientConfig, s3Client } from './clients.js';

export function logsClient(endpoint: string, region: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient(motoClientConfig(endpoint, region));
}

export function cloudWatchClient(endpoint: string, region: string): CloudWatchClient {
  return new CloudWatchClient(motoClientConfig(endpoint, region));
}

export function snsClient(endpoint: string, region: string): SNSClient {
  return new SNSClient(motoClientConfig(endpoint, region));
}

/** The `CloudWatchLogsLogGroupArn` a trail names (with the log-stream wildcard, as AWS writes it). */
export function trailLogGroupArn(region: string, name: string, account = MOTO_ACCOUNT_ID): string {
  return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
}

/** The role CloudTrail assumes to write to the log group (moto checks nothing about it). */
export const CLOUDTRAIL_LOGS_ROLE_ARN = `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/CloudTrail_CloudWatchLogs_Role`;

export async function createLogGroup(logs: CloudWatchLogsClient, name: string): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
}

export interface MetricRef {
  readonly name: string;
  readonly namespace: string;
}

/** A metric filter counting matches (value 1) into `metric`, as CIS's remediation creates it. */
export async function putMetricFilter(logs: CloudWatchLogsClient, logGroup: string, filterName: string, pattern: string, metric: MetricRef): Promise<void> {
  await logs.send(
    new PutMetricFilterCommand({
      logGroupName: logGroup,
      filterName,
      filterPattern: pattern,
      metricTransformations: [{ metricName: metric.name, metricNamespace: metric.namespace, metricValue: '1' }],
    }),
  );
}

/**
 * An alarm on `metric` (Sum ≥ 1 over 300 s, as CIS's remediation), notifying `actions`;
 * `math` builds it on a metric-math expression reading the metric instead of on the metric itself.
 */
export async function putAlarm(
  cloudWatch: CloudWatchClient,
  name: string,
  metric: MetricRef,
  actions: readonly string[],
  options: { readonly math?: boolean; readonly actionsEnabled?: boolean } = {},
): Promise<void> {
  const common = {
    AlarmName: name,
    AlarmActions: [...actions],
    ActionsEnabled: options.actionsEnabled ?? true,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const,
  };
  await cloudWatch.send(
    new PutMetricAlarmCommand(
      options.math === true
        ? {
            ...common,
            Metrics: [
              { Id: 'total', Expression: 'FILL(m1, 0)', ReturnData: true },
              { Id: 'm1', ReturnData: false, MetricStat: { Metric: { MetricName: metric.name, Namespace: metric.namespace }, Period: 300, Stat: 'Sum' } },
            ],
          }
        : { ...common, MetricName: metric.name, Namespace: metric.namespace, Statistic: 'Sum', Period: 300 },
    ),
  );
}

/** A topic, optionally with an SQS subscription (moto confirms it at once, as AWS does for a same-account queue). */
export async function createTopic(sns: SNSClient, name: string, options: { readonly sqsSubscriber?: string } = {}): Promise<string> {
  const created = await sns.send(new CreateTopicCommand({ Name: name }));
  const arn = created.TopicArn;
  if (arn === undefined) {
    throw new Error(`CreateTopic ${name} returned no TopicArn`);
  }
  if (options.sqsSubscriber !== undefined) {
    const region = arn.split(':')[3] ?? 'us-east-1';
    await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${region}:${MOTO_ACCOUNT_ID}:${options.sqsSubscriber}` }),
    );
  }
  return arn;
}

/**
 * A logging trail `main` that delivers to bucket `trail-logs` and to a new CloudWatch Logs log group
 * `logGroup` in `region`: the start of every monitoring chain the end-to-end tests build.
 */
export async function seedLoggingTrail(endpoint: string, options: { readonly region: string; readonly logGroup: string; readonly multiRegion: boolean }): Promise<void> {
  const { region, logGroup, multiRegion } = options;
  const s3 = s3Client(endpoint, region);
  const logs = logsClient(endpoint, region);
  const cloudtrail = cloudTrailClient(endpoint, region);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    await createLogGroup(logs, logGroup);
    await cloudtrail.send(
      new CreateTrailCommand({
        Name: 'main',
        S3BucketName: 'trail-logs',
        IsMultiRegionTrail: multiRegion,
        CloudWatchLogsLogGroupArn: trailLogGroupArn(region, logGroup),
        CloudWatchLogsRoleArn: CLOUDTRAIL_LOGS_ROLE_ARN,
      }),
    );
    await cloudtrail.send(new StartLoggingCommand({ Name: 'main' }));
  } finally {
    s3.destroy();
    logs.destroy();
    cloudtrail.destroy();
  }
}
