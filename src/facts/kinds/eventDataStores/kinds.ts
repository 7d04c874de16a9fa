/** CloudTrail Lake event data stores (`$.eventDataStores`), listed and read per Region. */
import { EVERY_SOURCE, type CollectionSpec, type FactKind } from '../types.js';

export const EVENT_DATA_STORES_COLLECTION: CollectionSpec = { name: 'eventDataStores', itemDefinition: 'eventDataStore', gapDefinition: 'eventDataStoreGap', caseTableGaps: 'eventDataStoreGaps' };

export const EVENT_DATA_STORE_KINDS: readonly FactKind[] = [
  {
    need: 'eventDataStores',
    live: async () => (await import('./livePlan.js')).EVENT_DATA_STORES_STAGE,
    collection: 'eventDataStores',
    dependsOn: [],
    operations: { 'cloudtrail:ListEventDataStores': 'ListEventDataStores', 'cloudtrail:GetEventDataStore': 'GetEventDataStore' },
    sources: EVERY_SOURCE,
    requiredFacts: [],
  },
];
