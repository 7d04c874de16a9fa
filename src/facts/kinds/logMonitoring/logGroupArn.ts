/**
 * A trail names its log group by `CloudWatchLogsLogGroupArn`, which AWS (and Terraform's example)
 * writes with the log-stream wildcard: `arn:aws:logs:us-east-1:123456789012:log-group:NAME:*`. The
 * log group's identity in the facts model is that ARN without `:*`, so every source joins a trail
 * to its log group the same way.
 */
export interface LogGroupIdentity {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

const LOG_GROUP_ARN = /^arn:([a-z-]+):logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(?::\*)?$/u;

/** The log group a trail's `CloudWatchLogsLogGroupArn` names, or undefined when it is not a log group ARN. */
export function logGroupOf(cloudWatchLogsLogGroupArn: string): LogGroupIdentity | undefined {
  const match = LOG_GROUP_ARN.exec(cloudWatchLogsLogGroupArn.trim());
  if (match === null) {
    return undefined;
  }
  const [, partition = '', region = '', accountId = '', name = ''] = match;
  return { arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`, name, region, accountId, partition };
}
