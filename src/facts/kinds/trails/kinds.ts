/**
 * The trail fact kinds: the trails themselves (listed per Region) and what is read per trail
 * (status, event selectors, tags). All four live in `$.trails`.
 */
import type { CollectionSpec, FactKind } from '../types.js';

const EVERY_SOURCE = ['live', 'cloudformation', 'terraform'] as const;

export const TRAILS_COLLECTION: CollectionSpec = { name: 'trails', itemDefinition: 'trail' };

export const TRAIL_KINDS: readonly FactKind[] = [
  {
    need: 'trails',
    collection: 'trails',
    dependsOn: [],
    operations: { 'cloudtrail:DescribeTrails': 'DescribeTrails' },
    sources: EVERY_SOURCE,
    requiredFacts: [],
  },
  {
    need: 'trailStatus',
    collection: 'trails',
    dependsOn: ['trails'],
    operations: { 'cloudtrail:GetTrailStatus': 'GetTrailStatus' },
    sources: EVERY_SOURCE,
    requiredFacts: ['isLogging'],
  },
  {
    need: 'eventSelectors',
    collection: 'trails',
    dependsOn: ['trails'],
    operations: { 'cloudtrail:GetEventSelectors': 'GetEventSelectors' },
    sources: EVERY_SOURCE,
    requiredFacts: ['eventSelectors'],
  },
  {
    need: 'trailTags',
    collection: 'trails',
    dependsOn: ['trails'],
    operations: { 'cloudtrail:ListTags': 'ListTags' },
    sources: EVERY_SOURCE,
    requiredFacts: ['tags'],
  },
];
