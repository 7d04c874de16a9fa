/**
 * The minimum number of API calls an audit of a seeded shape needs (DESIGN §6), computed from
 * the shape alone — deliberately not from the collector's code, so a collector that calls more
 * than it must shows up as EXCESS instead of moving the goalposts.
 */
import type { SeededOrganizationShape } from './seedOrganization.js';
import type { SeededShape } from './seedShape.js';

/** Calls per IAM action name (the names `stats.apiCalls` uses, src/collect/live/permissions.ts). */
export type CallCounts = Readonly<Record<string, number>>;

/**
 * Assumes an audit of exactly the seeded regions (`--regions` given, so no `ec2:DescribeRegions`),
 * every check enabled, and all trails owned by the audited account.
 */
/** Distinct KMS keys of event data stores in a seeded account: none, moto cannot create a store. */
const STORE_KEYS = 0;

export function minimumCalls(shape: SeededShape): CallCounts {
  const regions = shape.regions.length;
  // ListTags takes up to 20 ARNs and only answers in the trail's home region (MOTO_NOTES 3; AWS too).
  const listTags = Object.values(shape.trailsByHomeRegion).reduce((sum, n) => sum + Math.ceil(n / 20), 0);
  const buckets = shape.trailBuckets;
  const anyBucket = buckets > 0 ? 1 : 0;
  return {
    'sts:GetCallerIdentity': 1,
    'cloudtrail:DescribeTrails': regions,
    // A multi-region trail is seen in every region (as a shadow) but is one trail: one call each.
    'cloudtrail:GetTrailStatus': shape.trails,
    // Selectors only decide CloudTrail.1, which only a multi-region trail can satisfy.
    'cloudtrail:GetEventSelectors': shape.multiRegionTrails,
    'cloudtrail:ListTags': listTags,
    // Lake is regional; moto fails these calls (MOTO_NOTES 10), but they are still made once.
    'cloudtrail:ListEventDataStores': regions,
    'cloudtrail:GetEventDataStore': shape.eventDataStores,
    's3:ListAllMyBuckets': anyBucket,
    // Only buckets some trail delivers to are audited, however many trails share one.
    's3:GetBucketLocation': buckets,
    's3:GetBucketAcl': buckets,
    's3:GetBucketPolicy': buckets,
    // Only meaningful when there is a policy to assess.
    's3:GetBucketPolicyStatus': shape.trailBucketsWithPolicy,
    // Block Public Access and Object Ownership only neutralise public grants: a bucket whose ACL
    // and policy grant nothing public needs neither (CONTROLS §1.6). Ownership only matters for ACLs.
    's3:GetBucketPublicAccessBlock': shape.publicTrailBuckets,
    's3:GetBucketOwnershipControls': shape.publicAclTrailBuckets,
    's3:GetBucketLogging': buckets,
    's3:GetAccountPublicAccessBlock': anyBucket,
    // Each log group, alarm listing, topic and key once, in its own Region (issue 12).
    'logs:DescribeLogGroups': shape.logGroups,
    'logs:DescribeMetricFilters': shape.monitoredLogGroups,
    'cloudwatch:DescribeAlarms': shape.alarmPages,
    'sns:ListSubscriptionsByTopic': shape.alarmTopics,
    // The keys of event data stores are described too, and their aliases listed once per key
    // (CloudTrail.10's kmsKeyArns); moto has no CloudTrail Lake (MOTO_NOTES 10), so a seeded
    // account has no store and no store key: 0 of each.
    'kms:DescribeKey': shape.kmsKeys + STORE_KEYS,
    'kms:ListAliases': STORE_KEYS,
    'kms:GetKeyPolicy': shape.kmsKeys,
    'kms:GetKeyRotationStatus': shape.kmsKeys,
    // Security Hub is regional: CIS 4.16 asks each audited Region.
    'securityhub:DescribeHub': regions,
  };
}

/** organizations:ListAccounts returns at most 20 accounts a page (MaxResults ≤ 20). */
const ACCOUNTS_PER_PAGE = 20;

/**
 * The minimum for `audit --org` of a seeded organization (bench/seedOrganization.ts), every
 * account in scope, the caller being the management account. Issue 13: the organization trail is
 * described once, in its owner account, however many members it covers; every other account is
 * entered with exactly one sts:AssumeRole (the caller's own with its own credentials) and costs
 * what a single-account audit of it costs; the log-archive bucket is read once, by its owner.
 */
export function minimumOrganizationCalls(shape: SeededOrganizationShape): CallCounts {
  const accounts = shape.accountIds.length;
  const members = accounts - 1;
  const regional = accounts * shape.regions.length;
  // Every member has one trail and one bucket; the organization trail adds one of each.
  const trails = shape.memberTrails + 1;
  return {
    'organizations:DescribeOrganization': 1,
    'organizations:ListAccounts': Math.ceil(accounts / ACCOUNTS_PER_PAGE),
    'sts:AssumeRole': members,
    // The caller's identity, then each member's (which also proves the role maps to it).
    'sts:GetCallerIdentity': accounts,
    'cloudtrail:DescribeTrails': regional,
    'cloudtrail:ListEventDataStores': regional,
    'securityhub:DescribeHub': regional,
    'cloudtrail:GetTrailStatus': trails,
    // Member trails that are multi-Region, and the organization trail (multi-Region).
    'cloudtrail:GetEventSelectors': shape.multiRegionMemberTrails + 1,
    // Each account's trails live in one home Region, fewer than 20 per Region.
    'cloudtrail:ListTags': accounts,
    // Each account must tell its own trail buckets from other accounts' (the management account's
    // only trail delivers to the log archive's bucket).
    's3:ListAllMyBuckets': accounts,
    // Only accounts that own a trail bucket: every member, not the management account.
    's3:GetAccountPublicAccessBlock': members,
    // Each bucket once by its owner, plus the management account's ownership probe of the
    // log-archive bucket its trail names but its ListBuckets lacks (ExpectedBucketOwner tells
    // "another account's" from "deleted"), which a single-account audit of it makes too. An
    // organization audit could skip it when an audited account lists the bucket; it does not yet.
    's3:GetBucketLocation': shape.trailBuckets + 1,
    's3:GetBucketAcl': shape.trailBuckets,
    's3:GetBucketPolicy': shape.trailBuckets,
    // Every seeded trail bucket has a (non-public) CloudTrail delivery policy.
    's3:GetBucketPolicyStatus': shape.trailBuckets,
    's3:GetBucketLogging': shape.trailBuckets,
  };
}

export type Verdict = 'OK' | 'EXCESS' | 'BELOW';

export interface OperationComparison {
  readonly operation: string;
  readonly actual: number;
  /** Requests on the wire (SDK retries included). */
  readonly wire: number;
  readonly minimum: number;
  /** BELOW means a fact the checks need was not read (or the formula is wrong): also a failure. */
  readonly verdict: Verdict;
}

/** Every operation in any table, sorted by name; rows of zeros left out. */
export function compareCalls(actual: CallCounts, minimum: CallCounts, wire: CallCounts): OperationComparison[] {
  const operations = [...new Set([...Object.keys(actual), ...Object.keys(minimum), ...Object.keys(wire)])].sort();
  return operations
    .map((operation) => {
      const made = actual[operation] ?? 0;
      const needed = minimum[operation] ?? 0;
      const verdict: Verdict = made > needed ? 'EXCESS' : made < needed ? 'BELOW' : 'OK';
      return { operation, actual: made, wire: wire[operation] ?? 0, minimum: needed, verdict };
    })
    .filter((row) => row.actual > 0 || row.minimum > 0 || row.wire > 0);
}
