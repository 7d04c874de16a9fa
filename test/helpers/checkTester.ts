/**
 * Table-driven tester for the checks in checks/ (in the spirit of ESLint's RuleTester).
 *
 * A case table (`test/checks/<CheckId>.cases.yaml`) lists cases with compact facts; this module
 * builds a complete FactSet from them (defaults describe a fully compliant account, so a case
 * only states what differs), evaluates the real check file with the parameters rules.yaml would
 * give it, and asserts that the findings are exactly the expected ones.
 *
 * Compact facts:
 * - `account: {publicAccessBlock?}`; `regions: [names]` (default [us-east-1]); `collected?: [needs]`.
 * - `trails: [{name, homeRegion?, owner?, ...TrailFacts overrides}]`: ARN, ref, visibility,
 *   status, management-event coverage (derived from `eventSelectors`, given in the
 *   GetEventSelectors shape) and user tag keys (derived from `tags`) are filled in.
 * - `trailGaps: [{region, reason, isMultiRegion?}]`: a region whose trails could not be listed
 *   (isMultiRegion omitted = unknown, as when no region could be listed).
 * - `buckets: [{name, acl?, policy?, policyStatusIsPublic?, publicAccessBlock?, objectOwnership?,
 *   logging?, publicAccess?, trailArns?, unreadable?}]`: `publicAccess` is computed by the real
 *   evaluatePublicAccess; `unreadable: <reason>` gives the shape the collector uses for a bucket in
 *   another account (cross_account) or a deleted one (not_found).
 * - `eventDataStores: [{name, region?, status?, kmsKeyId?, ...}]`, `eventDataStoreGaps: [{region, reason}]`.
 * - `{$unknown: <reason>}` (optionally with `operation`, `message`) anywhere stands for an Unknown.
 */
import { bucketGap } from '../../src/facts/gaps.js';
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { evaluate } from '../../src/engine/evaluate.js';
import type { CheckDefinition, Finding, Status } from '../../src/engine/types.js';
import { STATUSES } from '../../src/engine/types.js';
import { managementEventCoverage } from '../../src/facts/kinds/trails/eventSelectors.js';
import { normaliseEventSelectors, type EventSelectorsShape } from '../../src/facts/kinds/trails/normaliseSelectors.js';
import type {
  AclGrant,
  BucketFacts,
  EventDataStoreFacts,
  EventDataStoreGap,
  EventSelectors,
  FactNeed,
  FactSet,
  Maybe,
  PublicAccessBlock,
  TrailFacts,
  TrailGap,
  UnknownReason,
} from '../../src/facts/model.js';
import { FACT_NEEDS, UNKNOWN_REASONS, isUnknown, unknown } from '../../src/facts/model.js';
import { evaluatePublicAccess } from '../../src/facts/kinds/buckets/publicAccess.js';
import { enabledChecks, parseRules } from '../../src/load/loadRules.js';
import { schemaValidator } from '../../src/load/schemaValidation.js';

export const ACCOUNT_ID = '123456789012';
export const PARTITION = 'aws';
/** Fixed "today" so that evaluation never depends on the clock. */
export const TODAY = '2026-06-15';
export const DEFAULT_BUCKET = 'trail-logs';
export const CASES_DIR = fileURLToPath(new URL('../checks/', import.meta.url));

export type CaseKind = 'pass' | 'fail' | 'not_applicable' | 'unknown';
export const CASE_KINDS: readonly CaseKind[] = ['pass', 'fail', 'not_applicable', 'unknown'];
export const KIND_STATUS: Readonly<Record<CaseKind, Status>> = {
  pass: 'PASS',
  fail: 'FAIL',
  not_applicable: 'NOT_APPLICABLE',
  unknown: 'UNKNOWN',
};

export interface Expectation {
  readonly status: Status;
  /** Matches the finding's resource.id or resource.name. */
  readonly resource: string;
  readonly region?: string;
  readonly reason?: UnknownReason;
  /** A substring the finding's message must contain. */
  readonly message?: string;
}

export type Compact = Readonly<Record<string, unknown>>;

