/**
 * The KMS key fact kinds (TrailHealth.3/4, and the keys of event data stores): each key a trail
 * names, once however many trails share it, read in its own Region (CONTROLS.md §3.3).
 */
import type { CollectionSpec, FactKind } from '../types.js';

export const KMS_KEYS_COLLECTION: CollectionSpec = { name: 'kmsKeys', itemDefinition: 'kmsKey', gapDefinition: 'regionGap', optional: true };

export const KMS_KEY_KINDS: readonly FactKind[] = [
  {
    need: 'kmsKeys',
    collection: 'kmsKeys',
    dependsOn: ['trails'],
    operations: { 'kms:DescribeKey': 'DescribeKey' },
    sources: ['cloudformation', 'terraform'],
    requiredFacts: ['exists', 'keyState'],
  },
  {
    need: 'kmsKeyPolicies',
    collection: 'kmsKeys',
    dependsOn: ['kmsKeys'],
    operations: { 'kms:GetKeyPolicy': 'GetKeyPolicy' },
    sources: ['cloudformation', 'terraform'],
    requiredFacts: ['policy'],
  },
  {
    need: 'kmsKeyRotation',
    collection: 'kmsKeys',
    dependsOn: ['kmsKeys'],
    operations: { 'kms:GetKeyRotationStatus': 'GetKeyRotationStatus' },
    sources: ['cloudformation', 'terraform'],
    requiredFacts: ['rotationEnabled'],
  },
];
