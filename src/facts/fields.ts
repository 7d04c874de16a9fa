/**
 * Catalogue of the fields of the facts model, so that the check loader can reject a fact path that
 * names no field (a typo would otherwise resolve to MISSING, which the engine must accept because
 * many facts are legitimately optional).
 *
 * The catalogue's type is derived from the model's interfaces: a field added to the model and not
 * here, or listed here and not in the model, or catalogued with the wrong shape (a list where the
 * model has an object…), is a compile error. Keeping it by hand is then only a matter of writing
 * what the compiler demands.
 */
import type {
  AccountFacts,
  BucketFacts,
  BucketGap,
  EventDataStoreFacts,
  EventDataStoreGap,
  FactLocations,
  FactSet,
  PublicAccessBlock,
  ResourceRef,
  SourceLocation,
  TrailFacts,
  TrailGap,
  Unknown,
  UnknownDetail,
} from './model.js';

/** A value with no fields to walk into (string, number, boolean). */
export type LeafSpec = 'leaf';
/** An array; a path may index it (`0`) or read its `length`, as the engine's path resolver does. */
export interface ListSpec {
  readonly list: FieldSpec;
}
/** A free-form record (tags, fact locations): any key, each value of one shape. */
export interface RecordSpec {
  readonly record: FieldSpec;
}
/** An object with a closed set of fields. */
export interface ObjectSpec {
  readonly fields: Readonly<Record<string, FieldSpec>>;
}
export type FieldSpec = LeafSpec | ListSpec | RecordSpec | ObjectSpec;

/* ------------------------------------------------------------------ derivation from the model */

/** What a path can walk into: an unread fact (Unknown), null and absence have no fields. */
type Present<V> = Exclude<V, Unknown | null | undefined>;

/**
 * Declared keys of an object type, without its index signature. Distributive, so the keys of a
 * union are those of every member: a collection of `TrailFacts | TrailGap` accepts both.
 */
type KnownKeys<T> = T extends unknown
  ? keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: unknown }
  : never;

/** Type of field `K` in whichever members of union `T` declare it. */
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends KnownKeys<T> ? T[K & keyof T] : never) : never;

/**
 * The spec a value of type `V` must be catalogued with. A type with only an index signature is a
 * free-form record; a gap (`TrailGap`…) has declared keys besides its index signature, which only
 * stands for "every other field is Unknown", so it is catalogued by its declared keys.
 */
export type SpecOf<V> = [Present<V>] extends [string | number | boolean]
  ? LeafSpec
  : [Present<V>] extends [readonly (infer E)[]]
    ? { readonly list: SpecOf<E> }
    : [KnownKeys<Present<V>>] extends [never]
      ? { readonly record: SpecOf<Present<V>[keyof Present<V>]> }
      : { readonly fields: FieldsOf<Present<V>> };

/** Exactly the fields of `T` (of every member of a union), each with the spec of its type. */
export type FieldsOf<T> = { readonly [K in KnownKeys<T>]-?: SpecOf<ValueAt<T, K>> };

/* ------------------------------------------------------------------ the catalogue */

const LEAF: LeafSpec = 'leaf';
/** A list of strings (region names, tag keys, ARNs…). */
const LEAVES: SpecOf<readonly string[]> = { list: LEAF };

const SOURCE_LOCATION: SpecOf<SourceLocation> = { fields: { file: LEAF, line: LEAF, column: LEAF } };
/** Fact path → position of the property that sets it (IaC); keys are fact paths, so open. */
const LOCATIONS: SpecOf<FactLocations> = { record: SOURCE_LOCATION };

export const RESOURCE_REF_FIELDS: FieldsOf<ResourceRef> = {
  type: LEAF,
  id: LEAF,
  name: LEAF,
  accountId: LEAF,
  region: LEAF,
  location: SOURCE_LOCATION,
};
const RESOURCE_REF: SpecOf<ResourceRef> = { fields: RESOURCE_REF_FIELDS };

const UNKNOWN_DETAIL: SpecOf<UnknownDetail> = { fields: { reason: LEAF, message: LEAF, operation: LEAF, region: LEAF, account: LEAF } };

const PUBLIC_ACCESS_BLOCK: SpecOf<PublicAccessBlock> = {
  fields: { blockPublicAcls: LEAF, ignorePublicAcls: LEAF, blockPublicPolicy: LEAF, restrictPublicBuckets: LEAF },
};

export const ACCOUNT_FIELDS: FieldsOf<AccountFacts> = {
  ref: RESOURCE_REF,
  id: LEAF,
  partition: LEAF,
  principalArn: LEAF,
  scope: LEAF,
  publicAccessBlock: PUBLIC_ACCESS_BLOCK,
};

