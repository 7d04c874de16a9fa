/**
 * Terraform plan → `$.alarms` (`aws_cloudwatch_metric_alarm`, kind `metricAlarms`) and
 * `$.topics` (`aws_sns_topic` with its `aws_sns_topic_subscription`s, kind `alarmTopics`).
 *
 * - Alarms: `ref.id` the address, `arn` the known ARN or the address. `metrics`: metric_name +
 *   namespace, or each `metric_query[].metric` of a metric-math alarm; known only after apply →
 *   Unknown('unsupported'). `actionsEnabled`: actions_enabled (default true).
 * - `alarmActions`: known ARNs as planned (a declared topic's known ARN is its `arn`); an action
 *   known only after apply that references a declared topic (`[aws_sns_topic.alerts.arn]`) is
 *   that topic's `arn` (its address while the ARN is unknown): alarm → topic joins by equality
 *   with the topic item's `arn`. Unknown actions that reference no declared topic are left out
 *   (they can only add notifications the plan cannot show, never a confirmed subscriber); when no
 *   action is known at all, the list is Unknown('unsupported').
 * - Topics: `ref.id` the address, `arn` the known ARN or the address. A subscription belongs to
 *   the topic its topic_arn references (or whose known ARN it names). `confirmed`: the planned
 *   `pending_confirmation` when the plan knows it (a refreshed existing subscription), else by
 *   protocol (subscriptionConfirmation.ts; the endpoint is same-account when it references a
 *   resource of the plan).
 * - A known SNS ARN in alarm_actions that no planned topic has → a stand-in topic whose
 *   `subscriptions` are Unknown('not_found').
 */
import { evaluatedMetrics, type MetricQuery } from './alarmMetrics.js';
import type { Maybe, MetricAlarmFacts, MetricId, SourceLocation, SubscriptionFacts, TopicFacts } from '../../model.js';
import { unknown } from '../../model.js';
import type { PlanContext } from '../../../collect/terraform/context.js';
import { linkTarget, referencedOfType } from '../../../collect/terraform/links.js';
import { isObject, type PlannedResource } from '../../../collect/terraform/plan.js';
import { attribute, blocks, booleanAttribute, knownString } from '../../../collect/terraform/values.js';
import { declaredConfirmation } from './subscriptionConfirmation.js';

const TOPIC_RESOURCE = 'aws_sns_topic';
const SNS_ARN = /^arn:[a-z-]+:sns:/u;

function topicArnOf(resource: PlannedResource): string {
  return knownString(resource, 'arn') ?? resource.address;
}

function alarmMetrics(resource: PlannedResource): Maybe<readonly MetricId[]> {
  const unreadable = unknown('unsupported', `${resource.address}: the metric it watches is known only after apply.`);
  const name = attribute(resource, 'metric_name');
  if (name.state === 'unknown') {
    return unreadable;
  }
  if (name.state === 'known') {
    const namespace = knownString(resource, 'namespace');
    if (typeof name.value !== 'string' || namespace === undefined) {
      return unreadable;
    }
    // A metric with dimensions is not the one a metric filter emits (alarmMetrics.ts).
    const dimensions = resource.values.dimensions;
    return isObject(dimensions) && Object.keys(dimensions).length > 0 ? [] : [{ name: name.value, namespace }];
  }
  const queries: MetricQuery[] = [];
  for (const query of blocks(resource.values.metric_query)) {
    let fetched: MetricId | undefined;
    let dimensioned = false;
    for (const metric of blocks(query.metric)) {
      if (typeof metric.metric_name !== 'string' || typeof metric.namespace !== 'string') {
        return unreadable;
      }
      fetched = { name: metric.metric_name, namespace: metric.namespace };
      dimensioned = isObject(metric.dimensions) && Object.keys(metric.dimensions).length > 0;
    }
    queries.push({
      id: typeof query.id === 'string' ? query.id : '',
      dimensioned,
      ...(fetched === undefined ? {} : { metric: fetched }),
      ...(typeof query.expression === 'string' ? { expression: query.expression } : {}),
      ...(typeof query.return_data === 'boolean' ? { returnData: query.return_data } : {}),
    });
  }
  // Only what the returned expression reads reaches the alarm (alarmMetrics.ts).
  return evaluatedMetrics(queries);
}

interface ActionReading {
  readonly actions: Maybe<readonly string[]>;
  readonly undeclared: readonly string[];
}

function alarmActions(context: PlanContext, resource: PlannedResource, topicsByArn: ReadonlyMap<string, PlannedResource>): ActionReading {
  const value = attribute(resource, 'alarm_actions');
  if (value.state === 'unset') {
    return { actions: [], undeclared: [] };
  }
  const marks = isObject(resource.afterUnknown) ? resource.afterUnknown.alarm_actions : undefined;
  const known = value.state === 'known' && Array.isArray(value.value) ? value.value.filter((item): item is string => typeof item === 'string') : [];
  const someUnknown = value.state === 'unknown' || (Array.isArray(marks) && marks.some((mark) => mark === true));
  const referenced = someUnknown ? referencedOfType(context.plan, resource, 'alarm_actions', TOPIC_RESOURCE).map(topicArnOf) : [];
  if (known.length === 0 && referenced.length === 0 && someUnknown) {
    return { actions: unknown('unsupported', `${resource.address}.alarm_actions is known only after apply and references no SNS topic of the plan.`), undeclared: [] };
  }
  const actions = [...new Set([...known, ...referenced])];
  return { actions, undeclared: known.filter((arn) => SNS_ARN.test(arn) && !topicsByArn.has(arn)) };
}

