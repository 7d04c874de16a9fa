/**
 * CloudFormation → `$.alarms` (kind `metricAlarms`) and `$.topics` (kind `alarmTopics`).
 *
 * - Alarms (AWS::CloudWatch::Alarm): every declared alarm, `ref.id` = `arn` = its logical id.
 *   `metrics`: MetricName/Namespace, or each `Metrics[].MetricStat.Metric` of a metric-math alarm
 *   (names as in cloudformation.ts: literal, or the expression qualified by the file); unreadable
 *   → Unknown('unsupported'). `actionsEnabled`: ActionsEnabled (default true); a conditional alarm
 *   may not exist, so its `actionsEnabled` is Unknown naming the condition.
 * - `alarmActions`: each action as the topic items name it. An action that resolves to a declared
 *   topic (`!Ref Topic`, which returns the topic ARN, `!GetAtt Topic.TopicArn`) is that topic's
 *   logical id, which is the topic item's `arn`: alarm → topic joins by equality with `arn`, never
 *   by parsing ARNs. A literal ARN stays as written; any other expression is its text.
 * - Topics (AWS::SNS::Topic): every declared topic, with its inline `Subscription` list and every
 *   AWS::SNS::Subscription whose TopicArn resolves to it; `confirmed` per
 *   subscriptionConfirmation.ts (an sqs/lambda/firehose endpoint counts as same-account when it is
 *   `!Ref`/`!GetAtt` of a resource declared here). A conditional topic's `subscriptions`, and a
 *   conditional subscription's `confirmed`, are Unknown naming the condition.
 * - An alarm action naming an SNS topic the template does not declare (a literal `arn:…:sns:…`,
 *   a parameter, an import) gets a stand-in topic with that id whose `subscriptions` are
 *   Unknown('not_found') for a literal or parameter, Unknown('unsupported') otherwise — never a
 *   confirmed subscriber. Literal non-SNS actions (Auto Scaling, EC2, Systems Manager) get none.
 */
import type { Maybe, MetricAlarmFacts, MetricId, SourceLocation, SubscriptionFacts, TopicFacts } from '../../model.js';
import { unknown } from '../../model.js';
import { DEPLOYMENT_REGION } from '../../../collect/iac/types.js';
import { describeNode, getAttTarget, isNoValue, refTarget } from '../../../collect/cloudformation/intrinsics.js';
import type { DeclaredLink, LinkTarget } from '../../../collect/cloudformation/links.js';
import { resolveDeclared } from '../../../collect/cloudformation/links.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { entryOf, isList, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { ResourceInfo, TemplateIndex } from '../../../collect/cloudformation/templateIndex.js';
import { locationOf, resourcesOfType } from '../../../collect/cloudformation/templateIndex.js';
import { readBoolean } from '../../../collect/cloudformation/values.js';
import { evaluatedMetrics, type MetricQuery } from './alarmMetrics.js';
import { conditionalGap, identityText, staticText } from './cloudformationValues.js';
import { declaredConfirmation } from './subscriptionConfirmation.js';

export const ALARM_TYPE = 'AWS::CloudWatch::Alarm';
export const TOPIC_TYPE = 'AWS::SNS::Topic';
export const SUBSCRIPTION_TYPE = 'AWS::SNS::Subscription';

const TOPIC_TARGET: LinkTarget = { type: TOPIC_TYPE, what: 'SNS topic' };
const SNS_ARN = /^arn:[a-z-]+:sns:/u;

type Unresolved = Extract<DeclaredLink, { kind: 'unresolved' }>;

