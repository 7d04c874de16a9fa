/** The trail items' fields, for the field catalogue (facts/fields.ts); checked against the model by the compiler. */
import type { TrailFacts, TrailGap } from '../../model.js';
import { TRAIL_KEY_VIEW_FIELDS } from '../kmsKeys/fields.js';
import { LEAF, LEAVES, LOCATIONS, RESOURCE_REF, UNKNOWN_DETAIL, type FieldsOf } from '../../fieldSpec.js';

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
  visibleInAccounts: LEAVES,
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
  s3DataEvents: { fields: { read: LEAF, write: LEAF, explanation: LEAF } },
  deliveryAgeHours: LEAF,
  cloudWatchLogsDeliveryAgeHours: LEAF,
  digestDeliveryAgeHours: LEAF,
  loggingAgeHours: LEAF,
  bucketExists: LEAF,
  logGroupExists: LEAF,
  kmsKey: { fields: TRAIL_KEY_VIEW_FIELDS },
};
