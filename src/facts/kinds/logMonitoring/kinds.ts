/**
 * The log-monitoring fact kinds (CloudWatch.1–14, CIS 4.15, TrailHealth.2): the log groups trails
 * deliver to and their metric filters (`$.logGroups`), the metric alarms of those log groups'
 * Regions (`$.alarms`), and the SNS topics alarms on those filters' metrics notify (`$.topics`).
 * Each call is made once per resource, in its Region (CONTROLS.md §2.2, §3.4).
 */
import { EVERY_SOURCE, type CollectionSpec, type FactKind } from '../types.js';

/** One stage reads both log-group kinds: each log group's calls are made once. */
const liveLogGroups = async () => (await import('./livePlan.js')).LOG_GROUPS_STAGE;

export const LOG_GROUPS_COLLECTION: CollectionSpec = { name: 'logGroups', itemDefinition: 'logGroup', gapDefinition: 'regionGap', optional: true };
export const ALARMS_COLLECTION: CollectionSpec = { name: 'alarms', itemDefinition: 'metricAlarm', gapDefinition: 'regionGap', optional: true };
export const TOPICS_COLLECTION: CollectionSpec = { name: 'topics', itemDefinition: 'topic', gapDefinition: 'regionGap', optional: true };

export const LOG_MONITORING_KINDS: readonly FactKind[] = [
  {
    need: 'logGroups',
    live: liveLogGroups,
    collection: 'logGroups',
    dependsOn: ['trails'],
    operations: { 'logs:DescribeLogGroups': 'DescribeLogGroups' },
    sources: EVERY_SOURCE,
    requiredFacts: ['exists'],
  },
  {
    need: 'metricFilters',
    live: liveLogGroups,
    collection: 'logGroups',
    dependsOn: ['trails'],
    operations: { 'logs:DescribeMetricFilters': 'DescribeMetricFilters' },
    sources: EVERY_SOURCE,
    requiredFacts: ['metricFilters'],
  },
  {
    need: 'metricAlarms',
    live: async () => (await import('./livePlan.js')).ALARMS_STAGE,
    collection: 'alarms',
    dependsOn: ['trails'],
    operations: { 'cloudwatch:DescribeAlarms': 'DescribeAlarms' },
    sources: EVERY_SOURCE,
    requiredFacts: [],
  },
  {
    need: 'alarmTopics',
    live: async () => (await import('./livePlan.js')).ALARM_TOPICS_STAGE,
    collection: 'topics',
    dependsOn: ['metricFilters', 'metricAlarms'],
    operations: { 'sns:ListSubscriptionsByTopic': 'ListSubscriptionsByTopic' },
    sources: EVERY_SOURCE,
    requiredFacts: ['subscriptions'],
  },
];
