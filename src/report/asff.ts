/**
 * `trailaudit.asff.json`: findings in the AWS Security Finding Format, as a JSON array ready for
 * `aws securityhub batch-import-findings --findings file://trailaudit.asff.json` (at most 100 per
 * call: split larger files). Facts from CONTROLS.md §3.5.
 *
 * - NOT_APPLICABLE findings are not exported (Security Hub archives them anyway).
 * - Compliance.Status: PASS → PASSED, FAIL → FAILED, UNKNOWN → NOT_AVAILABLE.
 * - Ids are stable per (check, account, region, resource) (src/securityhub/findingIdentity.ts) and
 *   GeneratorId is `trailaudit/<checkId>`, so a re-import updates the finding in place and the
 *   `--security-hub` import recognises findings imported from this file as its own.
 * - The product is the "default" custom integration product of the finding's own account: Security
 *   Hub accepts a default-product finding only from the account named in AwsAccountId.
 * - A suppressed finding (a FAIL accepted as a risk) stays FAILED, with Workflow SUPPRESSED and the
 *   reason and expiry in Note. Security Hub takes Workflow and Note only when it creates a finding:
 *   a re-import does not change them (BatchUpdateFindings does).
 * - The partition (ProductArn, Resources) follows the Region: aws-cn for cn-*, aws-us-gov for us-gov-*.
 * - Findings without an AWS account (infrastructure code) are not exported: ASFF requires one.
 */
import type { Finding } from '../engine/types.js';
import { findingId, RESOURCE_REGION_FIELD, WRITER_ACCOUNTS_FIELD, writerAccounts } from '../securityhub/findingIdentity.js';
import { asffResources } from './asffResources.js';
import type { Formatter, ReportContext } from './types.js';

const SCHEMA_VERSION = '2018-10-08';
const ACCOUNT_ID = /^\d{12}$/u;

const COMPLIANCE_STATUS: Readonly<Record<Finding['status'], string | null>> = {
  PASS: 'PASSED',
  FAIL: 'FAILED',
  UNKNOWN: 'NOT_AVAILABLE',
  NOT_APPLICABLE: null,
};

/** Framework keys of check files → the requirement prefix Security Hub writes. */
function requirementPrefix(framework: string): string | null {
  const cis = /^cis-aws-(\d+\.\d+\.\d+)$/u.exec(framework);
  if (cis?.[1] !== undefined) {
    return `CIS AWS Foundations Benchmark v${cis[1]}/`;
  }
  const pci = /^pci-dss-(\d+(?:\.\d+)*)$/u.exec(framework);
  if (pci?.[1] !== undefined) {
    return `PCI DSS v${pci[1]}/`;
  }
  if (framework === 'nist-800-53-r5') {
    return 'NIST.800-53.r5 ';
  }
  return null;
}

function relatedRequirements(finding: Finding): string[] {
  return Object.entries(finding.frameworks).flatMap(([framework, ids]) => {
    const prefix = requirementPrefix(framework);
    return prefix === null ? [] : ids.map((id) => `${prefix}${id}`);
  });
}

/**
 * The Security Hub control a check maps to (`frameworks.securityhub`), or null for a check outside
 * Security Hub's catalogue (TrailHealth.1, a CIS-only check): such a finding carries no
 * SecurityControlId, and is typed and linked by its own check instead.
 */
function securityControlOf(finding: Finding): string | null {
  return finding.frameworks.securityhub?.[0] ?? null;
}

