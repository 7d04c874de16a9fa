/**
 * CloudFormation → `$.logGroups` (kinds `logGroups`, `metricFilters`): the log groups a template
 * declares (AWS::Logs::LogGroup) with the metric filters attached to them
 * (AWS::Logs::MetricFilter), and a stand-in for each log group a trail names but the template
 * does not declare.
 *
 * - Identity: a declared group's `ref.id` and `arn` are its logical id (its ARN exists only after
 *   deployment), as for trails and buckets; a stand-in's are the trail's literal ARN without `:*`
 *   (logGroupOf) or the expression as written. The join trail → log group is `trailArns`: every
 *   item lists the trails (their `arn`, the logical id) whose CloudWatchLogsLogGroupArn resolves
 *   to it (`!GetAtt G.Arn`, `!Sub '${G.Arn}'`, `!Sub 'arn:…:log-group:${G}:*'`, a literal ARN
 *   whose name is G's literal LogGroupName; collect/cloudformation/links.ts).
 * - `exists`: true for a declared group (Unknown when it has a Condition); a stand-in's is
 *   Unknown('not_found') for a literal or a parameter (declared elsewhere) and
 *   Unknown('unsupported') for anything else — never true.
 * - `metricFilters`: the filters whose LogGroupName is `!Ref G` (Ref returns the name) or G's
 *   literal name. A filter whose pattern is computed at deploy time (`!Sub` with variables, a
 *   parameter) or that is conditional makes the group's whole list Unknown('unsupported'): one
 *   unreadable filter may be the one that matches. A filter whose LogGroupName resolves to no
 *   declared group is not attached anywhere. A stand-in's filters are as unknown as its existence.
 * - Metric names and namespaces: literal text, or the expression qualified by the file
 *   (cloudformationValues.ts identityText), so an alarm on `!Sub '${AWS::StackName}-x'` joins a
 *   filter emitting the same expression.
 */
import type { LogGroupFacts, MetricFilterFacts, MetricId, Maybe, SourceLocation, Unknown } from '../../model.js';
import { emitsCountableMetric } from './alarmMetrics.js';
import { isUnknown, unknown } from '../../model.js';
import { DEPLOYMENT_REGION } from '../../../collect/iac/types.js';
import { describeNode } from '../../../collect/cloudformation/intrinsics.js';
import type { DeclaredLink, LinkTarget } from '../../../collect/cloudformation/links.js';
import { resolveDeclared } from '../../../collect/cloudformation/links.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { entryOf, isList, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { ResourceInfo, TemplateIndex } from '../../../collect/cloudformation/templateIndex.js';
import { locationOf, resourcesOfType } from '../../../collect/cloudformation/templateIndex.js';
import { logGroupOf } from './logGroupArn.js';
import { conditionalGap, identityText, staticText } from './cloudformationValues.js';

export const LOG_GROUP_TYPE = 'AWS::Logs::LogGroup';
export const METRIC_FILTER_TYPE = 'AWS::Logs::MetricFilter';

/** A trail as the monitoring readers need it: its id and the raw value of one property. */
export interface TrailProperty {
  readonly trailArn: string;
  readonly node: CfnNode | undefined;
  readonly location: SourceLocation;
}

/** Declared log groups by literal LogGroupName. */
function groupsByName(index: TemplateIndex): Map<string, string> {
  const names = new Map<string, string>();
  for (const group of resourcesOfType(index, LOG_GROUP_TYPE)) {
    const name = literalString(valueOf(group.properties, 'LogGroupName'));
    if (name !== undefined && !names.has(name)) {
      names.set(name, group.logicalId);
    }
  }
  return names;
}

/** How a trail's CloudWatchLogsLogGroupArn (an ARN) names a declared group. */
export function logGroupArnTarget(index: TemplateIndex): LinkTarget {
  const names = groupsByName(index);
  return { type: LOG_GROUP_TYPE, what: 'log group', byLiteral: (literal) => names.get(logGroupOf(literal)?.name ?? '') };
}

/** How a metric filter's LogGroupName (a name) names a declared group. */
function logGroupNameTarget(index: TemplateIndex): LinkTarget {
  const names = groupsByName(index);
  return { type: LOG_GROUP_TYPE, what: 'log group', byLiteral: (literal) => names.get(literal) };
}

function metricsOf(node: CfnNode | undefined, file: string): MetricId[] | undefined {
  if (!isList(node)) {
    return undefined;
  }
  const metrics: MetricId[] = [];
  for (const item of node.items) {
    const name = identityText(valueOf(item, 'MetricName'), file);
    const namespace = identityText(valueOf(item, 'MetricNamespace'), file);
    if (name === undefined || namespace === undefined) {
      return undefined;
    }
    // A constant value of 0 (or less) never raises the metric; dimensions make it another metric (alarmMetrics.ts).
    const value = valueOf(item, 'MetricValue');
    const valueText = value?.kind === 'scalar' && (typeof value.value === 'string' || typeof value.value === 'number') ? String(value.value) : undefined;
    const dimensions = valueOf(item, 'Dimensions');
    if (emitsCountableMetric(valueText, isList(dimensions) && dimensions.items.length > 0)) {
      metrics.push({ name, namespace });
    }
  }
  return metrics;
}

