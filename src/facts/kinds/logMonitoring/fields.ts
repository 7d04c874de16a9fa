/** The log-monitoring items' fields, for the field catalogue (facts/fields.ts); checked against the model by the compiler. */
import type { AlarmGap, LogGroupFacts, LogGroupGap, MetricAlarmFacts, MonitoringFacts, TopicFacts } from '../../model.js';
import { LEAF, LEAVES, LOCATIONS, RESOURCE_REF, SOURCE_LOCATION, UNKNOWN_DETAIL, type FieldsOf } from '../../fieldSpec.js';

const METRIC = { fields: { name: LEAF, namespace: LEAF } } as const;

export const LOG_GROUP_FIELDS: FieldsOf<LogGroupFacts | LogGroupGap> = {
  ref: RESOURCE_REF,
  $gap: UNKNOWN_DETAIL,
  locations: LOCATIONS,
  arn: LEAF,
  name: LEAF,
  region: LEAF,
  accountId: LEAF,
  trailArns: LEAVES,
  exists: LEAF,
  metricFilters: { list: { fields: { name: LEAF, pattern: LEAF, metrics: { list: METRIC }, location: SOURCE_LOCATION } } },
};

export const ALARM_FIELDS: FieldsOf<MetricAlarmFacts | AlarmGap> = {
  ref: RESOURCE_REF,
  $gap: UNKNOWN_DETAIL,
  locations: LOCATIONS,
  arn: LEAF,
  name: LEAF,
  region: LEAF,
  accountId: LEAF,
  actionsEnabled: LEAF,
  alarmActions: LEAVES,
  metrics: { list: METRIC },
};

export const TOPIC_FIELDS: FieldsOf<TopicFacts> = {
  ref: RESOURCE_REF,
  locations: LOCATIONS,
  arn: LEAF,
  name: LEAF,
  region: LEAF,
  accountId: LEAF,
  subscriptions: { list: { fields: { protocol: LEAF, confirmed: LEAF, endpoint: LEAF, arn: LEAF } } },
};

export const MONITORING_FIELDS: FieldsOf<MonitoringFacts> = {
  ref: RESOURCE_REF,
  control: LEAF,
  patternSet: LEAF,
  accountId: LEAF,
  satisfied: LEAF,
  prescribedPattern: LEAF,
  explanation: LEAF,
  trailArn: LEAF,
  logGroupArn: LEAF,
  filterName: LEAF,
  filterPattern: LEAF,
  alarmArn: LEAF,
  topicArn: LEAF,
};