export interface CheckCase {
  readonly name: string;
  readonly kind: CaseKind;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly facts: Compact;
  readonly expect: readonly Expectation[];
  /**
   * Known disagreement between the code and CONTROLS.md: the case states what CONTROLS.md asks
   * for, is reported as pending while it fails, and fails once it passes (remove the marker then).
   */
  readonly pending?: string;
}

export interface CaseTable {
  readonly file: string;
  readonly check: string;
  /**
   * Kinds the check cannot produce, with the reason (only `not_applicable` may be declared: every
   * check reads facts that can be unreadable, and must be able to pass and fail).
   */
  readonly unreachable: Readonly<Partial<Record<CaseKind, string>>>;
  readonly cases: readonly CheckCase[];
}

/* ------------------------------------------------------------------ table loading */

class TableError extends Error {
  override readonly name = 'TableError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireKeys(where: string, value: Record<string, unknown>, allowed: readonly string[], required: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TableError(`${where}: unexpected key "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
  for (const key of required) {
    if (!(key in value)) {
      throw new TableError(`${where}: missing "${key}"`);
    }
  }
}

const FACT_KEYS = ['account', 'regions', 'collected', 'trails', 'trailGaps', 'buckets', 'eventDataStores', 'eventDataStoreGaps'];

function validateExpectation(where: string, raw: unknown): Expectation {
  if (!isRecord(raw)) {
    throw new TableError(`${where}: an expectation must be a mapping`);
  }
  requireKeys(where, raw, ['status', 'resource', 'region', 'reason', 'message'], ['status', 'resource']);
  if (!STATUSES.includes(raw.status as Status)) {
    throw new TableError(`${where}: status must be one of ${STATUSES.join(', ')}`);
  }
  if (typeof raw.resource !== 'string' || raw.resource === '') {
    throw new TableError(`${where}: resource must be a non-empty string`);
  }
  if (raw.reason !== undefined && !UNKNOWN_REASONS.includes(raw.reason as UnknownReason)) {
    throw new TableError(`${where}: reason must be one of ${UNKNOWN_REASONS.join(', ')}`);
  }
  if (raw.reason !== undefined && raw.status !== 'UNKNOWN') {
    throw new TableError(`${where}: only an UNKNOWN finding has a reason`);
  }
  for (const key of ['region', 'message'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') {
      throw new TableError(`${where}: ${key} must be a string`);
    }
  }
  return raw as unknown as Expectation;
}

/** Parse and validate a case table (structure, kinds, duplicate names). */
export function parseCaseTable(text: string, file: string): CaseTable {
  const data: unknown = parse(text);
  if (!isRecord(data)) {
    throw new TableError(`${file}: a case table must be a mapping`);
  }
  requireKeys(file, data, ['check', 'unreachable', 'cases'], ['check', 'cases']);
  if (typeof data.check !== 'string') {
    throw new TableError(`${file}: check must be a string`);
  }
  const unreachable = data.unreachable ?? {};
  if (!isRecord(unreachable)) {
    throw new TableError(`${file}: unreachable must be a mapping of kind to reason`);
  }
  requireKeys(`${file}: unreachable`, unreachable, ['not_applicable'], []);
  for (const [kind, why] of Object.entries(unreachable)) {
    if (typeof why !== 'string' || why.length < 20) {
      throw new TableError(`${file}: unreachable.${kind} needs a reason (at least 20 characters)`);
    }
  }
  if (!Array.isArray(data.cases) || data.cases.length === 0) {
    throw new TableError(`${file}: cases must be a non-empty list`);
  }
  const names = new Set<string>();
  const cases = (data.cases as unknown[]).map((raw, index): CheckCase => {
    const where = `${file}: case #${index + 1}`;
    if (!isRecord(raw)) {
      throw new TableError(`${where}: a case must be a mapping`);
    }
    requireKeys(where, raw, ['name', 'kind', 'params', 'facts', 'expect', 'pending'], ['name', 'kind', 'facts', 'expect']);
    if (typeof raw.name !== 'string' || raw.name === '') {
      throw new TableError(`${where}: name must be a non-empty string`);
    }
    const named = `${file}: case "${raw.name}"`;
    if (raw.name.split('(').length !== raw.name.split(')').length) {
      throw new TableError(`${named}: unbalanced parentheses in the name (in YAML, " #" starts a comment: quote the name)`);
    }
    if (names.has(raw.name)) {
      throw new TableError(`${named}: duplicate case name`);
    }
    names.add(raw.name);
    if (!CASE_KINDS.includes(raw.kind as CaseKind)) {
      throw new TableError(`${named}: kind must be one of ${CASE_KINDS.join(', ')}`);
    }
    if (raw.params !== undefined && !isRecord(raw.params)) {
      throw new TableError(`${named}: params must be a mapping`);
    }
    const facts = raw.facts ?? {};
    if (!isRecord(facts)) {
      throw new TableError(`${named}: facts must be a mapping`);
    }
    requireKeys(`${named} facts`, facts, FACT_KEYS, []);
    if (!Array.isArray(raw.expect) || raw.expect.length === 0) {
      throw new TableError(`${named}: expect must be a non-empty list (every evaluation yields at least one finding)`);
    }
    const expect = (raw.expect as unknown[]).map((entry, i) => validateExpectation(`${named} expect #${i + 1}`, entry));
    const kind = raw.kind as CaseKind;
    if (!expect.some((expectation) => expectation.status === KIND_STATUS[kind])) {
      throw new TableError(`${named}: a "${kind}" case must expect at least one ${KIND_STATUS[kind]} finding`);
    }
    if (kind in unreachable) {
      throw new TableError(`${named}: kind ${kind} is declared unreachable`);
    }
    if (raw.pending !== undefined && (typeof raw.pending !== 'string' || raw.pending.length < 20)) {
      throw new TableError(`${named}: pending needs a reason (at least 20 characters)`);
    }
    return {
      name: raw.name,
      kind,
      facts,
      expect,
      ...(raw.params === undefined ? {} : { params: raw.params }),
      ...(raw.pending === undefined ? {} : { pending: raw.pending }),
    };
  });
  return { file, check: data.check, unreachable: unreachable, cases };
}

