/**
 * The KMS key fact kinds (TrailHealth.3/4, and the keys of event data stores): each key a trail
 * names, once however many trails share it, read in its own Region (CONTROLS.md §3.3).
 */
import { EVERY_SOURCE, type CollectionSpec, type FactKind } from '../types.js';

/** One stage reads all three kinds: each key is described once, its policy and rotation once per key ARN. */
const liveKeys = async () => (await import('./livePlan.js')).KMS_KEYS_STAGE;

export const KMS_KEYS_COLLECTION: CollectionSpec = { name: 'kmsKeys', itemDefinition: 'kmsKey', gapDefinition: 'regionGap', optional: true };

export const KMS_KEY_KINDS: readonly FactKind[] = [
  {
    need: 'kmsKeys',
    live: liveKeys,
    collection: 'kmsKeys',
    dependsOn: ['trails'],
    operations: { 'kms:DescribeKey': 'DescribeKey' },
    sources: EVERY_SOURCE,
    requiredFacts: ['exists', 'keyState'],
  },
  {
    need: 'kmsKeyPolicies',
    live: liveKeys,
    collection: 'kmsKeys',
    dependsOn: ['kmsKeys'],
    operations: { 'kms:GetKeyPolicy': 'GetKeyPolicy' },
    sources: EVERY_SOURCE,
    requiredFacts: ['policy'],
  },
  {
    need: 'kmsKeyRotation',
    live: liveKeys,
    collection: 'kmsKeys',
    dependsOn: ['kmsKeys'],
    operations: { 'kms:GetKeyRotationStatus': 'GetKeyRotationStatus' },
    sources: EVERY_SOURCE,
    requiredFacts: ['rotationEnabled'],
  },
  {
    // The keys of Lake event data stores, with every name they answer to (CloudTrail.10's
    // kmsKeyArns may list a key ARN or an alias ARN): DescribeKey, then ListAliases per key.
    need: 'eventDataStoreKeys',
    live: liveKeys,
    collection: 'kmsKeys',
    dependsOn: ['eventDataStores'],
    operations: { 'kms:DescribeKey': 'DescribeKey', 'kms:ListAliases': 'ListAliases' },
    sources: EVERY_SOURCE,
    requiredFacts: ['exists'],
  },
];
