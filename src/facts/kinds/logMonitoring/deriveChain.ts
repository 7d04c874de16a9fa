/**
 * One trail's monitoring chain for one control under one pattern set (CONTROLS.md §2.2 "Common
 * audit procedure", §6.10–11): qualifying trail → its log group → a metric filter with exactly the
 * prescribed pattern → an alarm (same account and Region) on that filter's metric, actions enabled
 * → an SNS topic among its actions → a confirmed subscription. The walk tries every branch and
 * keeps the best outcome: complete, else the first link that could not be read, else the deepest
 * break (the best candidate, for the explanation).
 *
 * Pure; the inputs are indexed once per fact set (derive.ts).
 */
import { isUnknown, type Maybe, type UnknownDetail } from '../../core.js';
import type { TrailFacts } from '../trails/model.js';
import type { FilterComparison } from './filterCompare.js';
import { logGroupOf } from './logGroupArn.js';
import type { LogGroupFacts, MetricAlarmFacts, MetricFilterFacts, MetricId, TopicFacts } from './model.js';

/** The links of a chain as far as it goes (MonitoringFacts' evidence fields). */
export interface ChainLinks {
  readonly trailArn?: string;
  readonly logGroupArn?: string;
  readonly filterName?: string;
  readonly filterPattern?: string;
  readonly alarmArn?: string;
  readonly topicArn?: string;
}

export type ChainOutcome =
  | { readonly kind: 'complete'; readonly links: ChainLinks; readonly explanation: string }
  | { readonly kind: 'unknown'; readonly links: ChainLinks; readonly explanation: string; readonly detail: UnknownDetail }
  /** `depth`: how far the chain got (0 = the trail does not qualify … 5 = no confirmed subscriber). */
  | { readonly kind: 'broken'; readonly links: ChainLinks; readonly explanation: string; readonly depth: number };

/** What the walk reads: the fact set's collections, indexed; `undefined` = the collection is absent. */
export interface ChainInputs {
  readonly logGroups: ReadonlyMap<string, LogGroupFacts> | undefined;
  /**
   * Trail ARN → the log group item that lists it in `trailArns`. Templates and plans name a log
   * group by a reference (`!GetAtt Group.Arn`, an address) rather than an ARN: their readers join
   * the trail to the declared group that way.
   */
  readonly logGroupsByTrail: ReadonlyMap<string, LogGroupFacts>;
  /** Trail ARNs that two different log groups list (trails of several scanned files sharing one id). */
  readonly ambiguousTrails: ReadonlySet<string>;
  /** Region → the detail of a gap of that Region's log groups. */
  readonly logGroupGaps: ReadonlyMap<string, UnknownDetail>;
  readonly alarms: readonly MetricAlarmFacts[] | undefined;
  /** `account|region` → that place's alarms (an alarm sees only its own account's and Region's metrics). */
  readonly alarmsByPlace: ReadonlyMap<string, readonly MetricAlarmFacts[]>;
  /** `account|region` → why that place's alarms could not be listed. */
  readonly alarmGaps: ReadonlyMap<string, UnknownDetail>;
  readonly topics: ReadonlyMap<string, TopicFacts> | undefined;
  /** The filter pattern compared with the control's prescribed patterns (memoised by the caller). */
  readonly compare: (pattern: string) => FilterComparison;
}

/** The sentence every chain that never reaches a log group starts with. */
export const NO_QUALIFYING_TRAIL = 'no multi-Region trail that is logging all management events (CloudTrail.1) sends to CloudWatch Logs';

const RANK: Readonly<Record<ChainOutcome['kind'], number>> = { complete: 0, unknown: 1, broken: 2 };

/** The better of two outcomes: complete, then unknown (the first met), then the deepest break. */
export function better(a: ChainOutcome | undefined, b: ChainOutcome): ChainOutcome {
  if (a === undefined || RANK[b.kind] < RANK[a.kind]) {
    return b;
  }
  if (a.kind === 'broken' && b.kind === 'broken' && b.depth > a.depth) {
    return b;
  }
  return a;
}

function detailOf(value: { readonly $unknown: UnknownDetail }): UnknownDetail {
  return value.$unknown;
}

function unknownLink(links: ChainLinks, detail: UnknownDetail, what: string): ChainOutcome {
  return { kind: 'unknown', links, detail, explanation: `${what} could not be read (${detail.reason}): ${detail.message}` };
}

function broken(links: ChainLinks, depth: number, explanation: string): ChainOutcome {
  return { kind: 'broken', links, depth, explanation };
}