function alarmMetrics(resource: ResourceInfo, file: string): Maybe<readonly MetricId[]> {
  const properties = resource.properties;
  const unreadable = (why: string): Maybe<readonly MetricId[]> => unknown('unsupported', `Alarm ${resource.logicalId}: ${why}; audit the deployed alarm live.`);
  const name = valueOf(properties, 'MetricName');
  if (name !== undefined && !isNoValue(name)) {
    const metricName = identityText(name, file);
    const namespace = identityText(valueOf(properties, 'Namespace'), file);
    if (metricName === undefined || namespace === undefined) {
      return unreadable('MetricName without Namespace');
    }
    // A metric with dimensions is not the one a metric filter emits (alarmMetrics.ts).
    const dimensions = valueOf(properties, 'Dimensions');
    return isList(dimensions) && dimensions.items.length > 0 ? [] : [{ name: metricName, namespace }];
  }
  const queries = valueOf(properties, 'Metrics');
  if (!isList(queries)) {
    return queries === undefined ? unreadable('neither MetricName nor Metrics is set') : unreadable(`Metrics is ${describeNode(queries)}, not a list`);
  }
  const parsed: MetricQuery[] = [];
  for (const query of queries.items) {
    const id = identityText(valueOf(query, 'Id'), file) ?? '';
    const expression = identityText(valueOf(query, 'Expression'), file);
    const returnData = valueOf(query, 'ReturnData');
    // `true`/`false` or their strings; anything else (an intrinsic) leaves it unsaid.
    const flag = returnData?.kind === 'scalar' ? (returnData.value === true || returnData.value === 'true' ? true : returnData.value === false || returnData.value === 'false' ? false : undefined) : undefined;
    const metric = valueOf(valueOf(query, 'MetricStat'), 'Metric');
    let fetched: MetricId | undefined;
    let dimensioned = false;
    if (metric !== undefined) {
      const metricName = identityText(valueOf(metric, 'MetricName'), file);
      const namespace = identityText(valueOf(metric, 'Namespace'), file);
      if (metricName === undefined || namespace === undefined) {
        return unreadable('a Metrics[].MetricStat.Metric has no MetricName or Namespace');
      }
      fetched = { name: metricName, namespace };
      const dimensions = valueOf(metric, 'Dimensions');
      dimensioned = isList(dimensions) && dimensions.items.length > 0;
    }
    parsed.push({ id, dimensioned, ...(fetched === undefined ? {} : { metric: fetched }), ...(expression === undefined ? {} : { expression }), ...(flag === undefined ? {} : { returnData: flag }) });
  }
  // Only what the returned expression reads reaches the alarm (alarmMetrics.ts).
  return evaluatedMetrics(parsed);
}

interface ActionReading {
  readonly actions: Maybe<readonly string[]>;
  /** Topics named but not declared: id → the link that failed. */
  readonly undeclared: readonly Unresolved[];
}

function alarmActions(resource: ResourceInfo, index: TemplateIndex): ActionReading {
  const node = valueOf(resource.properties, 'AlarmActions');
  if (node === undefined || isNoValue(node)) {
    return { actions: [], undeclared: [] };
  }
  if (!isList(node)) {
    return {
      actions: unknown('unsupported', `Alarm ${resource.logicalId}: AlarmActions is ${describeNode(node)}, a list known only at deploy time; audit the deployed alarm live.`),
      undeclared: [],
    };
  }
  const actions: string[] = [];
  const undeclared: Unresolved[] = [];
  for (const item of node.items) {
    const link = resolveDeclared(item, index, TOPIC_TARGET);
    if (link.kind === 'declared') {
      actions.push(link.logicalId);
    } else if (link.kind === 'unresolved') {
      actions.push(link.literal ?? link.text);
      if (link.literal === undefined || SNS_ARN.test(link.literal)) {
        undeclared.push(link);
      }
    }
  }
  return { actions, undeclared };
}

function alarmFacts(resource: ResourceInfo, index: TemplateIndex, actions: Maybe<readonly string[]>): MetricAlarmFacts {
  const location = locationOf(index, resource.position);
  const name = literalString(valueOf(resource.properties, 'AlarmName')) ?? resource.logicalId;
  const where = (property: string): SourceLocation => {
    const entry = entryOf(resource.properties, property);
    return entry === undefined ? location : locationOf(index, entry.keyPosition);
  };
  const context = { index, owner: `Alarm ${resource.logicalId}`, property: 'ActionsEnabled' };
  return {
    ref: { type: ALARM_TYPE, id: resource.logicalId, name, accountId: null, region: DEPLOYMENT_REGION, location },
    locations: {
      actionsEnabled: where('ActionsEnabled'),
      alarmActions: where('AlarmActions'),
      metrics: entryOf(resource.properties, 'MetricName') === undefined ? where('Metrics') : where('MetricName'),
    },
    arn: resource.logicalId,
    name,
    region: DEPLOYMENT_REGION,
    accountId: '',
    actionsEnabled: conditionalGap(resource, 'Alarm') ?? readBoolean(valueOf(resource.properties, 'ActionsEnabled'), true, context),
    alarmActions: actions,
    metrics: alarmMetrics(resource, index.file),
  };
}

/** An endpoint written as `!Ref X` / `!GetAtt X.Arn` of a resource declared here (so in the stack's account). */
function declaredEndpoint(node: CfnNode | undefined, index: TemplateIndex): boolean {
  const id = refTarget(node) ?? getAttTarget(node)?.[0];
  return id !== undefined && index.resources.has(id);
}

