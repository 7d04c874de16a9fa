/**
 * Compact log groups, alarms, topics and Security Hub states of a case table → the items the live
 * collector would give (`$.logGroups`, `$.alarms`, `$.topics`, `$.securityHubs`).
 *
 * - `logGroups: [{trail: NAME | name: NAME | arn: ARN, region?, exists?, filters?: [FILTER] | {$unknown}}]`:
 *   `trail` takes the log group the named trail sends to (`cloudWatchLogsLogGroupArn`), `arn` a
 *   log group ARN (with or without `:*`); FILTER is
 *   `{name, pattern | prescribed: "CloudWatch.5" | "CloudWatch.10 cis-3.0", metric?: "Namespace/Name"}`
 *   (`prescribed` copies the pattern of that control and set; metric defaults to `CISBenchmark/<name>`).
 * - `alarms: [{name, region?, account?, actionsEnabled?, actions?: [topic name or ARN] | {$unknown},
 *   metric?: "Namespace/Name" | metrics: ["Namespace/Name"…] | {$unknown}}]`: actions default to
 *   the topic `security-alerts`; the metric to the alarm's name in `CISBenchmark`.
 * - `topics: [{name, region?, account?, subscriptions?: [{protocol?, confirmed}] | {$unknown}}]`:
 *   one confirmed email subscription by default.
 * - `securityHubs: [{region, enabled?}]`: enabled by default.
 * - In `logGroups` and `alarms`, `{gap: REGION, reason}` stands for a Region whose listing failed.
 */
import { logGroupOf } from '../facts/kinds/logMonitoring/logGroupArn.js';
import { MONITORING_CONTROLS, PATTERN_SETS, prescribedPatterns, type MonitoringControl, type PatternSet } from '../facts/kinds/logMonitoring/monitoringPatterns.js';
import type { AlarmGap, FactSet, LogGroupFacts, LogGroupGap, Maybe, MetricAlarmFacts, MetricFilterFacts, MetricId, SecurityHubFacts, SubscriptionFacts, TopicFacts, TrailFacts, UnknownReason } from '../facts/model.js';
import { UNKNOWN_REASONS, isUnknown } from '../facts/model.js';
import { ACCOUNT_ID, PARTITION, TableError, expandUnknowns, isRecord, requireKeys, stringField, type BuildContext, type Compact } from './compact.js';

const DEFAULT_NAMESPACE = 'CISBenchmark';
export const DEFAULT_TOPIC = 'security-alerts';

function regionOf(compact: Compact, where: string, context: BuildContext): string {
  return compact.region === undefined ? (context.regions[0] ?? 'us-east-1') : stringField(where, compact.region, 'region');
}

function metricOf(where: string, text: unknown): MetricId {
  const value = stringField(where, text, 'metric');
  const slash = value.lastIndexOf('/');
  if (slash <= 0 || slash === value.length - 1) {
    throw new TableError(`${where}: a metric is written "Namespace/Name"`);
  }
  return { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}

function gapReason(where: string, compact: Compact): UnknownReason {
  const reason = compact.reason as UnknownReason;
  if (!UNKNOWN_REASONS.includes(reason)) {
    throw new TableError(`${where}: reason must be one of ${UNKNOWN_REASONS.join(', ')}`);
  }
  return reason;
}

function regionGap(where: string, compact: Compact, type: string, operation: string): LogGroupGap & AlarmGap {
  requireKeys(where, compact, ['gap', 'reason'], ['gap', 'reason']);
  const region = stringField(where, compact.gap, 'gap');
  const reason = gapReason(where, compact);
  return {
    ref: { type, id: `${type}/${region}/*`, accountId: ACCOUNT_ID, region },
    $gap: { reason, message: `(test) ${operation} failed in ${region}: ${reason}.`, operation, region },
    region,
  };
}

function prescribedPattern(where: string, text: unknown): string {
  const [control, set = 'securityhub'] = stringField(where, text, 'prescribed').split(/\s+/u);
  if (!MONITORING_CONTROLS.includes(control as MonitoringControl) || !PATTERN_SETS.includes(set as PatternSet)) {
    throw new TableError(`${where}: prescribed is "<control> [<pattern set>]", a control among ${MONITORING_CONTROLS.join(', ')} and a set among ${PATTERN_SETS.join(', ')}`);
  }
  const [pattern] = prescribedPatterns(control as MonitoringControl, set as PatternSet);
  return pattern ?? '';
}

function buildFilter(compact: Compact, where: string): MetricFilterFacts {
  requireKeys(where, compact, ['name', 'pattern', 'prescribed', 'metric'], ['name']);
  const name = stringField(where, compact.name, 'name');
  if ((compact.pattern === undefined) === (compact.prescribed === undefined)) {
    throw new TableError(`${where}: give either "pattern" or "prescribed"`);
  }
  const pattern = compact.pattern === undefined ? prescribedPattern(where, compact.prescribed) : stringField(where, compact.pattern, 'pattern');
  const metric = compact.metric === undefined ? { namespace: DEFAULT_NAMESPACE, name } : metricOf(`${where}.metric`, compact.metric);
  return { name, pattern, metrics: [metric] };
}

function listOf(where: string, value: unknown): Compact[] {
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw new TableError(`${where} must be a list of mappings`);
  }
  return value;
}