function alarmFacts(context: PlanContext, resource: PlannedResource, actions: Maybe<readonly string[]>): MetricAlarmFacts {
  const name = knownString(resource, 'alarm_name') ?? resource.name;
  return {
    ref: { type: 'AWS::CloudWatch::Alarm', id: resource.address, name, accountId: context.accountId, region: context.region(resource), location: context.location(resource) },
    locations: context.locations(resource, [
      ['actionsEnabled', 'actions_enabled'],
      ['alarmActions', 'alarm_actions'],
      ['metrics', attribute(resource, 'metric_name').state === 'unset' ? 'metric_query' : 'metric_name'],
    ]),
    arn: knownString(resource, 'arn') ?? resource.address,
    name,
    region: context.region(resource),
    accountId: context.accountId ?? '',
    actionsEnabled: booleanAttribute(resource, 'actions_enabled', true),
    alarmActions: actions,
    metrics: alarmMetrics(resource),
  };
}

function subscriptionFacts(context: PlanContext, resource: PlannedResource): SubscriptionFacts {
  const protocol = knownString(resource, 'protocol');
  const endpoint = knownString(resource, 'endpoint');
  const pending = attribute(resource, 'pending_confirmation');
  const confirmed =
    pending.state === 'known' && typeof pending.value === 'boolean'
      ? !pending.value
      : declaredConfirmation(protocol, context.resolver.resolve(resource, 'endpoint').kind === 'resource', resource.address);
  const arn = knownString(resource, 'arn');
  return {
    protocol: protocol ?? '(known after apply)',
    confirmed,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(arn === undefined ? {} : { arn }),
  };
}

function topicFacts(context: PlanContext, resource: PlannedResource, subscriptions: readonly PlannedResource[]): TopicFacts {
  const name = knownString(resource, 'name') ?? resource.name;
  const first = subscriptions[0];
  const location = context.location(resource);
  return {
    ref: { type: 'AWS::SNS::Topic', id: resource.address, name, accountId: context.accountId, region: context.region(resource), location },
    locations: { subscriptions: first === undefined ? location : context.location(first) },
    arn: topicArnOf(resource),
    name,
    region: context.region(resource),
    accountId: context.accountId ?? '',
    subscriptions: subscriptions.map((subscription) => subscriptionFacts(context, subscription)),
  };
}

function standInTopic(arn: string, alarms: readonly string[], location: SourceLocation): TopicFacts {
  const parts = arn.split(':');
  return {
    ref: { type: 'AWS::SNS::Topic', id: arn, name: parts[5] ?? arn, accountId: parts[4] ?? null, region: parts[3] ?? '', location },
    locations: { subscriptions: location },
    arn,
    name: parts[5] ?? arn,
    region: parts[3] ?? '',
    accountId: parts[4] ?? '',
    subscriptions: unknown(
      'not_found',
      `SNS topic ${arn} (notified by ${alarms.join(', ')}) is not declared in this plan, so its subscriptions cannot be read here; audit it live or scan the configuration that creates it.`,
    ),
  };
}

export function alarmAndTopicFacts(context: PlanContext): { alarms: MetricAlarmFacts[]; topics: TopicFacts[] } {
  const topics = context.plan.resources.filter((resource) => resource.type === TOPIC_RESOURCE);
  const topicsByArn = new Map(topics.flatMap((topic) => (knownString(topic, 'arn') === undefined ? [] : [[knownString(topic, 'arn') ?? '', topic] as const])));
  const undeclared = new Map<string, { alarms: string[]; location: SourceLocation }>();
  const alarms = context.plan.resources
    .filter((resource) => resource.type === 'aws_cloudwatch_metric_alarm')
    .map((resource) => {
      const reading = alarmActions(context, resource, topicsByArn);
      for (const arn of reading.undeclared) {
        const entry = undeclared.get(arn) ?? { alarms: [], location: context.attributeLocation(resource, 'alarm_actions') ?? context.location(resource) };
        entry.alarms.push(resource.address);
        undeclared.set(arn, entry);
      }
      return alarmFacts(context, resource, reading.actions);
    });
  const target = { type: TOPIC_RESOURCE, byKnown: (value: string) => topicsByArn.get(value) };
  const subscriptions = context.plan.resources.filter((resource) => resource.type === 'aws_sns_topic_subscription');
  const topicOf = new Map(subscriptions.map((subscription) => [subscription.address, linkTarget(subscription, 'topic_arn', context.resolver, target)]));
  return {
    alarms,
    topics: [
      ...topics.map((topic) =>
        topicFacts(
          context,
          topic,
          subscriptions.filter((subscription) => {
            const link = topicOf.get(subscription.address);
            return link?.kind === 'declared' && link.target.address === topic.address;
          }),
        ),
      ),
      ...[...undeclared.entries()].map(([arn, entry]) => standInTopic(arn, entry.alarms, entry.location)),
    ],
  };
}
