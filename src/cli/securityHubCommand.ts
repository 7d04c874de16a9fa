/**
 * `trailaudit security-hub …`: the Security Hub round trip of reports made earlier (issue 14).
 * `import` is built here, `compare` in compareCommand.ts.
 *
 * `import REPORT.json…` sends saved reports of live audits (several: the shards of one
 * organization, each planned against its own scope). Refused with exit 2 and nothing sent: a scan
 * of infrastructure code (it says nothing about an account), reports that audit the same account
 * (each would archive what the other found), and a report older than what Security Hub already
 * holds for its accounts (importRun.ts: a later run's findings there).
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_ROLE_SESSION_NAME } from '../collect/org/options.js';
import { UsageError } from '../errors.js';
import { loadReport, type LoadedReport } from '../load/loadReport.js';
import { registerCompareCommand } from './compareCommand.js';
import { endpointUrlOption, resolveEndpointUrl } from './options.js';
import { loadCheckSet } from './pipeline.js';
import { dryRunOption, givenHubRoleName, hubRoleName, securityHubRegionOption } from './securityHubOptions.js';

interface RawImportOptions {
  securityHubRegion?: string;
  roleName?: string;
  securityHubRoleName?: string;
  externalId?: string;
  roleSessionName?: string;
  profile?: string;
  endpointUrl?: string;
  dryRun?: boolean;
  checksDir?: string;
  quiet?: boolean;
}

/** Refuses what must never be imported; see the module header. */
function checkReports(reports: readonly LoadedReport[]): void {
  for (const report of reports) {
    const { source } = report.context.scope;
    if (source !== 'live') {
      throw new UsageError(
        `${report.file} is a scan of infrastructure code (source ${source}), which says nothing about an account's Security Hub: only reports of live audits (trailaudit audit) are imported. Nothing was imported.`,
      );
    }
  }
  const seen = new Map<string, string>();
  for (const report of reports) {
    for (const account of report.context.scope.accounts) {
      const other = seen.get(account);
      if (other !== undefined && other !== report.file) {
        throw new UsageError(
          `${other} and ${report.file} both audited account ${account}: each report is planned against its own scope, so each would archive what the other found. ` +
            'Import one of them (the later), or evaluate their snapshots together first. Nothing was imported.',
        );
      }
      seen.set(account, report.file);
    }
  }
}

/**
 * The role for other accounts: --security-hub-role-name, else --role-name, else the role the
 * organization audit itself used (all reports must agree), else none (the caller's account only).
 */
function importRole(raw: RawImportOptions, reports: readonly LoadedReport[]): string | undefined {
  const given = givenHubRoleName(raw);
  if (given !== undefined) {
    return given;
  }
  const used = new Set(reports.flatMap((report) => (report.context.scope.organization === undefined ? [] : [report.context.scope.organization.roleName])));
  if (used.size > 1) {
    throw new UsageError(`the reports were made with different roles (${[...used].sort().join(', ')}): name the import role with --security-hub-role-name.`);
  }
  return [...used][0];
}

async function runImport(files: readonly string[], raw: RawImportOptions, cwd: string): Promise<number> {
  const endpointUrl = resolveEndpointUrl(raw.endpointUrl);
  const checks = loadCheckSet(raw.checksDir, cwd);
  const reports = files.map((file) => ({ ...loadReport(resolve(cwd, file), checks), file }));
  checkReports(reports);
  const { importRuns } = await import('./securityHubImport.js');
  const roleName = importRole(raw, reports);
  return importRuns(
    reports.map((report) => ({ label: report.file, findings: report.findings, context: report.context })),
    {
      ...(raw.profile === undefined ? {} : { profile: raw.profile }),
      ...(endpointUrl === undefined ? {} : { endpointUrl }),
      ...(roleName === undefined ? {} : { roleName }),
      ...(raw.externalId === undefined ? {} : { externalId: raw.externalId }),
      roleSessionName: raw.roleSessionName ?? DEFAULT_ROLE_SESSION_NAME,
      ...(raw.securityHubRegion === undefined ? {} : { securityHubRegion: raw.securityHubRegion }),
      dryRun: raw.dryRun === true,
      quiet: raw.quiet === true,
      savedReports: true,
    },
  );
}

const IMPORT_HELP = `
Refused (exit 2, nothing sent): a scan of infrastructure code, reports that audited the same
account, and a report older than the findings Security Hub already holds for its accounts.
Exit codes: 0 everything planned was imported and archived; 2 bad usage or input, a refused
report, or something that could not be imported (listed with its finding ids).`;

export function registerSecurityHubCommand(program: Command, cwd: string, setExitCode: (code: number) => void): void {
  const securityHub = program.command('security-hub').description('send reports to AWS Security Hub, or compare them with its own control findings');
  securityHub
    .command('import')
    .argument('<reports...>', 'trailaudit.json reports of live audits (several: the shards of one organization)')
    .description("import report findings into each account's Security Hub, archiving its findings of resources no longer reported (within each report's scope)")
    .addOption(securityHubRegionOption())
    .option('--role-name <name>', "role assumed in accounts other than the caller's (default: the organization audit's --role-name)", hubRoleName)
    .option('--security-hub-role-name <name>', 'the same as --role-name (as audit --security-hub spells it)', hubRoleName)
    .option('--external-id <id>', 'external id to pass when assuming the role')
    .addOption(new Option('--role-session-name <name>', 'session name of the assumed roles').default(DEFAULT_ROLE_SESSION_NAME))
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator); also AWS_ENDPOINT_URL', endpointUrlOption)
    .addOption(dryRunOption())
    .option('--checks-dir <dir>', 'check definitions the reports were made with (default: the shipped checks)')
    .option('--quiet', 'no summary or progress on stderr (problems are still printed)')
    .addHelpText('after', IMPORT_HELP)
    .action(async (files: string[], raw: RawImportOptions) => {
      setExitCode(await runImport(files, raw, cwd));
    });
  registerCompareCommand(securityHub, cwd, setExitCode);
}