/** The CloudTrail.1 test on one trail: false with the reason, Unknown, or true. */
function qualification(trail: TrailFacts): { readonly ok: true } | { readonly ok: false; readonly why: string } | { readonly ok: 'unknown'; readonly detail: UnknownDetail } {
  const tests: readonly [Maybe<boolean> | undefined, string][] = [
    [trail.isMultiRegion, 'is not multi-Region'],
    [trail.isLogging, 'is not logging'],
    [isUnknown(trail.managementEvents) ? trail.managementEvents : trail.managementEvents?.allInOneSelector, 'does not capture all read and write management events in one selector'],
  ];
  // Kleene: a definite false decides even when another test could not be read.
  for (const [value, why] of tests) {
    if (value === false) {
      return { ok: false, why };
    }
  }
  for (const [value] of tests) {
    if (value === undefined) {
      return { ok: 'unknown', detail: { reason: 'unsupported', message: `The status or event selectors of trail ${trail.name} were not collected.` } };
    }
    if (isUnknown(value)) {
      return { ok: 'unknown', detail: detailOf(value) };
    }
  }
  return { ok: true };
}

function sameMetric(a: MetricId, b: MetricId): boolean {
  return a.name === b.name && a.namespace === b.namespace;
}

function metricText(metrics: readonly MetricId[]): string {
  return metrics.map((metric) => `${metric.namespace}/${metric.name}`).join(', ');
}

const SNS_ARN = /^arn:[a-z-]+:sns:/u;

/** From a matching alarm on: actions enabled → SNS topic → confirmed subscription. */
function fromAlarm(alarm: MetricAlarmFacts, links: ChainLinks, inputs: ChainInputs): ChainOutcome {
  const at: ChainLinks = { ...links, alarmArn: alarm.arn };
  if (isUnknown(alarm.actionsEnabled)) {
    return unknownLink(at, detailOf(alarm.actionsEnabled), `whether the actions of alarm ${alarm.name} are enabled`);
  }
  if (!alarm.actionsEnabled) {
    return broken(at, 4, `alarm ${alarm.name} watches the filter's metric but its actions are disabled, so it notifies nobody`);
  }
  if (isUnknown(alarm.alarmActions)) {
    return unknownLink(at, detailOf(alarm.alarmActions), `the actions of alarm ${alarm.name}`);
  }
  // An SNS topic ARN, or (templates and plans) the identifier of a declared topic item.
  const topicArns = alarm.alarmActions.filter((action) => SNS_ARN.test(action) || inputs.topics?.has(action) === true);
  if (topicArns.length === 0) {
    return broken(at, 4, `alarm ${alarm.name} watches the filter's metric but notifies no SNS topic when it fires`);
  }
  let best: ChainOutcome | undefined;
  for (const topicArn of topicArns) {
    best = better(best, fromTopic(topicArn, { ...at, topicArn }, inputs, alarm.name));
  }
  return best ?? broken(at, 4, `alarm ${alarm.name} notifies no SNS topic`);
}

function fromTopic(topicArn: string, links: ChainLinks, inputs: ChainInputs, alarmName: string): ChainOutcome {
  const topic = inputs.topics?.get(topicArn);
  if (topic === undefined) {
    return unknownLink(links, { reason: 'error', message: `SNS topic ${topicArn}, an action of alarm ${alarmName}, is not among the collected topics.` }, `the subscriptions of topic ${topicArn}`);
  }
  const { subscriptions } = topic;
  if (subscriptions === undefined) {
    return unknownLink(links, { reason: 'unsupported', message: `The subscriptions of SNS topic ${topicArn} were not collected.` }, `the subscriptions of topic ${topic.name}`);
  }
  if (isUnknown(subscriptions)) {
    return unknownLink(links, detailOf(subscriptions), `the subscriptions of SNS topic ${topic.name} (alarm ${alarmName})`);
  }
  if (subscriptions.some((subscription) => subscription.confirmed === true)) {
    return { kind: 'complete', links, explanation: `alarm ${alarmName} notifies SNS topic ${topic.name}, which has a confirmed subscription` };
  }
  const pending = subscriptions.find((subscription) => isUnknown(subscription.confirmed));
  if (pending !== undefined && isUnknown(pending.confirmed)) {
    return unknownLink(links, detailOf(pending.confirmed), `whether the ${pending.protocol} subscription of SNS topic ${topic.name} is confirmed`);
  }
  return broken(
    links,
    5,
    subscriptions.length === 0
      ? `alarm ${alarmName} notifies SNS topic ${topic.name}, which has no subscription: nobody is told`
      : `alarm ${alarmName} notifies SNS topic ${topic.name}, whose subscriptions are all pending confirmation: nobody is told`,
  );
}

