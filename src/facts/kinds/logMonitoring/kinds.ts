/**
 * The log-monitoring fact kinds (CloudWatch.1–14, CIS 4.15, TrailHealth.2): the log groups trails
 * deliver to and their metric filters (`$.logGroups`), the metric alarms of those log groups'
 * Regions (`$.alarms`), and the SNS topics alarms on those filters' metrics notify (`$.topics`).
 * Each call is made once per resource, in its Region (CONTROLS.md §2.2, §3.4).
 */
import type { CollectionSpec, FactKind } from '../types.js';

export const LOG_GROUPS_COLLECTION: CollectionSpec = { name: 'logGroups', itemDefinition: 'logGroup', gapDefinition: 'regionGap', optional: true };
export const ALARMS_COLLECTION: CollectionSpec = { name: 'alarms', itemDefinition: 'metricAlarm', gapDefinition: 'regionGap', optional: true };
export const TOPICS_COLLECTION: CollectionSpec = { name: 'topics', itemDefinition: 'topic', gapDefinition: 'regionGap', optional: true };

export const LOG_MONITORING_KINDS: readonly FactKind[] = [
  {
    need: 'logGroups',
    collection: 'logGroups',
    dependsOn: ['trails'],
    operations: { 'logs:DescribeLogGroups': 'DescribeLogGroups' },
    sources: ['cloudformation', 'terraform'],
    requiredFacts: ['exists'],
  },
  {
    need: 'metricFilters',
    collection: 'logGroups',
    dependsOn: ['trails'],
    operations: { 'logs:DescribeMetricFilters': 'DescribeMetricFilters' },
    sources: ['cloudformation', 'terraform'],
    requiredFacts: ['metricFilters'],
  },
  {
    need: 'metricAlarms',
    collection: 'alarms',
    dependsOn: ['trails'],
    operations: { 'cloudwatch:DescribeAlarms': 'DescribeAlarms' },
    sources: ['cloudformation', 'terraform'],
    requiredFacts: [],
  },
  {
    need: 'alarmTopics',
    collection: 'topics',
    dependsOn: ['metricFilters', 'metricAlarms'],
    operations: { 'sns:ListSubscriptionsByTopic': 'ListSubscriptionsByTopic' },
    sources: ['cloudformation', 'terraform'],
    requiredFacts: ['subscriptions'],
  },
];