/** Trails and the stand-ins of regions whose trails could not be listed share `$.trails`. */
export const TRAIL_FIELDS: FieldsOf<TrailFacts | TrailGap> = {
  ref: RESOURCE_REF,
  $gap: UNKNOWN_DETAIL,
  locations: LOCATIONS,
  arn: LEAF,
  name: LEAF,
  homeRegion: LEAF,
  ownerAccountId: LEAF,
  ownerInScope: LEAF,
  isMultiRegion: LEAF,
  isOrganizationTrail: LEAF,
  includeGlobalServiceEvents: LEAF,
  logFileValidationEnabled: LEAF,
  kmsKeyId: LEAF,
  cloudWatchLogsLogGroupArn: LEAF,
  cloudWatchLogsRoleArn: LEAF,
  s3BucketName: LEAF,
  s3KeyPrefix: LEAF,
  snsTopicArn: LEAF,
  hasCustomEventSelectors: LEAF,
  visibleInRegions: LEAVES,
  shadowInRegions: LEAVES,
  isLogging: LEAF,
  status: {
    fields: {
      isLogging: LEAF,
      latestDeliveryError: LEAF,
      latestDeliveryTime: LEAF,
      startLoggingTime: LEAF,
      stopLoggingTime: LEAF,
      latestCloudWatchLogsDeliveryTime: LEAF,
      latestCloudWatchLogsDeliveryError: LEAF,
      latestDigestDeliveryTime: LEAF,
      latestDigestDeliveryError: LEAF,
    },
  },
  eventSelectors: {
    fields: {
      basic: {
        list: {
          fields: {
            readWriteType: LEAF,
            includeManagementEvents: LEAF,
            excludeManagementEventSources: LEAVES,
            dataResources: { list: { fields: { type: LEAF, values: LEAVES } } },
          },
        },
      },
      advanced: {
        list: {
          fields: {
            name: LEAF,
            fieldSelectors: {
              list: {
                fields: {
                  field: LEAF,
                  equals: LEAVES,
                  notEquals: LEAVES,
                  startsWith: LEAVES,
                  notStartsWith: LEAVES,
                  endsWith: LEAVES,
                  notEndsWith: LEAVES,
                },
              },
            },
          },
        },
      },
    },
  },
  managementEvents: {
    fields: { source: LEAF, read: LEAF, write: LEAF, excludedSources: LEAVES, allInOneSelector: LEAF, explanation: LEAF },
  },
  tags: { record: LEAF },
  userTagKeys: LEAVES,
};

/** Log buckets and the stand-ins for the buckets of regions whose trails could not be listed. */
export const BUCKET_FIELDS: FieldsOf<BucketFacts | BucketGap> = {
  ref: RESOURCE_REF,
  $gap: UNKNOWN_DETAIL,
  locations: LOCATIONS,
  name: LEAF,
  region: LEAF,
  ownerAccountId: LEAF,
  trailArns: LEAVES,
  acl: { list: { fields: { granteeType: LEAF, uri: LEAF, id: LEAF, permission: LEAF } } },
  // The policy is kept as its JSON text, so a path cannot walk into it.
  policy: LEAF,
  policyStatusIsPublic: LEAF,
  publicAccessBlock: PUBLIC_ACCESS_BLOCK,
  // Merged IaC scans only: the account-level block of the bucket's own file (facts/derive.ts).
  accountPublicAccessBlock: PUBLIC_ACCESS_BLOCK,
  objectOwnership: LEAF,
  publicAccess: {
    fields: { isPublic: LEAF, aclPublic: LEAF, policyPublic: LEAF, via: LEAVES, neutralisedBy: LEAVES, details: LEAVES },
  },
  logging: { fields: { targetBucket: LEAF, targetPrefix: LEAF } },
};

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
};

/** The fact set root: what `$.` and a check's `given` start from. */
export const FACT_SET_FIELDS: FieldsOf<FactSet> = {
  schemaVersion: LEAF,
  source: LEAF,
  collectedAt: LEAF,
  collected: LEAVES,
  accounts: LEAVES,
  account: { fields: ACCOUNT_FIELDS },
  regions: { list: { fields: { ref: RESOURCE_REF, name: LEAF } } },
  trails: { list: { fields: TRAIL_FIELDS } },
  buckets: { list: { fields: BUCKET_FIELDS } },
  eventDataStores: { list: { fields: EVENT_DATA_STORE_FIELDS } },
  stats: { fields: { apiCalls: { record: LEAF }, durationMs: LEAF } },
};

export const FACT_SET: ObjectSpec = { fields: FACT_SET_FIELDS };