export function caseTableFile(checkId: string): string {
  return join(CASES_DIR, `${checkId}.cases.yaml`);
}

export function loadCaseTable(checkId: string): CaseTable {
  const file = caseTableFile(checkId);
  if (!existsSync(file)) {
    throw new TableError(`no case table for ${checkId}: expected ${file}`);
  }
  const table = parseCaseTable(readFileSync(file, 'utf8'), file);
  if (table.check !== checkId) {
    throw new TableError(`${file}: check is ${table.check}, expected ${checkId}`);
  }
  return table;
}

/** Every check must be shown passing, failing, not applicable and unknown (pending cases do not count). */
export function missingKinds(table: CaseTable): CaseKind[] {
  return CASE_KINDS.filter(
    (kind) => !(kind in table.unreachable) && !table.cases.some((testCase) => testCase.kind === kind && testCase.pending === undefined),
  );
}

export function assertCoverage(table: CaseTable): void {
  const missing = missingKinds(table);
  if (missing.length > 0) {
    throw new assert.AssertionError({
      message: `${table.file}: ${table.check} has no ${missing.join(', ')} case (every check needs pass, fail, not_applicable and unknown cases; only not_applicable may be declared unreachable, with a reason)`,
    });
  }
}

/* ------------------------------------------------------------------ fact builders */

/** Replace every `{$unknown: reason}` shorthand by a real Unknown marker. */
export function expandUnknowns(value: unknown, where = 'facts'): unknown {
  if (Array.isArray(value)) {
    return value.map((entry, index) => expandUnknowns(entry, `${where}[${index}]`));
  }
  if (!isRecord(value)) {
    return value;
  }
  if ('$unknown' in value) {
    const reason = value.$unknown;
    if (typeof reason !== 'string' || !UNKNOWN_REASONS.includes(reason as UnknownReason)) {
      throw new TableError(`${where}: $unknown must be one of ${UNKNOWN_REASONS.join(', ')}`);
    }
    requireKeys(where, value, ['$unknown', 'operation', 'message'], []);
    const message = typeof value.message === 'string' ? value.message : `(test) ${where} could not be read: ${reason}.`;
    return unknown(reason as UnknownReason, message, typeof value.operation === 'string' ? { operation: value.operation } : {});
  }
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, expandUnknowns(entry, `${where}.${key}`)]));
}

interface BuildContext {
  readonly regions: readonly string[];
  readonly accountPublicAccessBlock: Maybe<PublicAccessBlock | null>;
}