/** Security Hub's page for a control: `<service>-controls.html#<service>-<n>` (CloudTrail.4 → cloudtrail-controls.html#cloudtrail-4). */
function controlDocumentation(control: string): string {
  const service = control.slice(0, control.indexOf('.')).toLowerCase();
  return `https://docs.aws.amazon.com/securityhub/latest/userguide/${service}-controls.html#${control.toLowerCase().replace('.', '-')}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) {
    return 'aws-cn';
  }
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The default custom product of an account in a Region: where Security Hub takes its own findings. */
export function defaultProductArn(accountId: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

function regionOf(finding: Finding, context: ReportContext): string {
  const region = finding.resource.region;
  return /^[a-z]{2}(-[a-z]+)+-\d$/u.test(region) ? region : (context.scope.regions[0] ?? 'us-east-1');
}

/** One finding in ASFF, or null when it is not exported (NOT_APPLICABLE, no account); also used by src/securityhub/. */
/** A log bucket's finding records the accounts whose trails write to it (none recorded when its evidence names no trail). */
function bucketWriters(finding: Finding): Record<string, string> {
  const accounts = finding.resource.type === 'AWS::S3::Bucket' ? writerAccounts(finding.evidence) : [];
  return accounts.length === 0 ? {} : { [WRITER_ACCOUNTS_FIELD]: accounts.join(',') };
}

export function asffFinding(finding: Finding, context: ReportContext): Record<string, unknown> | null {
  const status = COMPLIANCE_STATUS[finding.status];
  // A live finding without an owner (a bucket in another account) is still this audit's finding.
  const accountId = finding.resource.accountId ?? (context.scope.source === 'live' ? context.scope.accounts[0] : undefined) ?? '';
  if (status === null || !ACCOUNT_ID.test(accountId)) {
    return null;
  }
  const region = regionOf(finding, context);
  const partition = partitionOf(region);
  const severity = { Label: finding.severity };
  const control = securityControlOf(finding);
  const types = [
    control === null
      ? 'Software and Configuration Checks/AWS Security Best Practices'
      : 'Software and Configuration Checks/Industry and Regulatory Standards/AWS Foundational Security Best Practices',
  ];
  const url = control === null ? context.checks.find((check) => check.id === finding.checkId)?.remediation.url : controlDocumentation(control);
  const description = finding.status === 'UNKNOWN' ? `${finding.message} (reason: ${finding.reason ?? 'error'})` : finding.message;
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(finding, accountId),
    ProductArn: defaultProductArn(accountId, region),
    GeneratorId: `trailaudit/${finding.checkId}`,
    AwsAccountId: accountId,
    Region: region,
    Types: types,
    CreatedAt: context.finishedAt,
    UpdatedAt: context.finishedAt,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: types },
    Title: truncate(`${finding.control} ${finding.title}`, 256),
    Description: truncate(description, 1024),
    Remediation: {
      Recommendation: {
        Text: truncate(finding.status === 'FAIL' && finding.remediation !== '' ? finding.remediation : finding.title, 512),
        ...(url === undefined ? {} : { Url: url }),
      },
    },
    ProductFields: {
      'trailaudit/CheckId': finding.checkId,
      'trailaudit/Status': finding.status,
      ...(finding.reason === null ? {} : { 'trailaudit/Reason': finding.reason }),
      // The resource's own Region (`global` for account-level findings): the import's scope test.
      [RESOURCE_REGION_FIELD]: finding.resource.region,
      ...bucketWriters(finding),
    },
    Resources: asffResources(finding, { accountId, region, partition }),
    Compliance: {
      Status: status,
      RelatedRequirements: relatedRequirements(finding).slice(0, 32),
      ...(control === null ? {} : { SecurityControlId: control }),
    },
    ...(finding.suppressed === null
      ? {}
      : {
          Workflow: { Status: 'SUPPRESSED' },
          Note: {
            Text: truncate(`Suppressed until ${finding.suppressed.expires}: ${finding.suppressed.reason}`, 512),
            UpdatedBy: 'trailaudit',
            UpdatedAt: context.finishedAt,
          },
        }),
    RecordState: 'ACTIVE',
  };
}

export const formatAsff: Formatter = (findings, context) => {
  const exported = findings.flatMap((finding) => {
    const converted = asffFinding(finding, context);
    return converted === null ? [] : [converted];
  });
  return `${JSON.stringify(exported, null, 2)}\n`;
};
