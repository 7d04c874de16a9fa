/**
 * `trailaudit scan PATH...`: the checks of a live audit, run on CloudTrail as declared in
 * CloudFormation templates and Terraform plan JSON (files or directories, found and told apart by
 * content; see src/collect/iac/).
 *
 * Bad files do not stop a scan: each is reported (stderr and every report) and the others are
 * evaluated. Exit codes are DESIGN §1's, with one addition: when some files could not be scanned
 * the exit code is never 0 (3, "incomplete", unless a FAIL makes it 1), and `--allow-unknown`
 * does not waive that, because a file that was not read is not an UNKNOWN verdict, it is an
 * unread template. Only when no file at all could be scanned is it 2 (nothing evaluated, no report
 * written).
 */
import type { Command } from 'commander';
import { discover } from '../collect/iac/discover.js';
import { DEFAULT_COLLECTORS } from '../collect/iac/collectors.js';
import { scanFiles } from '../collect/iac/scan.js';
import { withDependencies } from '../facts/kinds/index.js';
import { formatIssue, InputError, type InputIssue } from '../errors.js';
import { formatSummary } from '../report/summary.js';
import { EXIT, exitCodeFor } from './exitCode.js';
import { addCommonOptions, commonOptions, resolveEndpointUrl, type RawCommonOptions } from './options.js';
import { evaluateAndReport, loadFormatters, prepareRun, staleReportNotes, utcToday } from './pipeline.js';

interface RawScanOptions extends RawCommonOptions {
  wholeAccount?: boolean;
}

export function scanExitCode(code: number, badFiles: number): number {
  return badFiles > 0 && code === EXIT.ok ? EXIT.incomplete : code;
}

async function runScan(paths: readonly string[], raw: RawScanOptions, cwd: string): Promise<number> {
  const startedAt = new Date();
  const common = commonOptions(raw, cwd);
  const { outputDir } = common;
  // Rules, checks, formats and baseline are validated before any file is read (exit 2).
  const prepared = await prepareRun(common, () => ({ endpointUrl: resolveEndpointUrl(undefined) }));
  const discovery = discover(paths, cwd);
  const scan = scanFiles(
    discovery.files,
    {
      cwd,
      collectedAt: startedAt.toISOString(),
      wholeAccount: raw.wholeAccount === true,
      expiryLimit: { today: utcToday(startedAt), horizonDays: prepared.rules.suppressionHorizonDays },
      knownChecks: prepared.checkIds,
      needs: withDependencies(prepared.enabled.flatMap(({ check }) => check.needs)),
    },
    DEFAULT_COLLECTORS,
  );
  const issues: InputIssue[] = [...discovery.issues, ...scan.issues];
  if (scan.facts === null) {
    if (issues.length > 0) {
      throw new InputError(issues);
    }
    const looked = scan.skipped.length === 0 ? 'no candidate files (.yaml, .yml, .json, .template)' : `${scan.skipped.length} files, none of them one`;
    throw new InputError([
      { file: paths.join(' '), line: 0, column: 0, path: '', message: `no CloudFormation template or Terraform plan found (${looked})` },
    ]);
  }
  // Bad files are printed even with --quiet: they change what the reports cover.
  if (issues.length > 0) {
    const files = new Set(issues.map((issue) => issue.file)).size;
    process.stderr.write(`trailaudit: ${files} file${files === 1 ? '' : 's'} could not be scanned (the others were):\n`);
    for (const issue of issues) {
      process.stderr.write(`  ${formatIssue(issue)}\n`);
    }
  }
  const outcome = await evaluateAndReport(prepared, scan.facts, {
    outputDir,
    startedAt,
    inputs: scan.scanned.map((file) => file.displayPath),
    now: new Date(),
    extraSuppressions: scan.suppressions,
    inputErrors: issues,
    formatters: await loadFormatters(),
  });
  const code = scanExitCode(exitCodeFor(outcome.evaluation.findings, outcome.context.failOn, outcome.context.allowUnknown), issues.length);
  if (raw.quiet !== true) {
    const skipped = scan.skipped.length === 0 ? '' : `, ${scan.skipped.length} skipped (neither a template nor a plan)`;
    process.stderr.write(`scanned ${scan.scanned.length} file${scan.scanned.length === 1 ? '' : 's'}${skipped}\n`);
    process.stderr.write(formatSummary(outcome.evaluation.findings, outcome.context, { color: process.stderr.isTTY }));
    for (const path of outcome.written) {
      process.stderr.write(`report: ${path}\n`);
    }
    process.stderr.write(staleReportNotes(outcome.stale));
  }
  return code;
}

/** Adds `scan` to the program; `setExitCode` receives the DESIGN §1 exit code. */
export function registerScanCommand(program: Command, cwd: string, setExitCode: (code: number) => void): void {
  addCommonOptions(
    program
      .command('scan')
      .description('audit CloudFormation templates and Terraform plan JSON (files or directories, recursive)')
      .argument('<paths...>', 'templates, plans (terraform show -json) or directories to search')
      .option('--whole-account', 'the files declare the whole account: account-level controls (CloudTrail.1, .3) FAIL when no qualifying trail is declared'),
    {
      allowUnknown: 'exit 0 instead of 3 when some verdicts are UNKNOWN (not when files could not be scanned)',
      quiet: 'no summary on stderr',
    },
  ).action(async (paths: string[], raw: RawScanOptions) => {
      setExitCode(await runScan(paths, raw, cwd));
    });
}
