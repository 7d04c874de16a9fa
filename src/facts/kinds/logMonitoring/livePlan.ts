/**
 * The log-monitoring kinds' stages of the live collection plan (collect/live/plan.ts), each call
 * once per resource, in the resource's Region, started the moment its inputs are known:
 *
 * - `logGroups` + `metricFilters` (one stage, one item per log group however many trails share
 *   it): DescribeLogGroups for each log group a trail of an audited account names, as the trail is
 *   listed; DescribeMetricFilters only for the log groups of trails that are (or may be)
 *   multi-Region, the only ones that can satisfy CloudWatch.1–14 (CONTROLS §2.2 step 1).
 * - `metricAlarms`: DescribeAlarms once per Region holding such a log group, started by the first
 *   trail that puts one there.
 * - `alarmTopics`: ListSubscriptionsByTopic once per SNS topic an alarm on a filter's metric
 *   notifies, as soon as both that Region's filters and alarms are in.
 *
 * Another account's log group (an organization trail seen from a member) is not called: its facts
 * are Unknown(cross_account) naming the owner, as Security Hub reports NO_DATA there.
 */
import { isUnknown, unknown, type AlarmGap, type LogGroupFacts, type LogGroupGap, type MetricAlarmFacts, type MetricFilterFacts, type MetricId, type Maybe, type TopicFacts, type Unknown } from '../../model.js';
import { ItemStream, stageKey, type AccountScope, type Contribution, type LiveStage, type StageOutput } from '../../../collect/live/plan.js';
import type { Outcome } from '../../../collect/live/scheduler.js';
import { compare, type TrailSighting } from '../trails/live.js';
import { TRAIL_LISTING } from '../trails/livePlan.js';
import { alarmGap, logGroupGap } from './liveGaps.js';
import { listMetricAlarms } from './liveAlarms.js';
import { logGroupExists, metricFiltersOf } from './liveLogGroups.js';
import { describeTopic, topicOf } from './liveTopics.js';
import { logGroupOf, type LogGroupIdentity } from './logGroupArn.js';

/** A trail's log group, and whether this audit may read it. */
interface TrailLogGroup {
  readonly group: LogGroupIdentity;
  /** undefined when the group is read here; else the account whose credentials it takes. */
  readonly foreignAccount: string | undefined;
  /** The trail is, or may be, multi-Region: the group's filters can count for CloudWatch.1–14. */
  readonly monitored: boolean;
}

function trailLogGroup(sighting: TrailSighting, scope: AccountScope): TrailLogGroup | undefined {
  const raw = sighting.trail.CloudWatchLogsLogGroupArn;
  const group = raw === undefined ? undefined : logGroupOf(raw);
  if (group === undefined) {
    return undefined;
  }
  // A trail delivers to a log group of its own account; a group ARN naming another account than
  // the trail's owner only occurs in a bad snapshot, and is not read either.
  // Read only by the account that owns both (an organization trail's group once, in its owner).
  const foreignAccount = group.accountId !== scope.accountId ? group.accountId : sighting.ownerAccountId !== scope.accountId ? sighting.ownerAccountId : undefined;
  return { group, foreignAccount, monitored: sighting.trail.IsMultiRegionTrail !== false };
}

/* ------------------------------------------------------------------ log groups and their filters */

/** A read log group's filters: the metrics they emit, in the group's Region. */
export interface FilterMetrics {
  readonly region: string;
  readonly metrics: readonly MetricId[];
}

export interface LogGroupReads extends StageOutput {
  /** Each log group's metrics once its filters are read (closed when every filter read is done). */
  readonly filterMetrics: ItemStream<FilterMetrics>;
}

export const LOG_GROUP_READS = stageKey<LogGroupReads>('logGroups');

interface GroupState {
  readonly group: LogGroupIdentity;
  readonly foreignAccount: string | undefined;
  readonly trailArns: string[];
  exists?: Promise<Maybe<boolean>>;
  filters?: Promise<Maybe<readonly MetricFilterFacts[]>>;
}

