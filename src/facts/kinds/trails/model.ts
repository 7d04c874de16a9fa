/** The trail kinds' part of the facts model (`$.trails`): trails, their status, selectors and tags. */
import type { FactLocations, Maybe, ResourceRef, UnknownDetail } from '../../core.js';
import type { TrailKeyView } from '../kmsKeys/model.js';

/* ------------------------------------------------------------------ event selectors */

export type ReadWriteType = 'ReadOnly' | 'WriteOnly' | 'All';

export interface DataResource {
  readonly type: string;
  readonly values: readonly string[];
}

export interface BasicEventSelector {
  readonly readWriteType: ReadWriteType;
  readonly includeManagementEvents: boolean;
  readonly excludeManagementEventSources: readonly string[];
  readonly dataResources: readonly DataResource[];
}

export interface AdvancedFieldSelector {
  readonly field: string;
  readonly equals?: readonly string[];
  readonly notEquals?: readonly string[];
  readonly startsWith?: readonly string[];
  readonly notStartsWith?: readonly string[];
  readonly endsWith?: readonly string[];
  readonly notEndsWith?: readonly string[];
}

export interface AdvancedEventSelector {
  readonly name?: string;
  readonly fieldSelectors: readonly AdvancedFieldSelector[];
}

export interface EventSelectors {
  readonly basic: readonly BasicEventSelector[];
  readonly advanced: readonly AdvancedEventSelector[];
}

/** What a trail's selectors capture of management events (derived by kinds/trails/eventSelectors.ts). */
export interface ManagementEventCoverage {
  /** default = no custom selectors (AWS logs all management events). */
  readonly source: 'default' | 'basic' | 'advanced';
  /** Union over all selectors. */
  readonly read: boolean;
  readonly write: boolean;
  /** Management event sources excluded (kms.amazonaws.com, rdsdata.amazonaws.com, …). */
  readonly excludedSources: readonly string[];
  /**
   * Security Hub CloudTrail.1 / CIS 3.1: ONE selector captures read and write management events
   * from every source (basic: ReadWriteType All + IncludeManagementEvents + no exclusions;
   * advanced: eventCategory admits Management, no readOnly or source narrowing).
   */
  readonly allInOneSelector: boolean;
  /** Human description of why the coverage is what it is (evidence). */
  readonly explanation: string;
}

/** S3 object-level data events a trail logs for every current and future bucket (S3.22 write, S3.23 read; derived by kinds/trails/dataEvents.ts). */
export interface S3DataEventCoverage {
  readonly read: boolean;
  readonly write: boolean;
  readonly explanation: string;
}

/* ------------------------------------------------------------------ trails */

export interface TrailStatus {
  readonly isLogging: boolean;
  readonly latestDeliveryError?: string;
  readonly latestDeliveryTime?: string;
  readonly startLoggingTime?: string;
  readonly stopLoggingTime?: string;
  readonly latestCloudWatchLogsDeliveryTime?: string;
  readonly latestCloudWatchLogsDeliveryError?: string;
  readonly latestDigestDeliveryTime?: string;
  readonly latestDigestDeliveryError?: string;
}

export interface TrailFacts {
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly arn: string;
  readonly name: string;
  readonly homeRegion: string;
  readonly ownerAccountId: string;
  /** The owner account is one of the audited accounts (false for an org trail seen from a member). */
  readonly ownerInScope: boolean;
  readonly isMultiRegion: Maybe<boolean>;
  readonly isOrganizationTrail: Maybe<boolean>;
  readonly includeGlobalServiceEvents?: Maybe<boolean>;
  readonly logFileValidationEnabled: Maybe<boolean>;
  /** null = not set (SSE-S3). */
  readonly kmsKeyId: Maybe<string | null>;
  readonly cloudWatchLogsLogGroupArn: Maybe<string | null>;
  readonly cloudWatchLogsRoleArn?: Maybe<string | null>;
  readonly s3BucketName: Maybe<string | null>;
  readonly s3KeyPrefix?: Maybe<string | null>;
  readonly snsTopicArn?: Maybe<string | null>;
  readonly hasCustomEventSelectors?: Maybe<boolean>;
  /** Audited regions whose DescribeTrails listed this trail. */
  readonly visibleInRegions: readonly string[];
  /** Audited regions where it was listed as a shadow (not its home region). */
  readonly shadowInRegions: readonly string[];
  /**
   * Organization sets: the audited accounts whose DescribeTrails listed this trail (the owner,
   * members showing an organization trail's shadow copy), sorted. Written by the organization
   * collector and by mergeFactSets; absent in single-account sets (there: the one account).
   */
  readonly visibleInAccounts?: readonly string[];
  /** Present when `trailStatus` was needed. */
  readonly isLogging?: Maybe<boolean>;
  readonly status?: Maybe<TrailStatus>;
  /**
   * Present when `eventSelectors` was needed. A live audit reads them only for trails that are (or
   * may be) multi-Region, the only ones that can satisfy CloudTrail.1; for a single-Region trail
   * both are Unknown('unsupported'), never a value nobody read.
   */
  readonly eventSelectors?: Maybe<EventSelectors>;
  /** Derived from `eventSelectors` and `hasCustomEventSelectors` (facts/derive.ts). */
  readonly managementEvents?: Maybe<ManagementEventCoverage>;
  /** Present when `trailTags` was needed. All tags, including aws: system tags. */
  readonly tags?: Maybe<Readonly<Record<string, string>>>;
  /** Tag keys that are not `aws:` system tags (derived from `tags`, kinds/trails/tags.ts). */
  readonly userTagKeys?: Maybe<readonly string[]>;

  /* Trail health (TrailHealth.1–4), all derived (kinds/trails/derive.ts) from the raw facts above, the
     fact set's `collectedAt` and the other collections; present when their inputs were collected. */
  /** Derived from `eventSelectors`. */
  readonly s3DataEvents?: Maybe<S3DataEventCoverage>;
  /** Hours from `status.latestDeliveryTime` to `collectedAt`; null = no delivery recorded. */
  readonly deliveryAgeHours?: Maybe<number | null>;
  /** Hours from `status.latestCloudWatchLogsDeliveryTime` to `collectedAt`; null = none recorded. */
  readonly cloudWatchLogsDeliveryAgeHours?: Maybe<number | null>;
  /** Hours from `status.latestDigestDeliveryTime` to `collectedAt`; null = none recorded. */
  readonly digestDeliveryAgeHours?: Maybe<number | null>;
  /** Hours from `status.startLoggingTime` to `collectedAt` (a trail started minutes ago has delivered nothing yet); null = unknown start. */
  readonly loggingAgeHours?: Maybe<number | null>;
  /** From `$.buckets` (the `bucketLocation` kind): the log bucket exists. */
  readonly bucketExists?: Maybe<boolean>;
  /** From `$.logGroups` (the `logGroups` kind): the CloudWatch Logs log group exists; null = none configured. */
  readonly logGroupExists?: Maybe<boolean | null>;
  /** From `$.kmsKeys`: the key encrypting the logs, as this trail sees it; null = not encrypted with KMS. */
  readonly kmsKey?: Maybe<TrailKeyView | null>;
}

/**
 * A region (or template) where trails could not be listed. It stands in the `trails`
 * collection so that every check over trails sees the gap: what is known is filled in,
 * everything else is Unknown.
 */
export interface TrailGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly homeRegion: string;
  readonly isMultiRegion: Maybe<boolean>;
  readonly ownerInScope: Maybe<boolean>;
  readonly [field: string]: unknown;
}