export function buildLogGroup(compact: Compact, context: BuildContext, trails: readonly TrailFacts[], where: string): LogGroupFacts | LogGroupGap {
  if ('gap' in compact) {
    return regionGap(where, compact, 'AWS::Logs::LogGroup', 'logs:DescribeLogGroups');
  }
  requireKeys(where, compact, ['trail', 'name', 'arn', 'region', 'exists', 'filters'], []);
  let arn: string;
  if (compact.arn !== undefined) {
    arn = stringField(where, compact.arn, 'arn');
  } else if (compact.trail !== undefined) {
    const trailName = stringField(where, compact.trail, 'trail');
    const trail = trails.find((candidate) => candidate.name === trailName);
    const configured = trail?.cloudWatchLogsLogGroupArn;
    const identity = typeof configured === 'string' ? logGroupOf(configured) : undefined;
    if (identity === undefined) {
      throw new TableError(`${where}: trail "${trailName}" is not a trail of the case with a log group ARN`);
    }
    arn = identity.arn;
  } else {
    const name = stringField(where, compact.name, 'name');
    arn = `arn:${PARTITION}:logs:${regionOf(compact, where, context)}:${ACCOUNT_ID}:log-group:${name}`;
  }
  const identity = logGroupOf(arn);
  if (identity === undefined) {
    throw new TableError(`${where}: not a log group`);
  }
  const expanded = expandUnknowns(compact, where) as Record<string, unknown>;
  const rawFilters = expanded.filters ?? [];
  const metricFilters: Maybe<readonly MetricFilterFacts[]> = isUnknown(rawFilters)
    ? rawFilters
    : listOf(`${where}.filters`, compact.filters ?? []).map((filter, index) => buildFilter(filter, `${where}.filters[${index}]`));
  return {
    ref: { type: 'AWS::Logs::LogGroup', id: identity.arn, name: identity.name, accountId: identity.accountId, region: identity.region },
    arn: identity.arn,
    name: identity.name,
    region: identity.region,
    accountId: identity.accountId,
    trailArns: trails.filter((trail) => typeof trail.cloudWatchLogsLogGroupArn === 'string' && logGroupOf(trail.cloudWatchLogsLogGroupArn)?.arn === identity.arn).map((trail) => trail.arn),
    exists: (expanded.exists ?? true) as Maybe<boolean>,
    metricFilters,
  };
}