export const LOG_GROUPS_STAGE: LiveStage<LogGroupReads> = {
  key: LOG_GROUP_READS,
  dependsOn: [TRAIL_LISTING],
  start(context, input) {
    const { clients, scheduler, needs } = context;
    const listing = input(TRAIL_LISTING);
    const readExists = needs.has('logGroups');
    const readFilters = needs.has('metricFilters');
    const filterMetrics = new ItemStream<FilterMetrics>();
    const groups = new Map<string, GroupState>();
    listing.sightings.each((sighting) => {
      const found = trailLogGroup(sighting, listing.scope());
      if (found === undefined) {
        return;
      }
      const { group, foreignAccount } = found;
      let state = groups.get(group.arn);
      if (state === undefined) {
        state = { group, foreignAccount, trailArns: [] };
        groups.set(group.arn, state);
        if (foreignAccount === undefined && readExists) {
          state.exists = logGroupExists(clients, scheduler, group);
        }
      }
      state.trailArns.push(sighting.arn);
      if (state.foreignAccount === undefined && readFilters && found.monitored && state.filters === undefined) {
        const exists = state.exists;
        state.filters = Promise.all([metricFiltersOf(clients, scheduler, group), exists]).then(([read, present]) => {
          // AWS deletes a group's filters with it (moto keeps them, MOTO_GAPS): a group known to be gone has none.
          const filters = present === false ? [] : read;
          if (!isUnknown(filters)) {
            filterMetrics.push({ region: group.region, metrics: filters.flatMap((filter) => filter.metrics) });
          }
          return filters;
        });
      }
    });
    const contribution = (async (): Promise<Contribution> => {
      try {
        // Every read is started by a sighting and never rejects: once they are in, nothing more is pushed.
        await listing.sightings.done;
        const states = [...groups.values()];
        await Promise.all(states.map(async (state) => Promise.all([state.exists, state.filters])));
        filterMetrics.close();
        const listed = await listing.result;
        if (listed === null) {
          return {};
        }
        const items: (LogGroupFacts | LogGroupGap)[] = [];
        for (const state of states.sort((a, b) => compare(a.group.arn, b.group.arn))) {
          items.push(await logGroupFacts(state, readExists, readFilters));
        }
        // Trails homed in a Region that could not be listed name log groups nobody has seen.
        for (const { region, error } of listed.failures) {
          items.push(logGroupGap(region, error, listed.scope.accountId, listed.scope.partition));
        }
        return { items: { collection: 'logGroups', items } };
      } finally {
        // Whatever happened, the topics stage must not wait forever.
        filterMetrics.close();
      }
    })();
    return { filterMetrics, contribution };
  },
};

async function logGroupFacts(state: GroupState, readExists: boolean, readFilters: boolean): Promise<LogGroupFacts> {
  const { group, foreignAccount } = state;
  const notRead = (operation: string): Unknown =>
    unknown(
      'cross_account',
      `Log group ${group.name} belongs to account ${foreignAccount ?? group.accountId} (its trail's owner); it is read, and monitoring checks apply, in that account.`,
      { operation, region: group.region, account: foreignAccount ?? group.accountId },
    );
  const filters = async (): Promise<Maybe<readonly MetricFilterFacts[]>> =>
    foreignAccount !== undefined
      ? notRead('logs:DescribeMetricFilters')
      : (state.filters ??
        // Stands as Unknown, not [], so that a custom check reading it without that gate gets UNKNOWN.
        unknown(
          'unsupported',
          'Not read: only single-Region trails deliver to this log group (metric filters only count for CloudWatch.1–14 on a multi-Region trail).',
          { region: group.region },
        ));
  return {
    ref: { type: 'AWS::Logs::LogGroup', id: group.arn, name: group.name, accountId: group.accountId, region: group.region },
    arn: group.arn,
    name: group.name,
    region: group.region,
    accountId: group.accountId,
    trailArns: [...state.trailArns].sort(compare),
    ...(readExists ? { exists: foreignAccount !== undefined ? notRead('logs:DescribeLogGroups') : await (state.exists ?? unknown('error', `internal: log group ${group.arn} was not looked up.`)) } : {}),
    ...(readFilters ? { metricFilters: await filters() } : {}),
  };
}

/* ------------------------------------------------------------------ alarms */

export interface RegionAlarms {
  readonly region: string;
  readonly alarms: readonly MetricAlarmFacts[];
}

