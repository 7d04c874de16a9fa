/**
 * The organization part of `npm run demo`: what the example organization holds (seeded by
 * support/moto/exampleOrganization.ts, the same seeding the organization end-to-end tests use),
 * the `audit --org` command line, and the self-check of the report against the seeded verdicts.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  expectedVerdicts,
  missingVerdicts,
  type ExampleOrganization,
  type ReportedFinding,
} from '../support/moto/exampleOrganization.js';

export function describeOrganization(organization: ExampleOrganization): void {
  const { management, logArchive, prod, sandbox, organizationTrail, prodTrail } = organization;
  const line = (role: string, account: { id: string; name: string }, what: string): void => {
    console.log(`  ${role.padEnd(12)} ${account.id} ${account.name.padEnd(18)} ${what}`);
  };
  console.log(`Seeded organization ${organization.organizationId} (${organization.regions.join(', ')}):`);
  line('management', management, `organization trail ${organizationTrail.name} (all Regions, every member) → ${organizationTrail.bucket}`);
  line('log archive', logArchive, `bucket ${organizationTrail.bucket} (private, no server access logging)`);
  line('member', prod, `OU Workloads/Prod: own trail ${prodTrail.name} (log file validation off) → ${prodTrail.bucket}`);
  line('member', sandbox, 'OU Workloads: nothing of its own, covered by the organization trail only');
  console.log('Expected verdicts:');
  for (const verdict of expectedVerdicts(organization)) {
    console.log(`  ${verdict.control.padEnd(13)} ${verdict.status.padEnd(4)} ${verdict.accountId}  ${verdict.why}`);
  }
  console.log('');
}

/** `trailaudit audit` arguments for the whole organization, discovered from the management account. */
export function organizationAuditArgs(endpoint: string, organization: ExampleOrganization, rules: string, outputDir: string): string[] {
  return [
    '--org',
    '--endpoint-url',
    endpoint,
    '--regions',
    organization.regions.join(','),
    '--rules',
    rules,
    '--output-dir',
    outputDir,
    '--format',
    'json,junit,markdown,html',
  ];
}

/** Say which of the seeded verdicts the report shows (a demo, not a test: the e2e tests assert it). */
export function compareWithOrganization(reportFile: string, organization: ExampleOrganization): void {
  if (!existsSync(reportFile)) {
    return;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { findings?: ReportedFinding[] };
  const expected = expectedVerdicts(organization);
  const missing = missingVerdicts(report.findings ?? [], expected);
  console.log(`Seeded organization verdicts reported: ${expected.length - missing.length} of ${expected.length}.`);
  for (const verdict of missing) {
    console.log(`  not reported: ${verdict.control} ${verdict.status} ${verdict.resource} in ${verdict.accountId} (${verdict.why})`);
  }
}

export const WHERE_TO_LOOK = [
  'In the organization report, look at:',
  '  - the organization summary at the top of trailaudit.md: accounts × controls, and which accounts',
  '    the organization trail covers;',
  '  - CloudTrail.1 PASS in workloads-sandbox, which has no trail of its own (the organization trail counts);',
  '  - the organization trail’s own findings (CloudTrail.2/4/5/9) once, in the management account;',
  '  - CloudTrail.6/7 on the log-archive bucket: real verdicts, read with the log-archive account’s',
  '    credentials (audited alone, an account could only say UNKNOWN cross_account there).',
];
