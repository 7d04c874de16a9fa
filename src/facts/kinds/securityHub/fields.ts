/** The Security Hub items' fields, for the field catalogue (facts/fields.ts); checked against the model by the compiler. */
import type { SecurityHubFacts } from '../../model.js';
import { LEAF, LOCATIONS, RESOURCE_REF, type FieldsOf } from '../../fieldSpec.js';

export const SECURITY_HUB_FIELDS: FieldsOf<SecurityHubFacts> = {
  ref: RESOURCE_REF,
  locations: LOCATIONS,
  region: LEAF,
  accountId: LEAF,
  enabled: LEAF,
  hubArn: LEAF,
  subscribedAt: LEAF,
};
