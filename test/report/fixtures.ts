/**
 * Shared report fixtures: a handful of checks and findings that together cover every status,
 * active / expired / unused suppressions, UNKNOWN with the permission or account needed,
 * account-, region-, trail- and bucket-level resources, a check with no findings, and ids with
 * `|`, `<&>`, quotes and backticks that must not break XML or Markdown tables.
 */
import type { CheckDefinition, Finding, Severity, Suppression, SuppressionRecord } from '../../src/engine/types.js';
import type { ReportContext } from '../../src/report/types.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

function check(id: string, severity: Severity, resourceType: string, scope: CheckDefinition['scope'], extra: Partial<CheckDefinition> = {}): CheckDefinition {
  return {
    id,
    title: `${id} title`,
    description: `${id} description`,
    severity,
    resourceType,
    scope,
    given: 'trails',
    assert: { path: 'x', op: 'eq', value: true },
    parameters: {},
    messages: { pass: 'ok', fail: 'bad', notApplicable: 'n/a', none: 'none', unknown: 'unknown' },
    evidence: [],
    remediation: { text: `Fix ${id}.`, cli: '', cloudformation: '', terraform: '', url: '' },
    frameworks: { securityhub: [id] },
    needs: ['trails'],
    permissions: ['cloudtrail:DescribeTrails'],
    ...extra,
  };
}

export const CHECKS: readonly CheckDefinition[] = [
  check('CloudTrail.1', 'high', 'AWS::::Account', 'account', {
    title: 'CloudTrail should be enabled with at least one multi-Region trail',
    frameworks: { securityhub: ['CloudTrail.1'], 'cis-aws-1.4': ['3.1'], 'nist-800-53-r5': ['AU-2', 'AU-12'] },
  }),
  check('CloudTrail.3', 'high', 'AWS::::Account', 'region', { title: 'At least one CloudTrail trail should be enabled' }),
  check('CloudTrail.4', 'low', 'AWS::CloudTrail::Trail', 'resource', {
    title: 'CloudTrail log file validation should be enabled',
    evidence: ['logFileValidationEnabled'],
    remediation: {
      text: 'Enable log file validation on the trail.',
      cli: 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation',
      cloudformation: 'Type: AWS::CloudTrail::Trail\nProperties:\n  EnableLogFileValidation: true',
      terraform: 'resource "aws_cloudtrail" "main" {\n  enable_log_file_validation = true\n}',
      url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-4',
    },
    frameworks: { securityhub: ['CloudTrail.4'], 'cis-aws-1.4': ['3.2'], 'pci-dss-3.2.1': ['10.5.2'] },
  }),
  check('CloudTrail.6', 'critical', 'AWS::S3::Bucket', 'resource', {
    title: 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible',
    needs: ['trails', 'bucketPublicAccess'],
  }),
  // Enabled but produces no findings: reports must still list it.
  check('CloudTrail.10', 'medium', 'AWS::CloudTrail::EventDataStore', 'resource', { title: 'CloudTrail Lake event data stores should be encrypted' }),
];

function checkById(id: string): CheckDefinition {
  const found = CHECKS.find((c) => c.id === id);
  if (!found) {
    throw new Error(`no fixture check ${id}`);
  }
  return found;
}

type FindingInput = Partial<Finding> & Pick<Finding, 'checkId' | 'status' | 'resource'>;

export function makeFinding(input: FindingInput): Finding {
  const def = checkById(input.checkId);
  return {
    control: input.checkId,
    title: def.title,
    severity: def.severity.toUpperCase() as Uppercase<Severity>,
    reason: null,
    message: `${input.checkId} ${input.status} for ${input.resource.id}`,
    evidence: {},
    remediation: def.remediation.text,
    frameworks: def.frameworks,
    suppressed: null,
    unknowns: [],
    ...input,
    location: input.location ?? null,
  };
}

