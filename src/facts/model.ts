/**
 * The normalised facts model shared by every source (live AWS, CloudFormation, Terraform).
 *
 * Facts are plain JSON so that a collection can be saved as a snapshot and re-evaluated offline.
 * A value that could not be read is stored inline as an {@link Unknown} marker, never as a
 * default: "could not read" must stay distinct from "not configured" (null) and from "absent"
 * (the property is missing), so that the engine can never turn a gap into a PASS.
 */

/** Why a fact could not be read (DESIGN §2). */
export type UnknownReason =
  | 'access_denied'
  | 'cross_account'
  | 'not_found'
  | 'throttled'
  | 'timeout'
  | 'region_disabled'
  | 'unsupported'
  | 'error';

export const UNKNOWN_REASONS: readonly UnknownReason[] = [
  'access_denied',
  'cross_account',
  'not_found',
  'throttled',
  'timeout',
  'region_disabled',
  'unsupported',
  'error',
];

export interface UnknownDetail {
  readonly reason: UnknownReason;
  /** One sentence a person can act on. */
  readonly message: string;
  /** IAM action of the call that failed, e.g. `s3:GetBucketAcl`. */
  readonly operation?: string;
  readonly region?: string;
  /** Account whose credentials would be needed to read the fact (cross-account resources). */
  readonly account?: string;
}

/** Inline marker for a fact that could not be read. */
export interface Unknown {
  readonly $unknown: UnknownDetail;
}

export type Maybe<T> = T | Unknown;

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && '$unknown' in value;
}

export function unknown(
  reason: UnknownReason,
  message: string,
  extra: Omit<UnknownDetail, 'reason' | 'message'> = {},
): Unknown {
  return { $unknown: { reason, message, ...extra } };
}

/** `iac`: a scan that merged CloudFormation templates and Terraform plans. */
export type FactSource = 'live' | 'cloudformation' | 'terraform' | 'iac';

/** Position of a resource (or one of its properties) in a template or plan. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Where each fact of an item was declared (IaC): fact path (`logFileValidationEnabled`,
 * `publicAccess.isPublic`…) → position of the property that sets it, so a finding can point at
 * the offending line.
 */
export type FactLocations = Readonly<Record<string, SourceLocation>>;

/** Identity of the resource a finding is about; every fact item carries one as `ref`. */
export interface ResourceRef {
  readonly type: string;
  /** Trail ARN, `arn:aws:s3:::bucket`, account id, event data store ARN, logical id / address for IaC. */
  readonly id: string;
  readonly name?: string;
  readonly accountId: string | null;
  /** Region of the resource; `global` for account-wide findings. */
  readonly region: string;
  readonly location?: SourceLocation;
}

/**
 * Fact kinds a check can ask for (`needs` in a check file). Collectors gather only these, so
 * a run with only CloudTrail.4 enabled makes nothing but DescribeTrails calls.
 */
export type FactNeed =
  | 'trails'
  | 'trailStatus'
  | 'eventSelectors'
  | 'trailTags'
  | 'bucketPublicAccess'
  | 'bucketLogging'
  | 'eventDataStores';

export const FACT_NEEDS: readonly FactNeed[] = [
  'trails',
  'trailStatus',
  'eventSelectors',
  'trailTags',
  'bucketPublicAccess',
  'bucketLogging',
  'eventDataStores',
];

export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export interface AccountFacts {
  readonly ref: ResourceRef;
  readonly id: string;
  readonly partition: string;
  /**
   * ARN of the principal whose credentials read the facts (sts:GetCallerIdentity), so a report
   * says who ran the audit. Live audits only: templates and plans have no caller.
   */
  readonly principalArn?: string;
  /**
   * `partial` when the source shows only part of the account (IaC files): account- and
   * region-level controls then PASS only on a declared qualifying trail and are otherwise
   * NOT_APPLICABLE, never FAIL or PASS by absence. Absent (live) = the whole account.
   */
  readonly scope?: 'account' | 'partial';
  /** Account-level S3 Block Public Access; null = never configured (all four flags off). */
  readonly publicAccessBlock?: Maybe<PublicAccessBlock | null>;
}

export interface RegionFacts {
  readonly ref: ResourceRef;
  readonly name: string;
}

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

/* ------------------------------------------------------------------ buckets */

export interface AclGrant {
  readonly granteeType: string;
  readonly uri?: string;
  readonly id?: string;
  readonly permission: string;
}