export interface AlarmListing extends StageOutput {
  /** Each Region's metric alarms once listed (closed when every listing is done). */
  readonly byRegion: ItemStream<RegionAlarms>;
}

export const ALARM_LISTING = stageKey<AlarmListing>('metricAlarms');

export const ALARMS_STAGE: LiveStage<AlarmListing> = {
  key: ALARM_LISTING,
  dependsOn: [TRAIL_LISTING],
  start(context, input) {
    const { clients, scheduler } = context;
    const listing = input(TRAIL_LISTING);
    const byRegion = new ItemStream<RegionAlarms>();
    const listings = new Map<string, Promise<Outcome<readonly MetricAlarmFacts[]>>>();
    listing.sightings.each((sighting) => {
      const scope = listing.scope();
      const found = trailLogGroup(sighting, scope);
      if (found === undefined || found.foreignAccount !== undefined || !found.monitored || listings.has(found.group.region)) {
        return;
      }
      const { region } = found.group;
      listings.set(
        region,
        listMetricAlarms(clients, scheduler, region, scope.accountId).then((outcome) => {
          if (outcome.ok) {
            byRegion.push({ region, alarms: outcome.value });
          }
          return outcome;
        }),
      );
    });
    const contribution = (async (): Promise<Contribution> => {
      try {
        await listing.sightings.done;
        await Promise.all(listings.values());
        byRegion.close();
        const listed = await listing.result;
        if (listed === null) {
          return {};
        }
        const items: (MetricAlarmFacts | AlarmGap)[] = [];
        for (const [region, task] of [...listings.entries()].sort(([a], [b]) => compare(a, b))) {
          const outcome = await task;
          items.push(...(outcome.ok ? [...outcome.value].sort((a, b) => compare(a.arn, b.arn)) : [alarmGap(region, outcome.error, listed.scope.accountId, listed.scope.partition)]));
        }
        return { items: { collection: 'alarms', items } };
      } finally {
        byRegion.close();
      }
    })();
    return { byRegion, contribution };
  },
};

/* ------------------------------------------------------------------ topics */

function watchesAny(alarm: MetricAlarmFacts, metrics: readonly MetricId[]): boolean {
  return !isUnknown(alarm.metrics) && alarm.metrics.some((watched) => metrics.some((m) => m.name === watched.name && m.namespace === watched.namespace));
}

export const ALARM_TOPICS_STAGE: LiveStage = {
  key: stageKey('alarmTopics'),
  dependsOn: [TRAIL_LISTING, LOG_GROUP_READS, ALARM_LISTING],
  start(context, input) {
    const { clients, scheduler } = context;
    const listing = input(TRAIL_LISTING);
    const filters = input(LOG_GROUP_READS).filterMetrics;
    const alarms = input(ALARM_LISTING).byRegion;
    const metricsByRegion = new Map<string, MetricId[]>();
    const alarmsByRegion = new Map<string, readonly MetricAlarmFacts[]>();
    const topics = new Map<string, Promise<TopicFacts>>();
    const notify = (alarm: MetricAlarmFacts): void => {
      for (const action of isUnknown(alarm.alarmActions) ? [] : alarm.alarmActions) {
        const topic = topicOf(action);
        if (topic !== undefined && !topics.has(topic.arn)) {
          topics.set(topic.arn, describeTopic(clients, scheduler, topic, new Set([listing.scope().accountId])));
        }
      }
    };
    // Metrics are regional: an alarm watches the filters' metrics of its own Region only.
    filters.each(({ region, metrics }) => {
      metricsByRegion.set(region, [...(metricsByRegion.get(region) ?? []), ...metrics]);
      (alarmsByRegion.get(region) ?? []).filter((alarm) => watchesAny(alarm, metrics)).forEach(notify);
    });
    alarms.each(({ region, alarms: found }) => {
      alarmsByRegion.set(region, found);
      found.filter((alarm) => watchesAny(alarm, metricsByRegion.get(region) ?? [])).forEach(notify);
    });
    const contribution = (async (): Promise<Contribution> => {
      await Promise.all([filters.done, alarms.done]);
      const items = await Promise.all(topics.values());
      return { items: { collection: 'topics', items: items.sort((a, b) => compare(a.arn, b.arn)) } };
    })();
    return { contribution };
  },
};