function subscription(node: CfnNode | undefined, index: TemplateIndex, who: string, gap?: ReturnType<typeof conditionalGap>): SubscriptionFacts {
  const protocolNode = valueOf(node, 'Protocol');
  const protocol = staticText(protocolNode);
  const endpointNode = valueOf(node, 'Endpoint');
  const endpoint = endpointNode === undefined || isNoValue(endpointNode) ? undefined : (staticText(endpointNode) ?? describeNode(endpointNode));
  return {
    protocol: protocol ?? (protocolNode === undefined ? '' : describeNode(protocolNode)),
    confirmed: gap ?? declaredConfirmation(protocol, declaredEndpoint(endpointNode, index), who),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
}

function topicFacts(resource: ResourceInfo, index: TemplateIndex, attached: readonly ResourceInfo[]): TopicFacts {
  const location = locationOf(index, resource.position);
  const name = literalString(valueOf(resource.properties, 'TopicName')) ?? resource.logicalId;
  const inline = valueOf(resource.properties, 'Subscription');
  const subscriptions: SubscriptionFacts[] = [
    ...(isList(inline) ? inline.items.filter((item) => !isNoValue(item)).map((item) => subscription(item, index, `Topic ${resource.logicalId} Subscription`)) : []),
    ...attached.map((sub) => subscription(sub.properties, index, `Subscription ${sub.logicalId}`, conditionalGap(sub, 'Subscription'))),
  ];
  const firstAttached = attached[0];
  const subscriptionsAt = entryOf(resource.properties, 'Subscription')?.keyPosition ?? firstAttached?.position ?? resource.position;
  return {
    ref: { type: TOPIC_TYPE, id: resource.logicalId, name, accountId: null, region: DEPLOYMENT_REGION, location },
    locations: { subscriptions: locationOf(index, subscriptionsAt) },
    arn: resource.logicalId,
    name,
    region: DEPLOYMENT_REGION,
    accountId: '',
    subscriptions: conditionalGap(resource, 'Topic') ?? subscriptions,
  };
}

function standInTopic(link: Unresolved, alarms: readonly string[], location: SourceLocation): TopicFacts {
  const id = link.literal ?? link.text;
  const arnParts = link.literal?.split(':');
  const who = alarms.length === 1 ? `Alarm ${alarms[0] ?? ''} notifies` : `Alarms ${alarms.join(', ')} notify`;
  const region = arnParts?.[3] ?? DEPLOYMENT_REGION;
  return {
    ref: { type: TOPIC_TYPE, id, name: arnParts?.[5] ?? id, accountId: arnParts?.[4] ?? null, region, location },
    locations: { subscriptions: location },
    arn: id,
    name: arnParts?.[5] ?? id,
    region,
    accountId: arnParts?.[4] ?? '',
    subscriptions: unknown(link.reason, `${who} SNS topic ${link.text}: ${link.why}, so its subscriptions cannot be read here.`),
  };
}

export function collectAlarmsAndTopics(index: TemplateIndex): { alarms: MetricAlarmFacts[]; topics: TopicFacts[] } {
  const undeclared = new Map<string, { link: Unresolved; alarms: string[]; location: SourceLocation }>();
  const alarms = resourcesOfType(index, ALARM_TYPE).map((resource) => {
    const reading = alarmActions(resource, index);
    for (const link of reading.undeclared) {
      const id = link.literal ?? link.text;
      const entry = undeclared.get(id) ?? { link, alarms: [], location: locationOf(index, entryOf(resource.properties, 'AlarmActions')?.keyPosition ?? resource.position) };
      entry.alarms.push(resource.logicalId);
      undeclared.set(id, entry);
    }
    return alarmFacts(resource, index, reading.actions);
  });
  const subscriptions = resourcesOfType(index, SUBSCRIPTION_TYPE);
  const topicOf = new Map(subscriptions.map((sub) => [sub.logicalId, resolveDeclared(valueOf(sub.properties, 'TopicArn'), index, TOPIC_TARGET)]));
  const topics = resourcesOfType(index, TOPIC_TYPE).map((resource) =>
    topicFacts(
      resource,
      index,
      subscriptions.filter((sub) => {
        const link = topicOf.get(sub.logicalId);
        return link?.kind === 'declared' && link.logicalId === resource.logicalId;
      }),
    ),
  );
  return { alarms, topics: [...topics, ...[...undeclared.values()].map((entry) => standInTopic(entry.link, entry.alarms, entry.location))] };
}