export const TRAIL_PIPE = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main|prod`;
export const TRAIL_LEGACY = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/legacy-1`;
export const TRAIL_SPECIAL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/a<&>"b"`;
export const TRAIL_ORG = `arn:aws:cloudtrail:us-east-1:${OTHER_ACCOUNT}:trail/org`;
export const BUCKET_CROSS = 'arn:aws:s3:::central-logs';
export const BUCKET_DENIED = 'arn:aws:s3:::denied-logs';
export const BUCKET_SUPPRESSED = 'arn:aws:s3:::sandbox-logs';
export const BUCKET_OK = 'arn:aws:s3:::audit-logs';

export const SUPPRESSION_LEGACY: Suppression = {
  check: 'CloudTrail.4',
  resource: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/legacy-*`,
  reason: 'legacy trail, replaced in Q3 (SEC-123)',
  expires: '2027-06-30',
};
export const SUPPRESSION_SANDBOX: Suppression = {
  check: 'CloudTrail.6',
  resource: 'arn:aws:s3:::sandbox-*',
  reason: 'sandbox account | no production data',
  expires: '2027-01-01',
};
export const SUPPRESSION_EXPIRED: Suppression = {
  check: 'CloudTrail.4',
  resource: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main*`,
  reason: 'migration window (SEC-99)',
  expires: '2024-01-31',
};
export const SUPPRESSION_UNUSED: Suppression = {
  check: 'CloudTrail.1',
  resource: '999999999999',
  region: 'eu-*',
  reason: 'decommissioned account',
  expires: '2030-12-31',
};

/** Sorted as the engine sorts: control, account, region, resource id. */
export const FINDINGS: readonly Finding[] = [
  makeFinding({
    checkId: 'CloudTrail.1',
    status: 'FAIL',
    resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' },
    message: 'No multi-Region trail logs read and write management events.',
    evidence: { multiRegionTrails: [], trailsChecked: 2 },
    remediation: 'aws cloudtrail create-trail --name org --is-multi-region-trail --s3-bucket-name <bucket>',
  }),
  makeFinding({
    checkId: 'CloudTrail.3',
    status: 'PASS',
    resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'eu-west-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.3',
    status: 'FAIL',
    resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'us-east-1' },
    message: 'No trail logs events in us-east-1.',
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_PIPE, name: 'main|prod', accountId: ACCOUNT, region: 'us-east-1' },
    message: 'Trail main|prod does not have `log file validation` enabled.',
    evidence: { logFileValidationEnabled: false, note: 'line one\nline two | <b>' },
    remediation: `aws cloudtrail update-trail --name 'main|prod' --enable-log-file-validation`,
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_LEGACY, name: 'legacy-1', accountId: ACCOUNT, region: 'us-east-1' },
    message: 'Trail legacy-1 does not have log file validation enabled.',
    evidence: { logFileValidationEnabled: false },
    suppressed: { reason: SUPPRESSION_LEGACY.reason, expires: SUPPRESSION_LEGACY.expires, resource: SUPPRESSION_LEGACY.resource },
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'PASS',
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_SPECIAL, name: 'a<&>"b"', accountId: ACCOUNT, region: 'us-east-1' },
    message: 'Trail a<&>"b" has log file validation enabled.',
    evidence: { logFileValidationEnabled: true },
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'NOT_APPLICABLE',
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_ORG, name: 'org', accountId: OTHER_ACCOUNT, region: 'us-east-1' },
    message: `Organization trail org is owned by account ${OTHER_ACCOUNT}, which is not in scope.`,
  }),
  makeFinding({
    checkId: 'CloudTrail.6',
    status: 'PASS',
    resource: { type: 'AWS::S3::Bucket', id: BUCKET_OK, name: 'audit-logs', accountId: ACCOUNT, region: 'us-east-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.6',
    status: 'UNKNOWN',
    reason: 'cross_account',
    resource: { type: 'AWS::S3::Bucket', id: BUCKET_CROSS, name: 'central-logs', accountId: OTHER_ACCOUNT, region: 'us-east-1' },
    message: `Bucket central-logs belongs to account ${OTHER_ACCOUNT}; its public access could not be read.`,
    unknowns: [
      {
        reason: 'cross_account',
        message: 'The bucket ACL belongs to another account.',
        operation: 's3:GetBucketAcl',
        region: 'us-east-1',
        account: OTHER_ACCOUNT,
      },
    ],
  }),
  makeFinding({
    checkId: 'CloudTrail.6',
    status: 'UNKNOWN',
    reason: 'access_denied',
    resource: { type: 'AWS::S3::Bucket', id: BUCKET_DENIED, name: 'denied-logs', accountId: ACCOUNT, region: 'us-east-1' },
    message: 'Access denied reading bucket denied-logs.',
    evidence: { acl: { $unknown: { reason: 'access_denied', message: 'AccessDenied', operation: 's3:GetBucketAcl' } } },
    unknowns: [
      { reason: 'access_denied', message: 'GetBucketAcl was denied.', operation: 's3:GetBucketAcl', region: 'us-east-1' },
      { reason: 'access_denied', message: 'GetBucketPolicy was denied.', operation: 's3:GetBucketPolicy', region: 'us-east-1' },
    ],
  }),
  makeFinding({
    checkId: 'CloudTrail.6',
    status: 'UNKNOWN',
    reason: 'access_denied',
    resource: { type: 'AWS::S3::Bucket', id: BUCKET_SUPPRESSED, name: 'sandbox-logs', accountId: ACCOUNT, region: 'us-west-2' },
    message: 'Access denied reading bucket sandbox-logs.',
    unknowns: [{ reason: 'access_denied', message: 'GetBucketAcl was denied.', operation: 's3:GetBucketAcl', region: 'us-west-2' }],
    // SUPPRESSION_SANDBOX matches it, but a suppression never closes an UNKNOWN (see REGISTER).
  }),
];

function findingOf(resourceId: string): Finding {
  const found = FINDINGS.find((f) => f.resource.id === resourceId);
  if (found === undefined) {
    throw new Error(`no fixture finding for ${resourceId}`);
  }
  return found;
}

/**
 * The engine's suppression register for FINDINGS on 2025-01-15 (a test in suppressionRegister.test.ts
 * checks it against the engine itself).
 */
export const REGISTER: readonly SuppressionRecord[] = [
  { suppression: SUPPRESSION_LEGACY, state: 'active', matched: [findingOf(TRAIL_LEGACY)] },
  // Matched only an UNKNOWN finding, which a suppression cannot accept.
  { suppression: SUPPRESSION_SANDBOX, state: 'unused', matched: [findingOf(BUCKET_SUPPRESSED)] },
  { suppression: SUPPRESSION_EXPIRED, state: 'expired', matched: [findingOf(TRAIL_PIPE)] },
  { suppression: SUPPRESSION_UNUSED, state: 'unused', matched: [] },
];

export function makeContext(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    tool: { name: 'trailaudit', version: '0.1.0' },
    scope: { source: 'live', accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1', 'us-west-2'], inputs: [] },
    startedAt: '2025-01-15T10:00:00.000Z',
    finishedAt: '2025-01-15T10:00:02.500Z',
    stats: { apiCalls: { 'cloudtrail:DescribeTrails': 3, 's3:GetBucketAcl': 4, 'cloudtrail:GetTrailStatus': 2 }, durationMs: 2500 },
    checks: CHECKS,
    checkParameters: {},
    suppressions: REGISTER,
    failOn: 'low',
    allowUnknown: false,
    baseline: null,
    ...overrides,
  };
}

/** Expected totals over FINDINGS (suppressed findings keep their status). */
export const EXPECTED_SUMMARY = { PASS: 3, FAIL: 4, UNKNOWN: 3, NOT_APPLICABLE: 1, suppressed: 1 } as const;

/**
 * The previous run, for the baseline diff. Against FINDINGS:
 * new: CloudTrail.3 us-east-1; still failing: CloudTrail.1, CloudTrail.4 main|prod;
 * fixed: CloudTrail.3 eu-west-1 (same id, other region), CloudTrail.4 a<&>"b" (now PASS),
 * CloudTrail.4 deleted (no longer reported); not confirmed: central-logs (now UNKNOWN).
 * The suppressed legacy FAIL in the baseline is not a failure and must appear nowhere.
 */
export const PREVIOUS_FINDINGS: readonly Finding[] = [
  makeFinding({
    checkId: 'CloudTrail.1',
    status: 'FAIL',
    resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' },
  }),
  makeFinding({
    checkId: 'CloudTrail.3',
    status: 'FAIL',
    resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'eu-west-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.3',
    status: 'PASS',
    resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'us-east-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/deleted`, accountId: ACCOUNT, region: 'us-east-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_PIPE, accountId: ACCOUNT, region: 'us-east-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_LEGACY, accountId: ACCOUNT, region: 'us-east-1' },
    suppressed: { reason: 'old', expires: '2026-01-01', resource: TRAIL_LEGACY },
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_SPECIAL, accountId: ACCOUNT, region: 'us-east-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.6',
    status: 'FAIL',
    resource: { type: 'AWS::S3::Bucket', id: BUCKET_CROSS, accountId: OTHER_ACCOUNT, region: 'us-east-1' },
  }),
];
