/** Compact trails of a case table → the TrailFacts the live collector would give. */
import { managementEventCoverage } from '../facts/kinds/trails/eventSelectors.js';
import { normaliseEventSelectors, type EventSelectorsShape } from '../facts/kinds/trails/normaliseSelectors.js';
import type { EventSelectors, Maybe, TrailFacts, TrailGap, UnknownReason } from '../facts/model.js';
import { UNKNOWN_REASONS, isUnknown, unknown } from '../facts/model.js';
import { ACCOUNT_ID, DEFAULT_BUCKET, PARTITION, TableError, expandUnknowns, isRecord, requireKeys, stringField, type BuildContext, type Compact } from './compact.js';

export function trailArn(name: string, homeRegion = 'us-east-1', owner = ACCOUNT_ID): string {
  return `arn:${PARTITION}:cloudtrail:${homeRegion}:${owner}:trail/${name}`;
}

/**
 * A compliant trail's selector: all management events (as AWS's default selector, CONTROLS §3.1.5)
 * plus every S3 object data event of every bucket (S3.22/S3.23), so a custom one.
 */
const COMPLIANT_SELECTORS: EventSelectorsShape = {
  EventSelectors: [
    {
      ReadWriteType: 'All',
      IncludeManagementEvents: true,
      DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:${PARTITION}:s3`] }],
      ExcludeManagementEventSources: [],
    },
  ],
};

/**
 * GetTrailStatus times of a trail that has logged for 30 days and delivers every few minutes (the
 * tester's "today" is TODAY at midnight UTC), so that a default trail passes TrailHealth.1/2. A case
 * that gives `status` gives all of it.
 */
const HEALTHY_DELIVERY = {
  startLoggingTime: '2026-05-16T00:00:00Z',
  latestDeliveryTime: '2026-06-14T23:55:00Z',
  latestCloudWatchLogsDeliveryTime: '2026-06-14T23:56:00Z',
  latestDigestDeliveryTime: '2026-06-14T23:00:00Z',
} as const;

const TRAIL_KEYS: readonly string[] = [
  'name',
  'homeRegion',
  'owner',
  'ownerInScope',
  'isMultiRegion',
  'isOrganizationTrail',
  'includeGlobalServiceEvents',
  'logFileValidationEnabled',
  'kmsKeyId',
  'cloudWatchLogsLogGroupArn',
  'cloudWatchLogsRoleArn',
  's3BucketName',
  's3KeyPrefix',
  'snsTopicArn',
  'hasCustomEventSelectors',
  'isLogging',
  'status',
  'eventSelectors',
  'managementEvents',
  'tags',
  'userTagKeys',
];

function normaliseSelectors(where: string, raw: unknown): Maybe<EventSelectors> {
  if (isUnknown(raw)) {
    return raw;
  }
  if (!isRecord(raw)) {
    throw new TableError(`${where}: eventSelectors must be a mapping or an Unknown`);
  }
  if ('basic' in raw || 'advanced' in raw) {
    return { basic: [], advanced: [], ...raw };
  }
  requireKeys(where, raw, ['EventSelectors', 'AdvancedEventSelectors'], []);
  return normaliseEventSelectors(raw);
}

/** A trail that passes every trail check unless the case overrides a field. */
export function buildTrail(compact: Compact, context: BuildContext, where = 'trail'): TrailFacts {
  requireKeys(where, compact, TRAIL_KEYS, ['name']);
  const name = stringField(where, compact.name, 'name');
  const homeRegion = compact.homeRegion === undefined ? (context.regions[0] ?? 'us-east-1') : stringField(where, compact.homeRegion, 'homeRegion');
  const owner = compact.owner === undefined ? ACCOUNT_ID : stringField(where, compact.owner, 'owner');
  const arn = trailArn(name, homeRegion, owner);
  const o = expandUnknowns(compact, where) as Record<string, unknown>;
  const has = (key: string): boolean => key in o;
  const isMultiRegion = (has('isMultiRegion') ? o.isMultiRegion : true) as Maybe<boolean>;
  const visibleInRegions = context.regions.filter((region) => isMultiRegion !== false || region === homeRegion);
  const hasCustomEventSelectors = (has('hasCustomEventSelectors') ? o.hasCustomEventSelectors : true) as Maybe<boolean>;
  const eventSelectors = normaliseSelectors(`${where}.eventSelectors`, has('eventSelectors') ? o.eventSelectors : COMPLIANT_SELECTORS);
  const managementEvents = has('managementEvents')
    ? o.managementEvents
    : isUnknown(eventSelectors)
      ? eventSelectors
      : managementEventCoverage(eventSelectors, isUnknown(hasCustomEventSelectors) ? undefined : hasCustomEventSelectors);
  const isLogging = (has('isLogging') ? o.isLogging : true) as Maybe<boolean>;
  const status = has('status') ? o.status : isUnknown(isLogging) ? isLogging : isLogging ? { isLogging, ...HEALTHY_DELIVERY } : { isLogging };
  const tags = (has('tags') ? o.tags : { owner: 'security' }) as Maybe<Record<string, string>>;
  const userTagKeys = has('userTagKeys')
    ? o.userTagKeys
    : isUnknown(tags)
      ? tags
      : Object.keys(tags)
          .filter((key) => !key.toLowerCase().startsWith('aws:'))
          .sort();
  const { name: _name, homeRegion: _home, owner: _owner, ...overrides } = o;
  return {
    ref: { type: 'AWS::CloudTrail::Trail', id: arn, name, accountId: owner, region: homeRegion },
    arn,
    name,
    homeRegion,
    ownerAccountId: owner,
    ownerInScope: owner === ACCOUNT_ID,
    isOrganizationTrail: owner !== ACCOUNT_ID,
    includeGlobalServiceEvents: true,
    logFileValidationEnabled: true,
    kmsKeyId: `arn:${PARTITION}:kms:${homeRegion}:${owner}:key/0f6b2c1e-1111-4a2b-9c3d-${name.padEnd(12, '0').slice(0, 12)}`,
    cloudWatchLogsLogGroupArn: `arn:${PARTITION}:logs:${homeRegion}:${owner}:log-group:aws-cloudtrail-logs-${name}:*`,
    cloudWatchLogsRoleArn: `arn:${PARTITION}:iam::${owner}:role/CloudTrailToCloudWatch`,
    s3BucketName: DEFAULT_BUCKET,
    s3KeyPrefix: null,
    snsTopicArn: null,
    visibleInRegions,
    shadowInRegions: visibleInRegions.filter((region) => region !== homeRegion),
    ...overrides,
    isMultiRegion,
    hasCustomEventSelectors,
    eventSelectors,
    managementEvents,
    isLogging,
    status,
    tags,
    userTagKeys,
  } as TrailFacts;
}

/** A region whose trails could not be listed (the live collector's `trailGap`). */
export function buildTrailGap(compact: Compact, where = 'trailGap'): TrailGap {
  requireKeys(where, compact, ['region', 'reason', 'isMultiRegion', 'message'], ['region', 'reason']);
  const region = stringField(where, compact.region, 'region');
  const reason = compact.reason as UnknownReason;
  if (!UNKNOWN_REASONS.includes(reason)) {
    throw new TableError(`${where}: reason must be one of ${UNKNOWN_REASONS.join(', ')}`);
  }
  const message = typeof compact.message === 'string' ? compact.message : `(test) DescribeTrails failed in ${region}: ${reason}.`;
  const failure = { reason, message, operation: 'cloudtrail:DescribeTrails', region };
  const isMultiRegion =
    compact.isMultiRegion === undefined ? unknown(reason, message, { operation: failure.operation, region }) : (expandUnknowns(compact.isMultiRegion) as Maybe<boolean>);
  return {
    ref: { type: 'AWS::CloudTrail::Trail', id: `arn:${PARTITION}:cloudtrail:${region}:${ACCOUNT_ID}:trail/*`, accountId: ACCOUNT_ID, region },
    $gap: failure,
    homeRegion: region,
    isMultiRegion,
    ownerInScope: unknown(reason, message, { operation: failure.operation, region }),
  };
}
