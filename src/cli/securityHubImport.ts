/**
 * The CLI side of the Security Hub import (issue 14), shared by `audit --security-hub` and
 * `security-hub import`: resolve the account-level Region, reach each account (createHubAccess),
 * import each run's findings (importToSecurityHub, which plans with the pure planner and never
 * sends outside the run's scope), and tell the user what happened. Returns 0, or 2 when anything
 * planned could not be done or a saved report is older than what Security Hub holds.
 */
import { TrailauditError, UsageError } from '../errors.js';
import { partitionOf } from '../report/asff.js';
import type { Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';
import type { HubAccess, ImportFailure } from '../securityhub/types.js';
import { EXIT } from './exitCode.js';
import { formatDryRun, formatImportFailures, formatImportSummary } from './securityHubText.js';
import { terminalSafe } from './terminalText.js';

/** One run to import: an audit's findings, or a saved report's. */
export interface HubRun {
  /** "this audit", or the report's file as the user gave it. */
  readonly label: string;
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
}

export interface HubImportSettings {
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** Role assumed in accounts other than the caller's; undefined: the caller's account only. */
  readonly roleName?: string;
  readonly externalId?: string;
  readonly roleSessionName?: string;
  /** --security-hub-region; default the credential chain's Region. */
  readonly securityHubRegion?: string;
  readonly dryRun: boolean;
  /** --quiet: no summary or notices (failures are always printed). */
  readonly quiet: boolean;
  /**
   * Saved reports: several are imported all or none (a report older than what Security Hub holds
   * for its accounts is refused, importRun.ts).
   */
  readonly savedReports: boolean;
}

/** A Security Hub import that could not start (no credentials, no identity): exit 2. */
export class SecurityHubImportError extends TrailauditError {}

function write(stream: NodeJS.WriteStream, text: string): void {
  if (text !== '') {
    stream.write(terminalSafe(text));
  }
}

async function openAccess(settings: HubImportSettings, accountLevelRegion: string): Promise<HubAccess> {
  const { createHubAccess } = await import('../securityhub/access.js');
  try {
    return await createHubAccess({
      ...(settings.profile === undefined ? {} : { profile: settings.profile }),
      ...(settings.endpointUrl === undefined ? {} : { endpointUrl: settings.endpointUrl }),
      ...(settings.roleName === undefined ? {} : { roleName: settings.roleName }),
      ...(settings.externalId === undefined ? {} : { externalId: settings.externalId }),
      ...(settings.roleSessionName === undefined ? {} : { roleSessionName: settings.roleSessionName }),
      region: accountLevelRegion,
    });
  } catch (error) {
    if (error instanceof TrailauditError) {
      throw error;
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new SecurityHubImportError(`Security Hub: could not establish who the caller is (sts:GetCallerIdentity): ${detail}; nothing was imported.`);
  }
}

/**
 * Several saved reports are imported all or none: each is first planned without sending (a dry
 * run), and if Security Hub already holds a later run's findings for any of them (importRun.ts
 * refuses an older run: stage `newer_run`), nothing is sent at all. One report needs no first pass:
 * its import refuses by itself before sending anything.
 */
async function olderReportFailures(runs: readonly HubRun[], access: HubAccess, accountLevelRegion: string): Promise<ImportFailure[]> {
  const { importToSecurityHub } = await import('../securityhub/importRun.js');
  const failures: ImportFailure[] = [];
  for (const run of runs) {
    const outcome = await importToSecurityHub({ findings: run.findings, context: run.context, accountLevelRegion, now: new Date(), dryRun: true, access });
    failures.push(...outcome.failures.filter((failure) => failure.stage === 'newer_run'));
  }
  return failures;
}

/** The credential chain's own Region (AWS_REGION, the profile's `region`), or undefined when none is set. */
async function chainRegion(profile: string | undefined): Promise<string | undefined> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  const probe = new STSClient(profile === undefined ? {} : { profile });
  try {
    const region = await probe.config.region();
    return region === '' ? undefined : region;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

/**
 * Where account-level findings go: --security-hub-region, else the credential chain's Region. With
 * neither, the SDK's fallback us-east-1 is used, said on stderr (not refused: a CI job that always
 * ran in us-east-1 keeps working, and the line names the option that chooses).
 */
async function accountLevelRegionOf(settings: HubImportSettings): Promise<string> {
  if (settings.securityHubRegion !== undefined) {
    return settings.securityHubRegion;
  }
  const { resolveDefaultRegion } = await import('../collect/live/clients.js');
  const region = await resolveDefaultRegion(settings.profile);
  if ((await chainRegion(settings.profile)) === undefined) {
    write(process.stderr, `trailaudit: no Region in the credential chain (AWS_REGION, the profile's region): account-level findings go to Security Hub in ${region}; --security-hub-region chooses another.\n`);
  }
  return region;
}

/** Imports each run in turn (each planned against its own scope); see the module header. */
export async function importRuns(runs: readonly HubRun[], settings: HubImportSettings): Promise<number> {
  const accountLevelRegion = await accountLevelRegionOf(settings);
  // Findings go to their own Regions' partition; the account-level ones must not land in another
  // (an aws account's finding under an aws-cn product, and its old copy archived).
  const foreign = runs.flatMap((run) => run.context.scope.regions).find((region) => partitionOf(region) !== partitionOf(accountLevelRegion));
  if (foreign !== undefined) {
    throw new UsageError(
      `the Security Hub Region ${accountLevelRegion} is in the ${partitionOf(accountLevelRegion)} partition, but the run audited ${foreign} (${partitionOf(foreign)}): ` +
        'give a --security-hub-region of the audited partition; nothing was imported.',
    );
  }
  const access = await openAccess(settings, accountLevelRegion);
  const failures: ImportFailure[] = [];
  try {
    const older = settings.savedReports && runs.length > 1 ? await olderReportFailures(runs, access, accountLevelRegion) : [];
    if (older.length > 0) {
      write(process.stderr, formatImportFailures(older));
      write(process.stderr, 'trailaudit: nothing was imported: a report is older than what Security Hub holds for its accounts.\n');
      return EXIT.badInput;
    }
    const { importToSecurityHub } = await import('../securityhub/importRun.js');
    for (const run of runs) {
      const outcome = await importToSecurityHub({
        findings: run.findings,
        context: run.context,
        accountLevelRegion,
        now: new Date(),
        dryRun: settings.dryRun,
        access,
        ...(settings.quiet ? {} : { onNotice: (message: string) => { write(process.stderr, `trailaudit: ${message}\n`); } }),
      });
      if (outcome.failures.some((failure) => failure.stage === 'newer_run')) {
        const observed = run.context.collectedAt ?? run.context.finishedAt;
        write(process.stderr, `trailaudit: ${run.label} observed its accounts at ${observed}, before a later run whose findings Security Hub holds (listed below): nothing was imported.\n`);
      } else if (settings.dryRun) {
        write(process.stdout, formatDryRun(outcome.plan, run.label));
      } else if (!settings.quiet) {
        write(process.stderr, `${runs.length > 1 ? `${run.label}: ` : ''}${formatImportSummary(outcome)}`);
      }
      failures.push(...outcome.failures);
    }
  } finally {
    access.close();
  }
  write(process.stderr, formatImportFailures(failures));
  return failures.length > 0 ? EXIT.badInput : EXIT.ok;
}