function stringField(where: string, value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TableError(`${where}: ${name} must be a non-empty string`);
  }
  return value;
}

export function trailArn(name: string, homeRegion = 'us-east-1', owner = ACCOUNT_ID): string {
  return `arn:${PARTITION}:cloudtrail:${homeRegion}:${owner}:trail/${name}`;
}

/** The selector AWS returns for a trail that never had custom selectors (CONTROLS §3.1.5). */
const AWS_DEFAULT_SELECTORS: EventSelectorsShape = {
  EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
};

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
  const hasCustomEventSelectors = (has('hasCustomEventSelectors') ? o.hasCustomEventSelectors : has('eventSelectors')) as Maybe<boolean>;
  const eventSelectors = normaliseSelectors(`${where}.eventSelectors`, has('eventSelectors') ? o.eventSelectors : AWS_DEFAULT_SELECTORS);
  const managementEvents = has('managementEvents')
    ? o.managementEvents
    : isUnknown(eventSelectors)
      ? eventSelectors
      : managementEventCoverage(eventSelectors, isUnknown(hasCustomEventSelectors) ? undefined : hasCustomEventSelectors);
  const isLogging = (has('isLogging') ? o.isLogging : true) as Maybe<boolean>;
  const status = has('status') ? o.status : isUnknown(isLogging) ? isLogging : { isLogging };
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

