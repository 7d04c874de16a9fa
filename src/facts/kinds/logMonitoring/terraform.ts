/**
 * Terraform plan → `$.logGroups` (kinds `logGroups`, `metricFilters`): every planned
 * `aws_cloudwatch_log_group` with the `aws_cloudwatch_log_metric_filter`s attached to it, and a
 * stand-in for each log group a trail names that the plan does not declare.
 *
 * - Identity: `ref.id` is the address; `arn` the known ARN (without `:*`) or else the address, as
 *   for trails. The join trail → log group is `trailArns` (each trail's `arn`): a trail's
 *   `cloud_watch_logs_group_arn` links by configuration reference (`"${aws_cloudwatch_log_group.x.arn}:*"`),
 *   else by a known ARN whose name is a declared group's (collect/terraform/links.ts).
 * - `exists`: true for a planned group (deleted resources are not in the plan's view); a
 *   stand-in's is Unknown('not_found') for a known ARN no group here has, Unknown('unsupported')
 *   when the link cannot be followed (data source, local, known only after apply) — never true.
 * - `metricFilters`: filters whose `log_group_name` references the group or equals its known
 *   name; a filter whose pattern or metric is known only after apply makes the group's whole
 *   list Unknown('unsupported'); a stand-in's list is as unknown as its existence.
 */
import { emitsCountableMetric } from './alarmMetrics.js';
import type { LogGroupFacts, MetricFilterFacts, MetricId, Maybe, SourceLocation, Unknown } from '../../model.js';
import { isUnknown, unknown } from '../../model.js';
import type { PlanContext } from '../../../collect/terraform/context.js';
import type { PlanLink, PlanTarget } from '../../../collect/terraform/links.js';
import { linkTarget } from '../../../collect/terraform/links.js';
import { isObject, type PlannedResource } from '../../../collect/terraform/plan.js';
import { attribute, blocks, knownString } from '../../../collect/terraform/values.js';
import { logGroupOf } from './logGroupArn.js';

export const LOG_GROUP_RESOURCE = 'aws_cloudwatch_log_group';
export const METRIC_FILTER_RESOURCE = 'aws_cloudwatch_log_metric_filter';

/** A trail as the plan readers need it: its resource and its `arn` fact. */
export interface PlannedTrail {
  readonly resource: PlannedResource;
  readonly arn: string;
}

function groupName(resource: PlannedResource): string | undefined {
  return knownString(resource, 'name') ?? logGroupOf(knownString(resource, 'arn') ?? '')?.name;
}

function groups(context: PlanContext): PlannedResource[] {
  return context.plan.resources.filter((resource) => resource.type === LOG_GROUP_RESOURCE);
}

function byName(context: PlanContext, name: string | undefined): PlannedResource | undefined {
  return name === undefined ? undefined : groups(context).find((group) => groupName(group) === name);
}

export function logGroupArnOf(resource: PlannedResource): string {
  const known = knownString(resource, 'arn');
  return (known === undefined ? undefined : logGroupOf(known)?.arn) ?? resource.address;
}

function readFilter(context: PlanContext, resource: PlannedResource): MetricFilterFacts | Unknown {
  const pattern = attribute(resource, 'pattern');
  if (pattern.state !== 'known' || typeof pattern.value !== 'string') {
    return unknown('unsupported', `${resource.address}.pattern is ${pattern.state === 'unknown' ? 'known only after apply' : 'not set'}, so it cannot be compared with the prescribed pattern.`);
  }
  const metrics: MetricId[] = [];
  for (const transformation of blocks(resource.values.metric_transformation)) {
    if (typeof transformation.name !== 'string' || typeof transformation.namespace !== 'string') {
      return unknown('unsupported', `${resource.address}.metric_transformation has a name or namespace known only after apply.`);
    }
    const dimensioned = isObject(transformation.dimensions) && Object.keys(transformation.dimensions).length > 0;
    if (emitsCountableMetric(typeof transformation.value === 'string' ? transformation.value : undefined, dimensioned)) {
      metrics.push({ name: transformation.name, namespace: transformation.namespace });
    }
  }
  return { name: knownString(resource, 'name') ?? resource.name, pattern: pattern.value, metrics, location: context.location(resource) };
}

