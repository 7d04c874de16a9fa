/**
 * The Security Hub options of `audit` (issue 14): --security-hub, --security-hub-region,
 * --security-hub-role-name, --dry-run. Checked before any AWS call (exit 2); the import itself is
 * securityHubImport.ts.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { PolicyStatement } from '../report/catalogue.js';

export interface RawSecurityHubOptions {
  securityHub?: boolean;
  securityHubRegion?: string;
  securityHubRoleName?: string;
  dryRun?: boolean;
}

/** Every partition's Region names, as `--regions` accepts them. */
export function regionName(value: string): string {
  if (!/^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}$/u.test(value.trim())) {
    throw new InvalidArgumentError(`"${value}" is not an AWS Region name (e.g. us-east-1)`);
  }
  return value.trim();
}

/** IAM's role-name rule, as --role-name's. */
export function hubRoleName(value: string): string {
  if (value.length < 1 || value.length > 64 || !/^[\w+=,.@-]+$/u.test(value)) {
    throw new InvalidArgumentError(`a role name must be 1-64 characters of letters, digits and +=,.@_-, got "${value}"`);
  }
  return value;
}

/**
 * `security-hub import` and `compare` take the role as --role-name or --security-hub-role-name
 * (as audit spells it). Two different names are refused rather than one silently winning.
 */
export function givenHubRoleName(raw: { roleName?: string; securityHubRoleName?: string }): string | undefined {
  if (raw.roleName !== undefined && raw.securityHubRoleName !== undefined && raw.roleName !== raw.securityHubRoleName) {
    throw new UsageError(`--role-name ${raw.roleName} and --security-hub-role-name ${raw.securityHubRoleName} name different roles: give one.`);
  }
  return raw.securityHubRoleName ?? raw.roleName;
}

export const securityHubRegionOption = (): Option =>
  new Option('--security-hub-region <region>', 'Security Hub Region of account-level findings (default: the credential chain\'s Region)').argParser(regionName);

export const dryRunOption = (): Option => new Option('--dry-run', 'print what would be imported into and archived in Security Hub; send nothing');

export function addSecurityHubOptions(command: Command): Command {
  return command
    .option('--security-hub', "after writing the reports, import the findings into each account's Security Hub (and archive its findings of resources no longer reported)")
    .addOption(securityHubRegionOption())
    .addOption(
      new Option('--security-hub-role-name <name>', 'role assumed to import into accounts other than the caller\'s (default: --role-name)').argParser(hubRoleName),
    )
    .addOption(dryRunOption());
}

/** The Security Hub options given without --security-hub: bad usage, before any AWS call. */
export function checkSecurityHubOptions(raw: RawSecurityHubOptions, command: Command): void {
  if (raw.securityHub === true) {
    return;
  }
  const orphans = (
    [
      ['dryRun', '--dry-run'],
      ['securityHubRegion', '--security-hub-region'],
      ['securityHubRoleName', '--security-hub-role-name'],
    ] as const
  )
    .filter(([key]) => command.getOptionValueSource(key) === 'cli')
    .map(([, flag]) => flag);
  if (orphans.length > 0) {
    // --dry-run of audit is only the import's: the audit itself always runs and writes its reports.
    const note = orphans.includes('--dry-run') ? ' (audit --dry-run plans the Security Hub import without sending it; the audit always runs)' : '';
    throw new UsageError(`${orphans.join(', ')} need${orphans.length === 1 ? 's' : ''} --security-hub${note}.`);
  }
}

/**
 * What the importing principal needs in each account findings go to: BatchImportFindings, and
 * GetFindings for the previous findings (kept first-seen dates, archiving) and for `compare`.
 * Resource `*`: GetFindings takes no resource. With an assumed role (an organization's reports),
 * sts:AssumeRole on it too.
 */
export function securityHubPolicyStatements(assumedRole: string | undefined): PolicyStatement[] {
  return [
    { sid: 'TrailauditSecurityHub', actions: ['securityhub:BatchImportFindings', 'securityhub:GetFindings'] },
    // security-hub import of an organization's reports: the caller enters each other account.
    ...(assumedRole === undefined ? [] : [{ sid: 'TrailauditAssumeImportRole', actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::*:role/${assumedRole}`] }]),
  ];
}