function publicAccessBlock(where: string, raw: unknown): Maybe<PublicAccessBlock | null> {
  if (raw === null || isUnknown(raw)) {
    return raw;
  }
  if (!isRecord(raw)) {
    throw new TableError(`${where}: publicAccessBlock must be a mapping of flags, null or an Unknown`);
  }
  requireKeys(where, raw, ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'], []);
  return { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false, ...raw };
}

const OWNER_GRANT: AclGrant = { granteeType: 'CanonicalUser', id: '79a59df900b949e55d96a1e698fbaced', permission: 'FULL_CONTROL' };

function aclGrant(where: string, raw: unknown): AclGrant {
  if (!isRecord(raw)) {
    throw new TableError(`${where}: an ACL grant must be a mapping`);
  }
  if ('group' in raw) {
    requireKeys(where, raw, ['group', 'permission', 'scheme'], ['group']);
    const scheme = typeof raw.scheme === 'string' ? raw.scheme : 'http';
    return {
      granteeType: 'Group',
      uri: `${scheme}://acs.amazonaws.com/groups/${raw.group === 'LogDelivery' ? 's3' : 'global'}/${String(raw.group)}`,
      permission: typeof raw.permission === 'string' ? raw.permission : 'READ',
    };
  }
  requireKeys(where, raw, ['granteeType', 'uri', 'id', 'permission'], ['granteeType', 'permission']);
  return raw as unknown as AclGrant;
}

const BUCKET_KEYS = [
  'name',
  'acl',
  'policy',
  'policyStatusIsPublic',
  'publicAccessBlock',
  'objectOwnership',
  'logging',
  'publicAccess',
  'trailArns',
  'unreadable',
];

/** A bucket as the live collector describes it; `publicAccess` from the real derivation. */
export function buildBucket(compact: Compact, context: BuildContext, trails: readonly TrailFacts[], where = 'bucket'): BucketFacts {
  requireKeys(where, compact, BUCKET_KEYS, ['name']);
  const name = stringField(where, compact.name, 'name');
  const id = `arn:${PARTITION}:s3:::${name}`;
  const o = expandUnknowns(compact, where) as Record<string, unknown>;
  const trailArns = (o.trailArns ?? trails.filter((trail) => trail.s3BucketName === name).map((trail) => trail.arn)) as string[];
  if (o.unreadable !== undefined) {
    // The collector's shape for a bucket in another account or one that does not exist.
    const reason = o.unreadable as UnknownReason;
    if (!UNKNOWN_REASONS.includes(reason) || Object.keys(o).some((key) => !['name', 'unreadable', 'trailArns'].includes(key))) {
      throw new TableError(`${where}: unreadable takes a reason and excludes other bucket fields`);
    }
    const gap = unknown(reason, `(test) bucket ${name} could not be read: ${reason}.`, { operation: 's3:GetBucketLocation' });
    return {
      ref: { type: 'AWS::S3::Bucket', id, name, accountId: null, region: 'unknown' },
      name,
      region: gap,
      ownerAccountId: gap,
      trailArns,
      acl: gap,
      policy: gap,
      policyStatusIsPublic: gap,
      publicAccessBlock: gap,
      objectOwnership: gap,
      publicAccess: gap,
      logging: gap,
    };
  }
  const region = context.regions[0] ?? 'us-east-1';
  const acl: Maybe<readonly AclGrant[]> =
    o.acl === undefined
      ? [OWNER_GRANT]
      : isUnknown(o.acl)
        ? o.acl
        : (o.acl as unknown[]).map((grant, index) => aclGrant(`${where}.acl[${index}]`, grant));
  const policy: Maybe<string | null> =
    o.policy === undefined || o.policy === null ? null : isUnknown(o.policy) || typeof o.policy === 'string' ? o.policy : JSON.stringify(o.policy);
  const policyStatusIsPublic = (o.policyStatusIsPublic ?? null) as Maybe<boolean | null>;
  const bucketPab = publicAccessBlock(`${where}.publicAccessBlock`, o.publicAccessBlock ?? null);
  const objectOwnership = (o.objectOwnership ?? null) as Maybe<string | null>;
  type Logging = BucketFacts['logging'];
  const logging: Logging =
    o.logging === undefined
      ? { targetBucket: 'access-logs', targetPrefix: `${name}/` }
      : isRecord(o.logging) && !isUnknown(o.logging)
        ? ({ targetPrefix: '', ...o.logging } as Logging)
        : (o.logging as Logging);
  const publicAccess =
    (o.publicAccess as BucketFacts['publicAccess']) ??
    evaluatePublicAccess({
      acl,
      objectOwnership,
      bucketPublicAccessBlock: bucketPab,
      accountPublicAccessBlock: context.accountPublicAccessBlock,
      policy,
      policyStatusIsPublic,
    });
  return {
    ref: { type: 'AWS::S3::Bucket', id, name, accountId: ACCOUNT_ID, region },
    name,
    region,
    ownerAccountId: ACCOUNT_ID,
    trailArns,
    acl,
    policy,
    policyStatusIsPublic,
    publicAccessBlock: bucketPab,
    objectOwnership,
    publicAccess,
    logging,
  };
}

export function buildEventDataStore(compact: Compact, context: BuildContext, where = 'eventDataStore'): EventDataStoreFacts {
  requireKeys(where, compact, ['name', 'region', 'status', 'kmsKeyId', 'multiRegionEnabled', 'organizationEnabled'], ['name']);
  const name = stringField(where, compact.name, 'name');
  const region = compact.region === undefined ? (context.regions[0] ?? 'us-east-1') : stringField(where, compact.region, 'region');
  const arn = `arn:${PARTITION}:cloudtrail:${region}:${ACCOUNT_ID}:eventdatastore/${name}`;
  const { name: _name, region: _region, ...overrides } = expandUnknowns(compact, where) as Record<string, unknown>;
  return {
    ref: { type: 'AWS::CloudTrail::EventDataStore', id: arn, name, accountId: ACCOUNT_ID, region },
    arn,
    name,
    region,
    status: 'ENABLED',
    kmsKeyId: `arn:${PARTITION}:kms:${region}:${ACCOUNT_ID}:key/5c1d9a3e-2222-4b3c-8d4e-lakekey00001`,
    multiRegionEnabled: true,
    organizationEnabled: false,
    ...overrides,
  };
}

export function buildEventDataStoreGap(compact: Compact, where = 'eventDataStoreGap'): EventDataStoreGap {
  requireKeys(where, compact, ['region', 'reason'], ['region', 'reason']);
  const region = stringField(where, compact.region, 'region');
  const reason = compact.reason as UnknownReason;
  if (!UNKNOWN_REASONS.includes(reason)) {
    throw new TableError(`${where}: reason must be one of ${UNKNOWN_REASONS.join(', ')}`);
  }
  return {
    ref: {
      type: 'AWS::CloudTrail::EventDataStore',
      id: `arn:${PARTITION}:cloudtrail:${region}:${ACCOUNT_ID}:eventdatastore/*`,
      accountId: ACCOUNT_ID,
      region,
    },
    $gap: { reason, message: `(test) ListEventDataStores failed in ${region}: ${reason}.`, operation: 'cloudtrail:ListEventDataStores', region },
    region,
  };
}

function listOf(where: string, value: unknown): Compact[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw new TableError(`${where} must be a list of mappings`);
  }
  return value;
}

