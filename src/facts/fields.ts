/**
 * Catalogue of the fields of the facts model, so that the check loader can reject a fact path that
 * names no field (a typo would otherwise resolve to MISSING, which the engine must accept because
 * many facts are legitimately optional).
 *
 * The catalogue's type is derived from the model's interfaces: a field added to the model and not
 * here, or listed here and not in the model, or catalogued with the wrong shape (a list where the
 * model has an object…), is a compile error. Keeping it by hand is then only a matter of writing
 * what the compiler demands. Each kind catalogues its own items (src/facts/kinds/<subject>/
 * fields.ts, over the shared vocabulary of fieldSpec.ts); this file puts the fact set together.
 */
import type { AccountFacts, FactSet } from './model.js';
import { LEAF, LEAVES, PUBLIC_ACCESS_BLOCK, RESOURCE_REF, UNKNOWN_DETAIL, type FieldsOf, type ObjectSpec } from './fieldSpec.js';
import { BUCKET_FIELDS } from './kinds/buckets/fields.js';
import { EVENT_DATA_STORE_FIELDS } from './kinds/eventDataStores/fields.js';
import { KMS_KEY_FIELDS } from './kinds/kmsKeys/fields.js';
import { ALARM_FIELDS, LOG_GROUP_FIELDS, MONITORING_FIELDS, TOPIC_FIELDS } from './kinds/logMonitoring/fields.js';
import { SECURITY_HUB_FIELDS } from './kinds/securityHub/fields.js';
import { TRAIL_FIELDS } from './kinds/trails/fields.js';

export const ACCOUNT_FIELDS: FieldsOf<AccountFacts> = {
  ref: RESOURCE_REF,
  id: LEAF,
  partition: LEAF,
  principalArn: LEAF,
  regionSelection: LEAF,
  scope: LEAF,
  publicAccessBlock: PUBLIC_ACCESS_BLOCK,
  name: LEAF,
  organizationId: LEAF,
  unreachable: UNKNOWN_DETAIL,
};


/** The fact set root: what `$.` and a check's `given` start from. */
export const FACT_SET_FIELDS: FieldsOf<FactSet> = {
  schemaVersion: LEAF,
  source: LEAF,
  collectedAt: LEAF,
  collected: LEAVES,
  accounts: LEAVES,
  account: { fields: ACCOUNT_FIELDS },
  auditedAccounts: { list: { fields: ACCOUNT_FIELDS } },
  organization: {
    fields: {
      id: LEAF,
      managementAccountId: LEAF,
      callerAccountId: LEAF,
      callerArn: LEAF,
      roleName: LEAF,
      accountsInScope: LEAVES,
      regionsRequested: LEAVES,
      wholeOrganization: LEAF,
      skipped: { list: { fields: { accountId: LEAF, name: LEAF, reason: LEAF, message: LEAF } } },
      shard: { fields: { index: LEAF, count: LEAF } },
      shards: { list: { fields: { index: LEAF, count: LEAF } } },
    },
  },
  regions: { list: { fields: { ref: RESOURCE_REF, name: LEAF } } },
  trails: { list: { fields: TRAIL_FIELDS } },
  buckets: { list: { fields: BUCKET_FIELDS } },
  eventDataStores: { list: { fields: EVENT_DATA_STORE_FIELDS } },
  logGroups: { list: { fields: LOG_GROUP_FIELDS } },
  alarms: { list: { fields: ALARM_FIELDS } },
  topics: { list: { fields: TOPIC_FIELDS } },
  kmsKeys: { list: { fields: KMS_KEY_FIELDS } },
  securityHubs: { list: { fields: SECURITY_HUB_FIELDS } },
  monitoring: { list: { fields: MONITORING_FIELDS } },
  stats: { fields: { apiCalls: { record: LEAF }, durationMs: LEAF } },
};

export const FACT_SET: ObjectSpec = { fields: FACT_SET_FIELDS };