/** From an exact filter on: an alarm in the log group's account and Region on one of its metrics. */
function fromFilter(filter: MetricFilterFacts, group: LogGroupFacts, links: ChainLinks, inputs: ChainInputs): ChainOutcome {
  const at: ChainLinks = { ...links, filterName: filter.name, filterPattern: filter.pattern };
  if (inputs.alarms === undefined) {
    return unknownLink(at, { reason: 'error', message: 'The alarms collection is missing from the facts.' }, 'the metric alarms');
  }
  let best: ChainOutcome | undefined;
  let unreadable: UnknownDetail | undefined;
  for (const alarm of inputs.alarmsByPlace.get(`${group.accountId}|${group.region}`) ?? []) {
    if (isUnknown(alarm.metrics)) {
      unreadable ??= detailOf(alarm.metrics);
      continue;
    }
    if (alarm.metrics.some((metric) => filter.metrics.some((emitted) => sameMetric(metric, emitted)))) {
      best = better(best, fromAlarm(alarm, at, inputs));
    }
  }
  if (best !== undefined && best.kind !== 'broken') {
    return best;
  }
  const gap = unreadable ?? inputs.alarmGaps.get(`${group.accountId}|${group.region}`);
  if (gap !== undefined) {
    return better(best, unknownLink(at, gap, `the metric alarms of ${group.region}`));
  }
  if (best !== undefined) {
    return best;
  }
  const elsewhere = inputs.alarms.find(
    (alarm) => !isUnknown(alarm.metrics) && alarm.metrics.some((metric) => filter.metrics.some((emitted) => sameMetric(metric, emitted))),
  );
  const sameNameOtherNamespace = inputs.alarms.find(
    (alarm) =>
      alarm.region === group.region &&
      !isUnknown(alarm.metrics) &&
      alarm.metrics.some((metric) => filter.metrics.some((emitted) => metric.name === emitted.name && metric.namespace !== emitted.namespace)),
  );
  const hint =
    elsewhere !== undefined
      ? ` (alarm ${elsewhere.name} in ${elsewhere.region}, account ${elsewhere.accountId}, does, but an alarm sees only the metrics of its own account and Region)`
      : sameNameOtherNamespace !== undefined
        ? ` (alarm ${sameNameOtherNamespace.name} watches a metric of that name in another namespace)`
        : '';
  if (filter.metrics.length === 0) {
    return broken(at, 3, `metric filter ${filter.name} is exact, but it emits no metric an alarm could fire on (its metric value is 0 or less, or it adds dimensions)`);
  }
  return broken(at, 3, `metric filter ${filter.name} is exact, but no alarm in ${group.region} watches its metric ${metricText(filter.metrics)}${hint}`);
}

/** From the trail's log group on. */
function fromLogGroup(trail: TrailFacts, arn: string, region: string, links: ChainLinks, inputs: ChainInputs): ChainOutcome {
  const at: ChainLinks = { ...links, logGroupArn: arn };
  const group = inputs.logGroups?.get(arn);
  if (group === undefined) {
    const gap = inputs.logGroupGaps.get(region);
    return gap !== undefined
      ? unknownLink(at, gap, `log group ${arn} of trail ${trail.name}`)
      : unknownLink(at, { reason: 'error', message: `Log group ${arn} of trail ${trail.name} is not among the collected log groups.` }, `log group ${arn}`);
  }
  if (group.exists === false) {
    return broken(at, 2, `trail ${trail.name} sends to log group ${group.name}, which does not exist (deleted): no metric filter can see its events`);
  }
  if (isUnknown(group.exists)) {
    return unknownLink(at, detailOf(group.exists), `whether log group ${group.name} exists`);
  }
  const filters = group.metricFilters;
  if (filters === undefined) {
    return unknownLink(at, { reason: 'unsupported', message: `The metric filters of log group ${group.name} were not collected.` }, `the metric filters of log group ${group.name}`);
  }
  if (isUnknown(filters)) {
    return unknownLink(at, detailOf(filters), `the metric filters of log group ${group.name}`);
  }
  let best: ChainOutcome | undefined;
  let nearMiss: { readonly filter: MetricFilterFacts; readonly comparison: FilterComparison } | undefined;
  for (const filter of filters) {
    const comparison = inputs.compare(filter.pattern);
    if (comparison.verdict === 'exact') {
      best = better(best, fromFilter(filter, group, at, inputs));
    } else if (nearMiss === undefined || closer(comparison, nearMiss.comparison)) {
      nearMiss = { filter, comparison };
    }
  }
  if (best !== undefined) {
    return best;
  }
  if (nearMiss !== undefined) {
    return broken(
      { ...at, filterName: nearMiss.filter.name, filterPattern: nearMiss.filter.pattern },
      2,
      `log group ${group.name} has no metric filter with the prescribed pattern; the closest, ${nearMiss.filter.name}: ${nearMiss.comparison.message}`,
    );
  }
  return broken(at, 2, `log group ${group.name} of trail ${trail.name} has no metric filter${filters.length === 0 ? '' : ' with the prescribed pattern'}`);
}