/** A complete FactSet from compact facts; validated against schemas/facts.schema.json. */
export function buildFacts(compact: Compact): FactSet {
  requireKeys('facts', compact, FACT_KEYS, []);
  const regions = (compact.regions ?? ['us-east-1']) as string[];
  if (!Array.isArray(regions) || !regions.every((region) => typeof region === 'string')) {
    throw new TableError('facts.regions must be a list of region names');
  }
  const accountCompact = (compact.account ?? {}) as Compact;
  requireKeys('facts.account', accountCompact, ['publicAccessBlock'], []);
  const accountPab = publicAccessBlock('facts.account.publicAccessBlock', expandUnknowns(accountCompact.publicAccessBlock ?? null));
  const context: BuildContext = { regions, accountPublicAccessBlock: accountPab };
  const trails = listOf('facts.trails', compact.trails).map((trail, index) => buildTrail(trail, context, `facts.trails[${index}]`));
  const gaps = listOf('facts.trailGaps', compact.trailGaps).map((gap, index) => buildTrailGap(gap, `facts.trailGaps[${index}]`));
  // As the live collector does: a region whose trails could not be listed hides their log buckets.
  const buckets = [
    ...listOf('facts.buckets', compact.buckets).map((bucket, index) => buildBucket(bucket, context, trails, `facts.buckets[${index}]`)),
    ...gaps.map((gap) => bucketGap(gap.homeRegion, gap.$gap, ACCOUNT_ID, PARTITION)),
  ];
  const stores = listOf('facts.eventDataStores', compact.eventDataStores).map((store, index) =>
    buildEventDataStore(store, context, `facts.eventDataStores[${index}]`),
  );
  const storeGaps = listOf('facts.eventDataStoreGaps', compact.eventDataStoreGaps).map((gap, index) =>
    buildEventDataStoreGap(gap, `facts.eventDataStoreGaps[${index}]`),
  );
  const collected = (compact.collected ?? FACT_NEEDS) as FactNeed[];
  if (!Array.isArray(collected) || !collected.every((need) => FACT_NEEDS.includes(need))) {
    throw new TableError(`facts.collected must list fact needs among ${FACT_NEEDS.join(', ')}`);
  }
  const facts: FactSet = {
    schemaVersion: 1,
    source: 'live',
    collectedAt: `${TODAY}T00:00:00.000Z`,
    collected,
    account: {
      ref: { type: 'AWS::::Account', id: ACCOUNT_ID, accountId: ACCOUNT_ID, region: 'global' },
      id: ACCOUNT_ID,
      partition: PARTITION,
      publicAccessBlock: accountPab,
    },
    regions: regions.map((name) => ({ ref: { type: 'AWS::::Account', id: ACCOUNT_ID, accountId: ACCOUNT_ID, region: name }, name })),
    trails: [...trails, ...gaps],
    buckets,
    eventDataStores: [...stores, ...storeGaps],
    stats: { apiCalls: {}, durationMs: 0 },
  };
  // The snapshot schema is what `trailaudit evaluate` accepts: built facts must be loadable too.
  const validate = schemaValidator('facts.schema.json');
  if (!validate(JSON.parse(JSON.stringify(facts)))) {
    throw new TableError(`built facts do not satisfy facts.schema.json: ${JSON.stringify(validate.errors)}`);
  }
  return facts;
}

/* ------------------------------------------------------------------ running and asserting */

/** Evaluate one check (as rules.yaml would configure it with `params`) over the case's facts. */
export function runCase(checks: readonly CheckDefinition[], checkId: string, testCase: Pick<CheckCase, 'name' | 'params' | 'facts'>): Finding[] {
  const rulesText = JSON.stringify({ version: 1, checks: { [checkId]: { parameters: testCase.params ?? {} } } });
  const rules = parseRules(rulesText, `case "${testCase.name}" params`, checks);
  const enabled = enabledChecks(checks, rules, [checkId]);
  assert.equal(enabled.length, 1, `exactly one enabled check for ${checkId}`);
  return [...evaluate({ checks: enabled, facts: buildFacts(testCase.facts), suppressions: [], today: TODAY }).findings];
}

