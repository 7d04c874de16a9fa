/**
 * Per-account live fact sets of a small organization, shaped as the single-account collector
 * writes them (plain JSON, as a snapshot reads back), for the merge, view and engine tests:
 * - MANAGEMENT owns the organization trail `org-trail` (multi-Region, logging, all management
 *   events, log file validation OFF) into bucket `org-logs`, which belongs to LOG_ARCHIVE: the
 *   management account sees that bucket only as Unknown(cross_account);
 * - LOG_ARCHIVE owns `org-logs` (private, server access logging off) and lists no trail;
 * - MEMBER lists nothing (as in moto: the organization trail never shows in members) or, with
 *   `memberSeesShadow`, the trail's shadow copy whose details are Unknown(cross_account);
 * - OUTSIDER belongs to ANOTHER organization and has no trail;
 * - UNREACHABLE's role could not be assumed.
 */
import { unreadableBucket } from '../../src/facts/gaps.js';
import { unknown, type AccountFacts, type BucketFacts, type FactSet, type TrailFacts } from '../../src/facts/model.js';

export const ORG = 'o-abcdefghij';
export const MANAGEMENT = '111111111111';
export const LOG_ARCHIVE = '222222222222';
export const MEMBER = '333333333333';
export const OUTSIDER = '444444444444';
export const UNREACHABLE = '555555555555';
export const REGIONS = ['us-east-1', 'eu-west-1'] as const;
export const ORG_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail`;
export const ROLE_ARN = `arn:aws:iam::${UNREACHABLE}:role/OrganizationAccountAccessRole`;

const COLLECTED: FactSet['collected'] = ['trails', 'trailStatus', 'eventSelectors', 'bucketPublicAccess', 'bucketLogging'];

function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function accountFacts(id: string, extra: Partial<AccountFacts> = {}): AccountFacts {
  return {
    ref: { type: 'AWS::::Account', id, accountId: id, region: 'global' },
    id,
    partition: 'aws',
    principalArn: `arn:aws:sts::${id}:assumed-role/OrganizationAccountAccessRole/trailaudit`,
    publicAccessBlock: null,
    organizationId: ORG,
    ...extra,
  };
}

function orgTrail(seenFrom: string): TrailFacts {
  const shadow = seenFrom !== MANAGEMENT;
  const elsewhere = unknown('cross_account', `Trail org-trail is described in its owner account ${MANAGEMENT}.`, { account: MANAGEMENT });
  return {
    ref: { type: 'AWS::CloudTrail::Trail', id: ORG_TRAIL_ARN, name: 'org-trail', accountId: MANAGEMENT, region: 'us-east-1' },
    arn: ORG_TRAIL_ARN,
    name: 'org-trail',
    homeRegion: 'us-east-1',
    ownerAccountId: MANAGEMENT,
    ownerInScope: !shadow,
    isMultiRegion: true,
    isOrganizationTrail: true,
    includeGlobalServiceEvents: true,
    logFileValidationEnabled: shadow ? elsewhere : false,
    kmsKeyId: shadow ? elsewhere : null,
    cloudWatchLogsLogGroupArn: shadow ? elsewhere : null,
    s3BucketName: 'org-logs',
    hasCustomEventSelectors: shadow ? elsewhere : false,
    visibleInRegions: [...REGIONS],
    shadowInRegions: ['eu-west-1'],
    status: shadow ? elsewhere : { isLogging: true },
    eventSelectors: shadow
      ? elsewhere
      : { basic: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [] }], advanced: [] },
  };
}

function bucketRef(accountId: string): BucketFacts['ref'] {
  return { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::org-logs', name: 'org-logs', accountId, region: 'us-east-1' };
}

/** The log-archive bucket as the management account sees it: another account's, unreadable. */
function foreignBucket(seenFrom: string): BucketFacts {
  return unreadableBucket(
    bucketRef(seenFrom),
    'org-logs',
    [ORG_TRAIL_ARN],
    unknown('cross_account', 'Bucket org-logs belongs to another account; read it with that account (add it to the audit).'),
  );
}

/** The log-archive bucket read by its owner: private, no server access logging. */
function ownBucket(): BucketFacts {
  const notNeeded = unknown('unsupported', 'Not read: neither the ACL nor the policy grants public access.');
  return {
    ref: bucketRef(LOG_ARCHIVE),
    name: 'org-logs',
    region: 'us-east-1',
    ownerAccountId: LOG_ARCHIVE,
    trailArns: [],
    acl: [{ granteeType: 'CanonicalUser', id: 'owner', permission: 'FULL_CONTROL' }],
    policy: null,
    policyStatusIsPublic: null,
    publicAccessBlock: notNeeded,
    objectOwnership: notNeeded,
    logging: null,
  };
}

function accountSet(account: AccountFacts, parts: { trails?: TrailFacts[]; buckets?: BucketFacts[]; calls?: number; collectedAt?: string }): FactSet {
  return json({
    schemaVersion: 1,
    source: 'live',
    collectedAt: parts.collectedAt ?? '2026-12-06T10:00:00.000Z',
    collected: COLLECTED,
    accounts: [account.id],
    account,
    regions: REGIONS.map((name) => ({ ref: { type: 'AWS::::Account', id: account.id, accountId: account.id, region: name }, name })),
    trails: parts.trails ?? [],
    buckets: parts.buckets ?? [],
    eventDataStores: [],
    stats: { apiCalls: { 'cloudtrail:DescribeTrails': 2, 'sts:GetCallerIdentity': 1, 's3:ListBuckets': parts.calls ?? 1 }, durationMs: 100 * (parts.calls ?? 1) },
  } satisfies FactSet);
}

export function managementSet(): FactSet {
  return accountSet(accountFacts(MANAGEMENT, { principalArn: `arn:aws:iam::${MANAGEMENT}:user/auditor` }), {
    trails: [orgTrail(MANAGEMENT)],
    buckets: [foreignBucket(MANAGEMENT)],
    calls: 3,
    collectedAt: '2026-12-06T09:59:00.000Z',
  });
}

export function logArchiveSet(): FactSet {
  return accountSet(accountFacts(LOG_ARCHIVE), { buckets: [ownBucket()] });
}

export function memberSet(options: { memberSeesShadow?: boolean } = {}): FactSet {
  return accountSet(accountFacts(MEMBER), options.memberSeesShadow === true ? { trails: [orgTrail(MEMBER)], buckets: [foreignBucket(MEMBER)] } : {});
}

export function outsiderSet(): FactSet {
  return accountSet(accountFacts(OUTSIDER, { organizationId: 'o-otherorgxyz' }), {});
}

export function unreachableSet(): FactSet {
  const account = accountFacts(UNREACHABLE, {
    unreachable: {
      reason: 'access_denied',
      message: `Could not assume role ${ROLE_ARN}: AccessDenied (User is not authorized to perform sts:AssumeRole).`,
      operation: 'sts:AssumeRole',
      account: UNREACHABLE,
    },
  });
  const { principalArn: _none, ...withoutCaller } = account;
  return { ...accountSet(withoutCaller, {}), stats: { apiCalls: { 'sts:AssumeRole': 1 }, durationMs: 5 } };
}
