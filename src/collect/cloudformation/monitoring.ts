/**
 * The monitoring and KMS collections of one template (`logGroups`, `alarms`, `topics`,
 * `kmsKeys`), each written exactly when the template's source claims one of its kinds (an
 * optional collection present means "collected": empty is "none declared").
 *
 * Joins (how the derived facts find a trail's log group and key in IaC): every item lists the
 * trails it serves in `trailArns` (a trail's `arn` is its logical id), a key also lists the
 * trail's own `kmsKeyId` text in `configuredAs`, and an alarm action equals the `arn` of the
 * topic item it notifies. Nothing parses an IaC identifier as an ARN.
 */
import type { EventDataStoreFacts, FactNeed, FactSet, TrailFacts } from '../../facts/model.js';
import { KMS_KEYS_COLLECTION } from '../../facts/kinds/kmsKeys/kinds.js';
import { ALARMS_COLLECTION, LOG_GROUPS_COLLECTION, TOPICS_COLLECTION } from '../../facts/kinds/logMonitoring/kinds.js';
import { FACT_KINDS } from '../../facts/kinds/index.js';
import { collectLogGroups, trailProperties } from '../../facts/kinds/logMonitoring/cloudformation.js';
import { collectAlarmsAndTopics } from '../../facts/kinds/logMonitoring/cloudformationAlarms.js';
import type { KeyUser } from '../../facts/kinds/kmsKeys/cloudformation.js';
import { collectKmsKeys } from '../../facts/kinds/kmsKeys/cloudformation.js';
import { EVENT_DATA_STORE_TYPE } from '../../facts/kinds/eventDataStores/cloudformation.js';
import type { FactCollection } from '../../facts/kinds/types.js';
import { entryOf } from './template.js';
import type { ResourceInfo, TemplateIndex } from './templateIndex.js';
import { locationOf, resourcesOfType } from './templateIndex.js';

type MonitoringCollections = Pick<FactSet, 'logGroups' | 'alarms' | 'topics' | 'kmsKeys'>;

interface Declared {
  readonly trailResources: readonly ResourceInfo[];
  /** The trails' facts, in the order of `trailResources`. */
  readonly trails: readonly TrailFacts[];
  readonly eventDataStores: readonly EventDataStoreFacts[];
}

function claims(collected: readonly FactNeed[], collection: FactCollection): boolean {
  return FACT_KINDS.some((kind) => kind.collection === collection && collected.includes(kind.need));
}

function keyUsers(index: TemplateIndex, declared: Declared): KeyUser[] {
  const trailUsers = trailProperties(index, declared.trailResources, 'KMSKeyId', (resource) => resource.logicalId).map((property, position): KeyUser => {
    const configured = declared.trails[position]?.kmsKeyId;
    return { arn: property.trailArn, kind: 'trail', node: property.node, configuredAs: typeof configured === 'string' ? configured : undefined, location: property.location };
  });
  const stores = resourcesOfType(index, EVENT_DATA_STORE_TYPE);
  const storeUsers = stores.map((resource, position): KeyUser => {
    const entry = entryOf(resource.properties, 'KmsKeyId');
    const configured = declared.eventDataStores[position]?.kmsKeyId;
    return {
      arn: resource.logicalId,
      kind: 'eventDataStore',
      node: entry?.value,
      configuredAs: typeof configured === 'string' ? configured : undefined,
      location: locationOf(index, entry?.keyPosition ?? resource.position),
    };
  });
  return [...trailUsers, ...storeUsers];
}

export function monitoringCollections(index: TemplateIndex, collected: readonly FactNeed[], declared: Declared): MonitoringCollections {
  const result: { -readonly [K in keyof MonitoringCollections]: MonitoringCollections[K] } = {};
  if (claims(collected, LOG_GROUPS_COLLECTION.name)) {
    result.logGroups = collectLogGroups(index, trailProperties(index, declared.trailResources, 'CloudWatchLogsLogGroupArn', (resource) => resource.logicalId));
  }
  if (claims(collected, ALARMS_COLLECTION.name) || claims(collected, TOPICS_COLLECTION.name)) {
    const { alarms, topics } = collectAlarmsAndTopics(index);
    if (claims(collected, ALARMS_COLLECTION.name)) {
      result.alarms = alarms;
    }
    if (claims(collected, TOPICS_COLLECTION.name)) {
      result.topics = topics;
    }
  }
  if (claims(collected, KMS_KEYS_COLLECTION.name)) {
    result.kmsKeys = collectKmsKeys(index, keyUsers(index, declared));
  }
  return result;
}
