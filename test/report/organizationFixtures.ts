/**
 * Organization report fixtures: the findings the engine gives for a 3-account organization (the
 * management account, covered by its own organization trail; a log-archive account covered by
 * its own trail only; a member whose role could not be assumed) with one suspended account
 * skipped, and a generator of a 200-account organization's findings over the shipped checks.
 */
import type { CheckDefinition, Finding, Status } from '../../src/engine/types.js';
import type { OrganizationScope, ReportContext } from '../../src/report/types.js';
import { makeContext, makeFinding } from './fixtures.js';

export const MGMT = '111111111111';
export const LOG_ARCHIVE = '222222222222';
export const MEMBER = '333333333333';
export const SUSPENDED = '444444444444';
export const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
export const ARCHIVE_TRAIL = `arn:aws:cloudtrail:eu-west-1:${LOG_ARCHIVE}:trail/archive-trail`;
export const ORG_BUCKET = 'arn:aws:s3:::org-cloudtrail-logs';
export const ROLE_FAILED = `Could not assume arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole: AccessDenied (the role is missing or does not trust ${MGMT}).`;

const REGIONS = ['eu-west-1', 'us-east-1'];

function account(id: string, region = 'global'): Finding['resource'] {
  return { type: 'AWS::::Account', id, accountId: id, region };
}

/** CloudTrail.1's `trails` evidence item (checks/cloudtrail/CloudTrail.1.yaml), qualifying. */
function qualifying(arn: string, isOrganizationTrail: boolean): Record<string, unknown> {
  return { arn, isMultiRegion: true, isLogging: true, 'managementEvents.allInOneSelector': true, 'managementEvents.explanation': 'default selector', isOrganizationTrail };
}

function unreachable(checkId: 'CloudTrail.1' | 'CloudTrail.3', region = 'global'): Finding {
  return makeFinding({
    checkId,
    status: 'UNKNOWN',
    reason: 'access_denied',
    resource: account(MEMBER, region),
    message: `Could not evaluate account ${MEMBER}. ${ROLE_FAILED}`,
    unknowns: [{ reason: 'access_denied', message: ROLE_FAILED, operation: 'sts:AssumeRole', account: MEMBER }],
  });
}

/** Sorted as the engine sorts: control, account, region, resource. */
export const ORG_FINDINGS: readonly Finding[] = [
  makeFinding({ checkId: 'CloudTrail.1', status: 'PASS', resource: account(MGMT), evidence: { trails: [qualifying(ORG_TRAIL, true)] } }),
  makeFinding({
    checkId: 'CloudTrail.1',
    status: 'PASS',
    resource: account(LOG_ARCHIVE),
    evidence: { trails: [qualifying(ARCHIVE_TRAIL, false), { ...qualifying(`arn:aws:cloudtrail:eu-west-1:${LOG_ARCHIVE}:trail/stopped`, false), isLogging: false }] },
  }),
  unreachable('CloudTrail.1'),
  ...REGIONS.map((region) => makeFinding({ checkId: 'CloudTrail.3', status: 'PASS', resource: account(MGMT, region) })),
  makeFinding({ checkId: 'CloudTrail.3', status: 'FAIL', resource: account(LOG_ARCHIVE, 'eu-west-1'), message: 'No logging trail covers eu-west-1 in account 222222222222.' }),
  makeFinding({ checkId: 'CloudTrail.3', status: 'PASS', resource: account(LOG_ARCHIVE, 'us-east-1') }),
  ...REGIONS.map((region) => unreachable('CloudTrail.3', region)),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: ORG_TRAIL, name: 'org-trail', accountId: MGMT, region: 'us-east-1' },
    message: 'Trail org-trail does not have log file validation enabled.',
    evidence: { logFileValidationEnabled: false },
    remediation: 'aws cloudtrail update-trail --name org-trail --enable-log-file-validation',
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'PASS',
    resource: { type: 'AWS::CloudTrail::Trail', id: ARCHIVE_TRAIL, name: 'archive-trail', accountId: LOG_ARCHIVE, region: 'eu-west-1' },
  }),
  makeFinding({
    checkId: 'CloudTrail.6',
    status: 'FAIL',
    resource: { type: 'AWS::S3::Bucket', id: ORG_BUCKET, name: 'org-cloudtrail-logs', accountId: LOG_ARCHIVE, region: 'us-east-1' },
    message: 'Bucket org-cloudtrail-logs is public through its ACL.',
    evidence: { 'publicAccess.via': ['acl'] },
  }),
];

export const ORGANIZATION: OrganizationScope = {
  id: 'o-abc123def4',
  managementAccountId: MGMT,
  callerAccountId: MGMT,
  roleName: 'OrganizationAccountAccessRole',
  accountNames: { [MGMT]: 'management', [LOG_ARCHIVE]: 'log-archive', [MEMBER]: 'workload', [SUSPENDED]: 'closed-sandbox' },
  skipped: [{ accountId: SUSPENDED, name: 'closed-sandbox', reason: 'suspended', message: 'SUSPENDED in organization o-abc123def4' }],
  unreachable: [{ accountId: MEMBER, reason: 'access_denied', message: ROLE_FAILED }],
  accountsInScope: 3,
};