/** One declared filter: its facts, or why it cannot be read before deployment. */
function readFilter(resource: ResourceInfo, index: TemplateIndex): MetricFilterFacts | Unknown {
  const pattern = valueOf(resource.properties, 'FilterPattern');
  const text = staticText(pattern);
  if (text === undefined) {
    return unknown(
      'unsupported',
      `MetricFilter ${resource.logicalId}: FilterPattern ${pattern === undefined ? 'is missing' : `is ${describeNode(pattern)}, computed at deploy time`}, so it cannot be compared with the prescribed pattern; write it as a literal, or audit the deployed stack live.`,
    );
  }
  const metrics = metricsOf(valueOf(resource.properties, 'MetricTransformations'), index.file);
  if (metrics === undefined) {
    return unknown('unsupported', `MetricFilter ${resource.logicalId}: MetricTransformations cannot be read before deployment (not a list of MetricName / MetricNamespace).`);
  }
  const gap = conditionalGap(resource, 'MetricFilter');
  if (gap !== undefined) {
    return gap;
  }
  return {
    name: literalString(valueOf(resource.properties, 'FilterName')) ?? resource.logicalId,
    pattern: text,
    metrics,
    location: locationOf(index, resource.position),
  };
}

/** Declared filters by the logical id of the group they attach to. */
function filtersByGroup(index: TemplateIndex): Map<string, (MetricFilterFacts | Unknown)[]> {
  const target = logGroupNameTarget(index);
  const byGroup = new Map<string, (MetricFilterFacts | Unknown)[]>();
  for (const resource of resourcesOfType(index, METRIC_FILTER_TYPE)) {
    const link = resolveDeclared(valueOf(resource.properties, 'LogGroupName'), index, target);
    if (link.kind !== 'declared') {
      continue;
    }
    const list = byGroup.get(link.logicalId) ?? [];
    list.push(readFilter(resource, index));
    byGroup.set(link.logicalId, list);
  }
  return byGroup;
}

function declaredGroup(resource: ResourceInfo, trailArns: readonly string[], filters: readonly (MetricFilterFacts | Unknown)[], index: TemplateIndex): LogGroupFacts {
  const name = literalString(valueOf(resource.properties, 'LogGroupName')) ?? resource.logicalId;
  const location = locationOf(index, resource.position);
  const gap = filters.find((filter): filter is Unknown => isUnknown(filter));
  const metricFilters: Maybe<readonly MetricFilterFacts[]> = gap ?? filters.filter((filter): filter is MetricFilterFacts => !isUnknown(filter));
  const locations: Record<string, SourceLocation> = { exists: location, metricFilters: location };
  const firstFilter = filters.find((filter): filter is MetricFilterFacts => !isUnknown(filter));
  if (firstFilter?.location !== undefined) {
    locations.metricFilters = firstFilter.location;
  }
  return {
    ref: { type: LOG_GROUP_TYPE, id: resource.logicalId, name, accountId: null, region: DEPLOYMENT_REGION, location },
    locations,
    arn: resource.logicalId,
    name,
    region: DEPLOYMENT_REGION,
    accountId: '',
    trailArns,
    exists: conditionalGap(resource, 'LogGroup') ?? true,
    metricFilters,
  };
}

function standInGroup(link: Extract<DeclaredLink, { kind: 'unresolved' }>, trailArns: readonly string[], location: SourceLocation): LogGroupFacts {
  const identity = link.literal === undefined ? undefined : logGroupOf(link.literal);
  const who = trailArns.length === 1 ? `Trail ${trailArns[0] ?? ''} delivers` : `Trails ${trailArns.join(', ')} deliver`;
  const gap = unknown(link.reason, `${who} to log group ${link.text}: ${link.why}.`);
  const id = identity?.arn ?? link.text;
  return {
    ref: { type: LOG_GROUP_TYPE, id, name: identity?.name ?? link.text, accountId: identity?.accountId ?? null, region: identity?.region ?? DEPLOYMENT_REGION, location },
    locations: { exists: location, metricFilters: location },
    arn: id,
    name: identity?.name ?? link.text,
    region: identity?.region ?? DEPLOYMENT_REGION,
    accountId: identity?.accountId ?? '',
    trailArns,
    exists: gap,
    metricFilters: gap,
  };
}

/** Every declared log group, plus a stand-in per distinct log group trails name but the template does not declare. */
export function collectLogGroups(index: TemplateIndex, trails: readonly TrailProperty[]): LogGroupFacts[] {
  const target = logGroupArnTarget(index);
  const trailsOf = new Map<string, string[]>();
  const standIns = new Map<string, { link: Extract<DeclaredLink, { kind: 'unresolved' }>; trails: string[]; location: SourceLocation }>();
  for (const trail of trails) {
    const link = resolveDeclared(trail.node, index, target);
    if (link.kind === 'declared') {
      trailsOf.set(link.logicalId, [...(trailsOf.get(link.logicalId) ?? []), trail.trailArn]);
    } else if (link.kind === 'unresolved') {
      const key = link.literal === undefined ? link.text : (logGroupOf(link.literal)?.arn ?? link.text);
      const entry = standIns.get(key) ?? { link, trails: [], location: trail.location };
      entry.trails.push(trail.trailArn);
      standIns.set(key, entry);
    }
  }
  const filters = filtersByGroup(index);
  const declared = resourcesOfType(index, LOG_GROUP_TYPE).map((resource) =>
    declaredGroup(resource, trailsOf.get(resource.logicalId) ?? [], filters.get(resource.logicalId) ?? [], index),
  );
  return [...declared, ...[...standIns.values()].map((entry) => standInGroup(entry.link, entry.trails, entry.location))];
}

/** The trail property `key` of every trail resource, located at the property (or the trail). */
export function trailProperties(index: TemplateIndex, trails: readonly ResourceInfo[], key: string, arnOf: (resource: ResourceInfo) => string): TrailProperty[] {
  return trails.map((resource) => {
    const entry = entryOf(resource.properties, key);
    return {
      trailArn: arnOf(resource),
      node: entry?.value,
      location: locationOf(index, entry?.keyPosition ?? resource.position),
    };
  });
}
