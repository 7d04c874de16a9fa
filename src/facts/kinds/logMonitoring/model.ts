/**
 * The log-monitoring kinds' part of the facts model (CIS monitoring / Security Hub CloudWatch.1–14,
 * CONTROLS.md §2.2): the CloudWatch Logs log groups trails deliver to (`$.logGroups`) with their
 * metric filters, the metric alarms of the Regions those log groups are in (`$.alarms`), and the
 * SNS topics those alarms notify (`$.topics`). `$.monitoring` is derived from them and the trails.
 */
import type { FactLocations, Maybe, ResourceRef, UnknownDetail } from '../../core.js';

/* ------------------------------------------------------------------ log groups and metric filters */

/** A CloudWatch metric, as a metric filter emits it and an alarm watches it. */
export interface MetricId {
  readonly name: string;
  readonly namespace: string;
}

export interface MetricFilterFacts {
  readonly name: string;
  /** The filter pattern exactly as the source holds it (compared by filterCompare.ts). */
  readonly pattern: string;
  /** `metricTransformations[]`: the metrics a match increments. */
  readonly metrics: readonly MetricId[];
  /** IaC: where the filter is declared. */
  readonly location?: { readonly file: string; readonly line: number; readonly column: number };
}

export interface LogGroupFacts {
  /** type `AWS::Logs::LogGroup`, id = the log group ARN without the trailing `:*`, name = the group's name. */
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  /** `arn:<partition>:logs:<region>:<account>:log-group:<name>` (no `:*`); {@link logGroupArnOf}. */
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** Trails (ARNs) that deliver to this log group. */
  readonly trailArns: readonly string[];
  /** `logGroups` kind: the log group exists (false = deleted: CloudTrail cannot deliver to it). */
  readonly exists?: Maybe<boolean>;
  /** `metricFilters` kind: the group's metric filters (an empty list = none). */
  readonly metricFilters?: Maybe<readonly MetricFilterFacts[]>;
}

/** Stands in `logGroups` for log groups that could not be found (their trails' Region was not listed). */
export interface LogGroupGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly region: string;
  readonly [field: string]: unknown;
}

/* ------------------------------------------------------------------ alarms */

export interface MetricAlarmFacts {
  /** type `AWS::CloudWatch::Alarm`, id = alarm ARN, name = alarm name. */
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** false: the alarm changes state but notifies nobody. */
  readonly actionsEnabled: Maybe<boolean>;
  /** `AlarmActions`: ARNs notified when the alarm fires (SNS topics, Auto Scaling, …). */
  readonly alarmActions: Maybe<readonly string[]>;
  /**
   * The metrics it watches: its `MetricName`/`Namespace`, or for an alarm on metric math every
   * `Metrics[].MetricStat.Metric` it reads.
   */
  readonly metrics: Maybe<readonly MetricId[]>;
}

/** Stands in `alarms` for a Region whose alarms could not be listed. */
export interface AlarmGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly region: string;
  readonly [field: string]: unknown;
}

/* ------------------------------------------------------------------ topics */

export interface SubscriptionFacts {
  readonly protocol: string;
  /** `PendingConfirmation` (and IaC subscriptions whose confirmation cannot be known) are not confirmed. */
  readonly confirmed: Maybe<boolean>;
  readonly endpoint?: string;
  readonly arn?: string;
}

export interface TopicFacts {
  /** type `AWS::SNS::Topic`, id = topic ARN, name = topic name. */
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** `alarmTopics` kind (ListSubscriptionsByTopic). Another account's topic that cannot be listed: Unknown(cross_account). */
  readonly subscriptions?: Maybe<readonly SubscriptionFacts[]>;
}

/* ------------------------------------------------------------------ derived: monitoring */

/**
 * One monitoring item (CloudWatch.1–14, CIS.4.15) for one account under one pattern set, derived
 * from trails, log groups, alarms and topics (kinds/logMonitoring/derive.ts); never trusted from a
 * snapshot. A check picks its item with `where: control = X, patternSet = {{param.patternSet}}`.
 */
export interface MonitoringFacts {
  /** type `AWS::::Account`, id = the account id, region `global`. */
  readonly ref: ResourceRef;
  readonly control: string;
  readonly patternSet: string;
  readonly accountId: string;
  /** The whole chain holds: qualifying trail → log group → exact filter → alarm → topic with a confirmed subscription. */
  readonly satisfied: Maybe<boolean>;
  /** The pattern this set prescribes for the control (the first, where CIS accepts several): what remediation writes. */
  readonly prescribedPattern: string;
  /** One sentence: the chain that satisfies it, or where the best candidate breaks (and why). */
  readonly explanation: string;
  /** The links of the best chain found, as far as it goes (evidence). */
  readonly trailArn?: string;
  readonly logGroupArn?: string;
  readonly filterName?: string;
  readonly filterPattern?: string;
  readonly alarmArn?: string;
  readonly topicArn?: string;
}
