/**
 * The monitoring and KMS collections of one plan (`logGroups`, `alarms`, `topics`, `kmsKeys`),
 * each written exactly when the plan's source claims one of its kinds (present = collected).
 * Joins as for templates (collect/cloudformation/monitoring.ts): `trailArns` on log groups and
 * keys, the trail's `kmsKeyId` in a key's `configuredAs`, alarm actions equal to topic `arn`s.
 */
import type { EventDataStoreFacts, FactNeed, FactSet, TrailFacts } from '../../facts/model.js';
import { FACT_KINDS } from '../../facts/kinds/index.js';
import type { FactCollection } from '../../facts/kinds/types.js';
import { kmsKeyFacts, type PlannedKeyUser } from '../../facts/kinds/kmsKeys/terraform.js';
import { logGroupFacts } from '../../facts/kinds/logMonitoring/terraform.js';
import { alarmAndTopicFacts } from '../../facts/kinds/logMonitoring/terraformAlarms.js';
import type { PlanContext } from './context.js';
import type { PlannedResource } from './plan.js';

type MonitoringCollections = Pick<FactSet, 'logGroups' | 'alarms' | 'topics' | 'kmsKeys'>;

interface Planned<T> {
  readonly resource: PlannedResource;
  readonly facts: T;
}

function claims(collected: readonly FactNeed[], collection: FactCollection): boolean {
  return FACT_KINDS.some((kind) => kind.collection === collection && collected.includes(kind.need));
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function planMonitoringCollections(
  context: PlanContext,
  collected: readonly FactNeed[],
  trails: readonly Planned<TrailFacts>[],
  eventDataStores: readonly Planned<EventDataStoreFacts>[],
): MonitoringCollections {
  const result: { -readonly [K in keyof MonitoringCollections]: MonitoringCollections[K] } = {};
  if (claims(collected, 'logGroups')) {
    result.logGroups = logGroupFacts(context, trails.map(({ resource, facts }) => ({ resource, arn: facts.arn })));
  }
  if (claims(collected, 'alarms') || claims(collected, 'topics')) {
    const { alarms, topics } = alarmAndTopicFacts(context);
    if (claims(collected, 'alarms')) {
      result.alarms = alarms;
    }
    if (claims(collected, 'topics')) {
      result.topics = topics;
    }
  }
  if (claims(collected, 'kmsKeys')) {
    const users: PlannedKeyUser[] = [
      ...trails.map(({ resource, facts }): PlannedKeyUser => ({ resource, arn: facts.arn, kind: 'trail', configuredAs: isString(facts.kmsKeyId) ? facts.kmsKeyId : null })),
      ...eventDataStores.map(({ resource, facts }): PlannedKeyUser => ({ resource, arn: facts.arn, kind: 'eventDataStore', configuredAs: isString(facts.kmsKeyId) ? facts.kmsKeyId : null })),
    ];
    result.kmsKeys = kmsKeyFacts(context, users);
  }
  return result;
}
