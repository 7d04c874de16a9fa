/** The event data store items' fields, for the field catalogue (facts/fields.ts); checked against the model by the compiler. */
import type { EventDataStoreFacts, EventDataStoreGap } from '../../model.js';
import { LEAF, LEAVES, LOCATIONS, RESOURCE_REF, UNKNOWN_DETAIL, type FieldsOf } from '../../fieldSpec.js';

export const EVENT_DATA_STORE_FIELDS: FieldsOf<EventDataStoreFacts | EventDataStoreGap> = {
  ref: RESOURCE_REF,
  $gap: UNKNOWN_DETAIL,
  locations: LOCATIONS,
  arn: LEAF,
  name: LEAF,
  region: LEAF,
  status: LEAF,
  kmsKeyId: LEAF,
  multiRegionEnabled: LEAF,
  organizationEnabled: LEAF,
  kmsKeyIdentifiers: LEAVES,
};
