/**
 * The trail fact kinds: the trails themselves (listed per Region) and what is read per trail
 * (status, event selectors, tags). All four live in `$.trails`.
 */
import { EVERY_SOURCE, type CollectionSpec, type FactKind } from '../types.js';

export const TRAILS_COLLECTION: CollectionSpec = { name: 'trails', itemDefinition: 'trail', gapDefinition: 'trailGap', caseTableGaps: 'trailGaps' };

export const TRAIL_KINDS: readonly FactKind[] = [
  {
    need: 'trails',
    live: async () => (await import('./livePlan.js')).TRAILS_STAGE,
    collection: 'trails',
    dependsOn: [],
    operations: { 'cloudtrail:DescribeTrails': 'DescribeTrails' },
    sources: EVERY_SOURCE,
    requiredFacts: [],
  },
  {
    need: 'trailStatus',
    live: async () => (await import('./livePlan.js')).TRAIL_STATUS_STAGE,
    collection: 'trails',
    dependsOn: ['trails'],
    operations: { 'cloudtrail:GetTrailStatus': 'GetTrailStatus' },
    sources: EVERY_SOURCE,
    requiredFacts: ['isLogging'],
  },
  {
    need: 'eventSelectors',
    live: async () => (await import('./livePlan.js')).EVENT_SELECTORS_STAGE,
    collection: 'trails',
    dependsOn: ['trails'],
    operations: { 'cloudtrail:GetEventSelectors': 'GetEventSelectors' },
    sources: EVERY_SOURCE,
    requiredFacts: ['eventSelectors'],
  },
  {
    need: 'trailTags',
    live: async () => (await import('./livePlan.js')).TRAIL_TAGS_STAGE,
    collection: 'trails',
    dependsOn: ['trails'],
    operations: { 'cloudtrail:ListTags': 'ListTags' },
    sources: EVERY_SOURCE,
    requiredFacts: ['tags'],
  },
];