const NEAR_MISS_RANK: Readonly<Record<FilterComparison['verdict'], number>> = { exact: 0, superset: 1, subset: 2, different: 3, unparseable: 4 };

/** How far a filter is from the prescribed pattern: terms missing plus terms extra (unparseable: infinitely far). */
function distance(comparison: FilterComparison): number {
  return comparison.verdict === 'unparseable' ? Number.POSITIVE_INFINITY : comparison.missing.length + comparison.extra.length;
}

/** The filter the explanation should name: the fewest differing terms, then the milder verdict. */
function closer(a: FilterComparison, b: FilterComparison): boolean {
  const [da, db] = [distance(a), distance(b)];
  return da !== db ? da < db : NEAR_MISS_RANK[a.verdict] < NEAR_MISS_RANK[b.verdict];
}

/**
 * The part of a trail's chain that no control or pattern set changes: whether the trail qualifies
 * and which log group it sends to. Computed once per trail (derive.ts), not once per control and
 * set: a scan that merges thousands of trails would otherwise repeat it sixty times each.
 */
export type ChainStart =
  | { readonly kind: 'done'; readonly outcome: ChainOutcome }
  | { readonly kind: 'logGroup'; readonly trail: TrailFacts; readonly arn: string; readonly region: string; readonly links: ChainLinks };

export function chainStart(trail: TrailFacts, inputs: Omit<ChainInputs, 'compare'>): ChainStart {
  const links: ChainLinks = { trailArn: trail.arn };
  const done = (outcome: ChainOutcome): ChainStart => ({ kind: 'done', outcome });
  const qualifies = qualification(trail);
  if (qualifies.ok === false) {
    return done(broken(links, 0, `${NO_QUALIFYING_TRAIL}: trail ${trail.name} ${qualifies.why}`));
  }
  if (qualifies.ok === 'unknown') {
    return done(unknownLink(links, qualifies.detail, `whether trail ${trail.name} is a multi-Region trail logging all management events`));
  }
  const configured = trail.cloudWatchLogsLogGroupArn;
  if (isUnknown(configured)) {
    return done(unknownLink(links, detailOf(configured), `the CloudWatch Logs log group of trail ${trail.name}`));
  }
  if (configured === null || configured === '') {
    return done(broken(links, 1, `${NO_QUALIFYING_TRAIL}: trail ${trail.name} qualifies but sends to no log group`));
  }
  if (inputs.ambiguousTrails.has(trail.arn)) {
    return done(
      unknownLink(
        links,
        { reason: 'error', message: `Trail ${trail.arn} is declared more than once (in several scanned files) with different log groups; give the trails distinct ids or scan the files separately.` },
        `the log group of trail ${trail.name}`,
      ),
    );
  }
  const group = logGroupOf(configured);
  const declared = inputs.logGroupsByTrail.get(trail.arn);
  if (group !== undefined && (declared === undefined || inputs.logGroups?.has(group.arn) === true)) {
    return { kind: 'logGroup', trail, arn: group.arn, region: group.region, links };
  }
  if (declared !== undefined) {
    return { kind: 'logGroup', trail, arn: declared.arn, region: declared.region, links };
  }
  return done(broken(links, 1, `${NO_QUALIFYING_TRAIL}: trail ${trail.name} names ${configured}, which is not a log group ARN`));
}

/** The rest of the chain, for one control and pattern set. */
export function continueChain(start: ChainStart, inputs: ChainInputs): ChainOutcome {
  return start.kind === 'done' ? start.outcome : fromLogGroup(start.trail, start.arn, start.region, start.links, inputs);
}