function declaredGroup(context: PlanContext, resource: PlannedResource, trailArns: readonly string[], filters: readonly { resource: PlannedResource; facts: MetricFilterFacts | Unknown }[]): LogGroupFacts {
  const location = context.location(resource);
  const gap = filters.map((filter) => filter.facts).find((facts): facts is Unknown => isUnknown(facts));
  const known = filters.map((filter) => filter.facts).filter((facts): facts is MetricFilterFacts => !isUnknown(facts));
  const metricFilters: Maybe<readonly MetricFilterFacts[]> = gap ?? known;
  const name = groupName(resource) ?? resource.name;
  const firstFilter = filters[0];
  return {
    ref: { type: 'AWS::Logs::LogGroup', id: resource.address, name, accountId: context.accountId, region: context.region(resource), location },
    locations: { exists: location, metricFilters: firstFilter === undefined ? location : context.location(firstFilter.resource) },
    arn: logGroupArnOf(resource),
    name,
    region: context.region(resource),
    accountId: context.accountId ?? '',
    trailArns,
    exists: true,
    metricFilters,
  };
}

function standInGroup(context: PlanContext, link: Exclude<PlanLink, { kind: 'declared' | 'absent' }>, trails: readonly PlannedTrail[], location: SourceLocation): LogGroupFacts {
  const first = trails[0];
  const identity = link.kind === 'outside' ? logGroupOf(link.value) : undefined;
  const id = link.kind === 'outside' ? (identity?.arn ?? link.value) : `${first?.resource.address ?? ''}.cloud_watch_logs_group_arn`;
  const who = trails.map((trail) => trail.resource.address).join(', ');
  const gap =
    link.kind === 'outside'
      ? unknown('not_found', `Log group ${link.value} (destination of ${who}) is not declared in this plan, so whether it exists and its metric filters cannot be read here; audit it live or scan the configuration that creates it.`)
      : unknown('unsupported', `The log group of ${who} cannot be identified from the plan: ${link.why}. Reference the log group resource directly or audit it live.`);
  const region = identity?.region ?? (first === undefined ? '' : context.region(first.resource));
  return {
    ref: { type: 'AWS::Logs::LogGroup', id, name: identity?.name ?? id, accountId: identity?.accountId ?? context.accountId, region, location },
    locations: { exists: location, metricFilters: location },
    arn: id,
    name: identity?.name ?? id,
    region,
    accountId: identity?.accountId ?? context.accountId ?? '',
    trailArns: trails.map((trail) => trail.arn),
    exists: gap,
    metricFilters: gap,
  };
}

export function logGroupFacts(context: PlanContext, trails: readonly PlannedTrail[]): LogGroupFacts[] {
  const arnTarget: PlanTarget = {
    type: LOG_GROUP_RESOURCE,
    byKnown: (value) => groups(context).find((group) => knownString(group, 'arn') === value) ?? byName(context, logGroupOf(value)?.name),
  };
  const nameTarget: PlanTarget = { type: LOG_GROUP_RESOURCE, byKnown: (value) => byName(context, value) };
  const trailsOf = new Map<string, string[]>();
  const standIns = new Map<string, { link: Exclude<PlanLink, { kind: 'declared' | 'absent' }>; trails: PlannedTrail[]; location: SourceLocation }>();
  for (const trail of trails) {
    const link = linkTarget(trail.resource, 'cloud_watch_logs_group_arn', context.resolver, arnTarget);
    if (link.kind === 'declared') {
      trailsOf.set(link.target.address, [...(trailsOf.get(link.target.address) ?? []), trail.arn]);
    } else if (link.kind !== 'absent') {
      const key = link.kind === 'outside' ? `outside ${logGroupOf(link.value)?.arn ?? link.value}` : `unresolved ${trail.resource.address}`;
      const location = context.attributeLocation(trail.resource, 'cloud_watch_logs_group_arn') ?? context.location(trail.resource);
      const entry = standIns.get(key) ?? { link, trails: [], location };
      entry.trails.push(trail);
      standIns.set(key, entry);
    }
  }
  const filtersOf = new Map<string, { resource: PlannedResource; facts: MetricFilterFacts | Unknown }[]>();
  for (const filter of context.plan.resources.filter((resource) => resource.type === METRIC_FILTER_RESOURCE)) {
    const link = linkTarget(filter, 'log_group_name', context.resolver, nameTarget);
    if (link.kind === 'declared') {
      filtersOf.set(link.target.address, [...(filtersOf.get(link.target.address) ?? []), { resource: filter, facts: readFilter(context, filter) }]);
    }
  }
  return [
    ...groups(context).map((group) => declaredGroup(context, group, trailsOf.get(group.address) ?? [], filtersOf.get(group.address) ?? [])),
    ...[...standIns.values()].map((entry) => standInGroup(context, entry.link, entry.trails, entry.location)),
  ];
}
