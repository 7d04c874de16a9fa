/** Security Hub's state in each audited Region (CIS 4.16): DescribeHub once per account and Region. */
import type { CollectionSpec, FactKind } from '../types.js';

export const SECURITY_HUBS_COLLECTION: CollectionSpec = { name: 'securityHubs', itemDefinition: 'securityHub', gapDefinition: 'regionGap', optional: true };

export const SECURITY_HUB_KINDS: readonly FactKind[] = [
  {
    need: 'securityHub',
    live: async () => (await import('./livePlan.js')).SECURITY_HUB_STAGE,
    collection: 'securityHubs',
    dependsOn: [],
    operations: { 'securityhub:DescribeHub': 'DescribeHub' },
    sources: ['live'],
    requiredFacts: ['enabled'],
  },
];