/** Effective public access of a bucket (derived by kinds/buckets/publicAccess.ts). */
export interface PublicAccessVerdict {
  readonly isPublic: Maybe<boolean>;
  readonly aclPublic: Maybe<boolean>;
  readonly policyPublic: Maybe<boolean>;
  /** What makes it public: 'acl', 'policy'. */
  readonly via: readonly string[];
  /** Settings that neutralise a public ACL or policy, e.g. 'IgnorePublicAcls (account)'. */
  readonly neutralisedBy: readonly string[];
  /** Public grants / statements found (evidence). */
  readonly details: readonly string[];
}

export interface BucketFacts {
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly name: string;
  readonly region: Maybe<string>;
  readonly ownerAccountId: Maybe<string>;
  /** Trails (ARNs) that deliver to this bucket. */
  readonly trailArns: readonly string[];
  /** Present when `bucketPublicAccess` was needed. */
  readonly acl?: Maybe<readonly AclGrant[]>;
  /** Bucket policy JSON text; null = no policy. */
  readonly policy?: Maybe<string | null>;
  /** GetBucketPolicyStatus IsPublic; null = no policy or the service did not answer it. */
  readonly policyStatusIsPublic?: Maybe<boolean | null>;
  /**
   * Bucket-level Block Public Access; null = none configured. The live collector reads it only
   * when the ACL or the policy grants (or may grant) public access, since otherwise it cannot change
   * `publicAccess`; Unknown('unsupported') then.
   */
  readonly publicAccessBlock?: Maybe<PublicAccessBlock | null>;
  /**
   * ObjectOwnership; null = no ownership controls (ACLs enabled). Read live only when the ACL
   * grants (or may grant) public access; Unknown('unsupported') otherwise.
   */
  readonly objectOwnership?: Maybe<string | null>;
  /**
   * Derived from the facts above and the account-level Block Public Access (facts/derive.ts
   * recomputes it when a snapshot is loaded; a stored value is never trusted).
   */
  readonly publicAccess?: Maybe<PublicAccessVerdict>;
  /**
   * Merged IaC scans only: the account-level Block Public Access this bucket's file declared
   * (null: none), when it differs from the merged `account.publicAccessBlock`, so that
   * `publicAccess` can be recomputed with the input it was computed with.
   */
  readonly accountPublicAccessBlock?: Maybe<PublicAccessBlock | null>;
  /** Present when `bucketLogging` was needed; null = server access logging off. */
  readonly logging?: Maybe<{ readonly targetBucket: string; readonly targetPrefix: string } | null>;
}

/**
 * Stands in `buckets` for a region whose trails could not be listed: the log buckets of trails
 * homed there are unknown, so bucket checks must not look complete.
 */
export interface BucketGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly [field: string]: unknown;
}

/* ------------------------------------------------------------------ event data stores */

export interface EventDataStoreFacts {
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly status: Maybe<string | null>;
  readonly kmsKeyId: Maybe<string | null>;
  readonly multiRegionEnabled?: Maybe<boolean | null>;
  readonly organizationEnabled?: Maybe<boolean | null>;
}

export interface EventDataStoreGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly region: string;
  readonly [field: string]: unknown;
}

/* ------------------------------------------------------------------ the whole set */

/** A top-level list of the fact set whose items carry the facts of one or more kinds. */
export type FactCollection = 'trails' | 'buckets' | 'eventDataStores';

export interface FactSet {
  readonly schemaVersion: 1;
  readonly source: FactSource;
  readonly collectedAt: string;
  /** Fact kinds this set holds; a check needing anything else is UNKNOWN(unsupported). */
  readonly collected: readonly FactNeed[];
  /**
   * The accounts the audit covers (live): a resource one of them owns is audited here. Absent in
   * IaC scans and in snapshots saved before it existed: then just `account.id` ({@link accountsInScope}).
   */
  readonly accounts?: readonly string[];
  readonly account: AccountFacts;
  readonly regions: readonly RegionFacts[];
  readonly trails: readonly (TrailFacts | TrailGap)[];
  readonly buckets: readonly (BucketFacts | BucketGap)[];
  readonly eventDataStores: readonly (EventDataStoreFacts | EventDataStoreGap)[];
  readonly stats: {
    /** API calls by IAM-style operation name, e.g. `cloudtrail:DescribeTrails`. */
    readonly apiCalls: Readonly<Record<string, number>>;
    readonly durationMs: number;
  };
}

/** The accounts in scope of a fact set: its `accounts`, or its one account. */
export function accountsInScope(facts: Pick<FactSet, 'accounts' | 'account'>): readonly string[] {
  return facts.accounts ?? [facts.account.id];
}

export function isGap(item: unknown): item is TrailGap | BucketGap | EventDataStoreGap {
  return typeof item === 'object' && item !== null && '$gap' in item;
}