export function orgContext(overrides: Partial<ReportContext> = {}): ReportContext {
  return makeContext({
    scope: { source: 'live', accounts: [MGMT, LOG_ARCHIVE, MEMBER], regions: REGIONS, inputs: [], organization: ORGANIZATION },
    suppressions: [],
    ...overrides,
  });
}

/* ------------------------------------------------------------------ 200 accounts */

export interface GeneratedOrganization {
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
  /** What the coverage line must say, by construction. */
  readonly expected: { readonly orgCovered: number; readonly ownOnly: number; readonly uncovered: number; readonly roleFailed: number };
}

/**
 * `count` accounts, each audited in two Regions against every given check: account and Region
 * controls one finding each, resource controls one trail or bucket each. Every tenth account's role
 * failed (UNKNOWN for its account and Region controls, nothing else); of the others, CloudTrail.1
 * passes through the organization trail in six of nine, through an own trail in two, fails in one;
 * other controls fail or are UNKNOWN now and then.
 */
export function generatedOrganization(checks: readonly CheckDefinition[], count: number): GeneratedOrganization {
  const findings: Finding[] = [];
  const accounts = Array.from({ length: count }, (_, i) => String(100000000000 + i));
  const expected = { orgCovered: 0, ownOnly: 0, uncovered: 0, roleFailed: 0 };
  const unreachableEntries: OrganizationScope['unreachable'][number][] = [];
  const orgTrail = `arn:aws:cloudtrail:us-east-1:${accounts[0] ?? ''}:trail/organization`;
  accounts.forEach((id, i) => {
    const roleFailed = i % 10 === 9;
    if (roleFailed) {
      expected.roleFailed += 1;
      unreachableEntries.push({ accountId: id, reason: 'access_denied', message: `Could not assume arn:aws:iam::${id}:role/OrganizationAccountAccessRole: AccessDenied.` });
    }
    checks.forEach((check, c) => {
      const base = {
        checkId: check.id,
        control: check.id,
        title: check.title,
        severity: check.severity.toUpperCase() as Finding['severity'],
        remediation: '',
        frameworks: check.frameworks,
        suppressed: null,
        location: null,
      };
      const resources: Finding['resource'][] =
        check.scope === 'account'
          ? [account(id)]
          : check.scope === 'region'
            ? REGIONS.map((region) => account(id, region))
            : roleFailed
              ? []
              : [
                  check.resourceType === 'AWS::S3::Bucket'
                    ? { type: check.resourceType, id: `arn:aws:s3:::trail-logs-${i}`, name: `trail-logs-${i}`, accountId: id, region: 'us-east-1' }
                    : { type: check.resourceType, id: `arn:aws:cloudtrail:us-east-1:${id}:trail/main`, name: 'main', accountId: id, region: 'us-east-1' },
                ];
      for (const resource of resources) {
        let status: Status = (i + c) % 7 === 0 ? 'FAIL' : (i + c) % 13 === 0 ? 'UNKNOWN' : 'PASS';
        let evidence: Record<string, unknown> = { logFileValidationEnabled: status === 'PASS' };
        if (check.id === 'CloudTrail.1' && !roleFailed) {
          const kind = i % 10;
          status = kind === 8 ? 'FAIL' : 'PASS';
          const own = qualifying(`arn:aws:cloudtrail:us-east-1:${id}:trail/main`, false);
          evidence = { trails: kind < 6 ? [qualifying(orgTrail, true), own] : kind < 8 ? [own] : [{ ...own, isLogging: false }] };
          expected[kind < 6 ? 'orgCovered' : kind < 8 ? 'ownOnly' : 'uncovered'] += 1;
        }
        if (roleFailed) {
          status = 'UNKNOWN';
        }
        findings.push({
          ...base,
          status,
          reason: status === 'UNKNOWN' ? 'access_denied' : null,
          resource,
          message: `${check.id} ${status} for ${resource.id} in ${resource.region}: a sentence of about the length real messages have.`,
          evidence,
          unknowns: status === 'UNKNOWN' ? [{ reason: 'access_denied', message: `Denied in account ${id}.`, operation: 'cloudtrail:DescribeTrails' }] : [],
        });
      }
    });
  });
  const context = makeContext({
    scope: {
      source: 'live',
      accounts,
      regions: REGIONS,
      inputs: [],
      organization: { ...ORGANIZATION, managementAccountId: accounts[0] ?? null, callerAccountId: accounts[0] ?? '', accountNames: Object.fromEntries(accounts.map((id, i) => [id, `account-${i}`])), skipped: [], unreachable: unreachableEntries, accountsInScope: count },
    },
    checks,
    suppressions: [],
  });
  return { findings, context, expected };
}
