/**
 * The parts of the facts model every fact kind shares: the three-valued facts (a value, null, or
 * an {@link Unknown} with its reason), resource identity and positions, the needs, the account and
 * its Regions. Each kind's own types are in src/facts/kinds/<subject>/model.ts; model.ts puts the
 * whole fact set together.
 *
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
 *
 * The one literal list of needs: the type follows from it, and the registry
 * (src/facts/kinds/index.ts) must register each, in this order (test/facts/registry.test.ts); the
 * schemas' lists are generated from the registry at build time. Kept here, not derived from the
 * registry, because the registry's descriptors are typed by `FactNeed`.
 */
const NEEDS = [
  'trails',
  'trailStatus',
  'eventSelectors',
  'trailTags',
  'bucketPublicAccess',
  'bucketLogging',
  'bucketLocation',
  'eventDataStores',
  'logGroups',
  'metricFilters',
  'metricAlarms',
  'alarmTopics',
  'kmsKeys',
  'kmsKeyPolicies',
  'kmsKeyRotation',
  'eventDataStoreKeys',
  'securityHub',
] as const;

export type FactNeed = (typeof NEEDS)[number];

export const FACT_NEEDS: readonly FactNeed[] = NEEDS;

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
   * How the live collector chose this account's Regions: `enabled`, every Region enabled in it
   * (ec2:DescribeRegions); `requested`, --regions. Absent in IaC sets and older snapshots. The
   * Security Hub import archives a log bucket's finding only after a run that saw every Region.
   */
  readonly regionSelection?: 'enabled' | 'requested';
  /**
   * `partial` when the source shows only part of the account (IaC files): account- and
   * region-level controls then PASS only on a declared qualifying trail and are otherwise
   * NOT_APPLICABLE, never FAIL or PASS by absence. Absent (live) = the whole account.
   */
  readonly scope?: 'account' | 'partial';
  /** Account-level S3 Block Public Access; null = never configured (all four flags off). */
  readonly publicAccessBlock?: Maybe<PublicAccessBlock | null>;
  /** The account's name in its organization (organizations:ListAccounts), when discovered. */
  readonly name?: string;
  /**
   * The organization the account belongs to (`o-…`), when known: from discovery (ListAccounts /
   * DescribeOrganization). An organization trail covers every account of its organization
   * (facts/accountView.ts), so this is what credits a member that does not list the trail.
   */
  readonly organizationId?: string | null;
  /**
   * Set when the account could not be entered at all (its role could not be assumed, or its
   * identity not read): every account- and Region-level control of it is UNKNOWN with this detail
   * (engine), its resources are not listed, and it is never dropped from the report.
   */
  readonly unreachable?: UnknownDetail;
}

export interface RegionFacts {
  readonly ref: ResourceRef;
  readonly name: string;
}
