/** The KMS key items' fields, for the field catalogue (facts/fields.ts); checked against the model by the compiler. */
import type { KmsKeyFacts, KmsKeyGap, TrailKeyView } from '../../model.js';
import { LEAF, LEAVES, LOCATIONS, RESOURCE_REF, UNKNOWN_DETAIL, type FieldsOf } from '../../fieldSpec.js';

export const KMS_KEY_FIELDS: FieldsOf<KmsKeyFacts | KmsKeyGap> = {
  ref: RESOURCE_REF,
  $gap: UNKNOWN_DETAIL,
  locations: LOCATIONS,
  arn: LEAF,
  region: LEAF,
  accountId: LEAF,
  configuredAs: LEAVES,
  trailArns: LEAVES,
  eventDataStoreArns: LEAVES,
  exists: LEAF,
  keyState: LEAF,
  keyManager: LEAF,
  keySpec: LEAF,
  aliases: LEAVES,
  // The policy is kept as its JSON text, so a path cannot walk into it.
  policy: LEAF,
  rotationEnabled: LEAF,
};

/** A trail's view of its key (`$.trails[].kmsKey`). */
export const TRAIL_KEY_VIEW_FIELDS: FieldsOf<TrailKeyView> = {
  arn: LEAF,
  exists: LEAF,
  keyState: LEAF,
  keyManager: LEAF,
  rotationEnabled: LEAF,
  cloudTrailCanUse: LEAF,
  policyExplanation: LEAF,
};