function topicArnOf(nameOrArn: string, region: string, account: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:${PARTITION}:sns:${region}:${account}:${nameOrArn}`;
}

export function buildAlarm(compact: Compact, context: BuildContext, where: string): MetricAlarmFacts | AlarmGap {
  if ('gap' in compact) {
    return regionGap(where, compact, 'AWS::CloudWatch::Alarm', 'cloudwatch:DescribeAlarms');
  }
  requireKeys(where, compact, ['name', 'region', 'account', 'actionsEnabled', 'actions', 'metric', 'metrics'], ['name']);
  const name = stringField(where, compact.name, 'name');
  const region = regionOf(compact, where, context);
  const account = compact.account === undefined ? ACCOUNT_ID : stringField(where, compact.account, 'account');
  const arn = `arn:${PARTITION}:cloudwatch:${region}:${account}:alarm:${name}`;
  const expanded = expandUnknowns(compact, where) as Record<string, unknown>;
  const rawActions = expanded.actions ?? [DEFAULT_TOPIC];
  const alarmActions: Maybe<readonly string[]> = isUnknown(rawActions)
    ? rawActions
    : (rawActions as unknown[]).map((action, index) => topicArnOf(stringField(`${where}.actions[${index}]`, action, 'action'), region, account));
  let metrics: Maybe<readonly MetricId[]>;
  if (isUnknown(expanded.metrics)) {
    metrics = expanded.metrics;
  } else if (Array.isArray(compact.metrics)) {
    metrics = compact.metrics.map((metric, index) => metricOf(`${where}.metrics[${index}]`, metric));
  } else {
    metrics = [compact.metric === undefined ? { namespace: DEFAULT_NAMESPACE, name } : metricOf(`${where}.metric`, compact.metric)];
  }
  return {
    ref: { type: 'AWS::CloudWatch::Alarm', id: arn, name, accountId: account, region },
    arn,
    name,
    region,
    accountId: account,
    actionsEnabled: (expanded.actionsEnabled ?? true) as Maybe<boolean>,
    alarmActions,
    metrics,
  };
}

function buildSubscription(compact: Compact, where: string): SubscriptionFacts {
  requireKeys(where, compact, ['protocol', 'confirmed', 'endpoint'], ['confirmed']);
  const expanded = expandUnknowns(compact, where) as Record<string, unknown>;
  return {
    protocol: compact.protocol === undefined ? 'email' : stringField(where, compact.protocol, 'protocol'),
    confirmed: expanded.confirmed as Maybe<boolean>,
    ...(compact.endpoint === undefined ? {} : { endpoint: stringField(where, compact.endpoint, 'endpoint') }),
  };
}

export function buildTopic(compact: Compact, context: BuildContext, where: string): TopicFacts {
  requireKeys(where, compact, ['name', 'region', 'account', 'subscriptions'], ['name']);
  const name = stringField(where, compact.name, 'name');
  const region = regionOf(compact, where, context);
  const account = compact.account === undefined ? ACCOUNT_ID : stringField(where, compact.account, 'account');
  const arn = topicArnOf(name, region, account);
  const expanded = expandUnknowns(compact, where) as Record<string, unknown>;
  const subscriptions: Maybe<readonly SubscriptionFacts[]> = isUnknown(expanded.subscriptions)
    ? expanded.subscriptions
    : listOf(`${where}.subscriptions`, compact.subscriptions ?? [{ protocol: 'email', confirmed: true }]).map((subscription, index) =>
        buildSubscription(subscription, `${where}.subscriptions[${index}]`),
      );
  return { ref: { type: 'AWS::SNS::Topic', id: arn, name, accountId: account, region }, arn, name, region, accountId: account, subscriptions };
}

export function buildSecurityHub(compact: Compact, where: string): SecurityHubFacts {
  requireKeys(where, compact, ['region', 'enabled'], ['region']);
  const region = stringField(where, compact.region, 'region');
  const expanded = expandUnknowns(compact, where) as Record<string, unknown>;
  const enabled = (expanded.enabled ?? true) as Maybe<boolean>;
  const hubArn = `arn:${PARTITION}:securityhub:${region}:${ACCOUNT_ID}:hub/default`;
  return {
    ref: { type: 'AWS::SecurityHub::Hub', id: hubArn, name: 'default', accountId: ACCOUNT_ID, region },
    region,
    accountId: ACCOUNT_ID,
    enabled,
    ...(enabled === true ? { hubArn } : {}),
  };
}

/** The collections a case's compact facts give (only those it names: an absent key = not written). */
export function buildMonitoringCollections(
  compact: Compact,
  context: BuildContext,
  trails: readonly TrailFacts[],
): Pick<FactSet, 'logGroups' | 'alarms' | 'topics' | 'securityHubs'> {
  const each = <T>(key: string, build: (item: Compact, where: string) => T): T[] | undefined =>
    compact[key] === undefined ? undefined : listOf(`facts.${key}`, compact[key]).map((item, index) => build(item, `facts.${key}[${index}]`));
  const logGroups = each('logGroups', (item, where) => buildLogGroup(item, context, trails, where));
  const alarms = each('alarms', (item, where) => buildAlarm(item, context, where));
  const topics = each('topics', (item, where) => buildTopic(item, context, where));
  const securityHubs = each('securityHubs', (item, where) => buildSecurityHub(item, where));
  return {
    ...(logGroups === undefined ? {} : { logGroups }),
    ...(alarms === undefined ? {} : { alarms }),
    ...(topics === undefined ? {} : { topics }),
    ...(securityHubs === undefined ? {} : { securityHubs }),
  };
}