export function findingMatches(finding: Finding, expectation: Expectation): boolean {
  return (
    finding.status === expectation.status &&
    (finding.resource.id === expectation.resource || finding.resource.name === expectation.resource) &&
    (expectation.region === undefined || finding.resource.region === expectation.region) &&
    (expectation.reason === undefined || finding.reason === expectation.reason) &&
    (expectation.message === undefined || finding.message.includes(expectation.message))
  );
}

function describeFinding(finding: Finding): string {
  const reason = finding.reason === null ? '' : ` (${finding.reason})`;
  return `${finding.status}${reason} ${finding.resource.id} [${finding.resource.region}]: ${finding.message}`;
}

function describeExpectation(expectation: Expectation): string {
  return JSON.stringify(expectation);
}

/** Invariants every finding must satisfy, whatever the check. */
export function assertWellFormed(finding: Finding): void {
  assert.equal(finding.reason === null, finding.status !== 'UNKNOWN', `reason is set exactly for UNKNOWN: ${describeFinding(finding)}`);
  assert.equal(finding.remediation !== '', finding.status === 'FAIL', `remediation is rendered exactly for FAIL: ${describeFinding(finding)}`);
  assert.doesNotMatch(finding.message, /\{\{/u, `message has no unrendered placeholder: ${finding.message}`);
  assert.doesNotMatch(finding.remediation, /\{\{/u, `remediation has no unrendered placeholder: ${finding.remediation}`);
  if (finding.status === 'UNKNOWN') {
    assert.ok(finding.unknowns.length > 0, `an UNKNOWN finding says what could not be read: ${describeFinding(finding)}`);
  }
}

/**
 * The findings are exactly the expected ones: a one-to-one matching between expectations and
 * findings (augmenting paths, so a loose expectation cannot steal a finding a strict one needs).
 */
export function assertFindingsMatch(findings: readonly Finding[], expectations: readonly Expectation[]): void {
  const ownerOf = new Map<number, number>(); // finding index → expectation index
  const tryAssign = (e: number, seen: Set<number>): boolean => {
    const expectation = expectations[e];
    if (expectation === undefined) {
      return false;
    }
    for (let f = 0; f < findings.length; f += 1) {
      const finding = findings[f];
      if (finding === undefined || seen.has(f) || !findingMatches(finding, expectation)) {
        continue;
      }
      seen.add(f);
      const owner = ownerOf.get(f);
      if (owner === undefined || tryAssign(owner, seen)) {
        ownerOf.set(f, e);
        return true;
      }
    }
    return false;
  };
  const unmatched = expectations.filter((_expectation, e) => !tryAssign(e, new Set()));
  const unexpected = findings.filter((_finding, f) => !ownerOf.has(f));
  if (unmatched.length > 0 || unexpected.length > 0) {
    throw new assert.AssertionError({
      message: [
        'findings do not match the expectations',
        ...unmatched.map((expectation) => `  expected but not found: ${describeExpectation(expectation)}`),
        ...unexpected.map((finding) => `  found but not expected: ${describeFinding(finding)}`),
        '  all findings:',
        ...findings.map((finding) => `    ${describeFinding(finding)}`),
      ].join('\n'),
    });
  }
}

/** Run one case and assert its findings. */
export function checkCase(checks: readonly CheckDefinition[], checkId: string, testCase: CheckCase): Finding[] {
  const findings = runCase(checks, checkId, testCase);
  findings.forEach(assertWellFormed);
  assertFindingsMatch(findings, testCase.expect);
  return findings;
}

/**
 * Run a case marked pending: 'pending' while it still fails, an AssertionError once it passes
 * (the disagreement was fixed: remove the marker so the case guards the fix).
 */
export function checkPendingCase(checks: readonly CheckDefinition[], checkId: string, testCase: CheckCase): 'pending' {
  try {
    checkCase(checks, checkId, testCase);
  } catch {
    return 'pending';
  }
  throw new assert.AssertionError({ message: `case "${testCase.name}" is marked pending (${testCase.pending ?? ''}) but passes now: remove "pending"` });
}

