import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { LiveCollectOptions } from '../collect/live/collect.js';
import { TrailauditError } from '../errors.js';
import { loadSnapshots } from '../load/loadSnapshots.js';
import { formatSummary } from '../report/summary.js';
import { exitCodeFor, EXIT } from './exitCode.js';
import { writeFileAtomic } from './files.js';
import { evaluateAndReport, loadFormatters, prepareRun, staleReportNotes, toolVersion, type Outcome } from './pipeline.js';
import { checkLimitVariable } from '../load/inputFile.js';
import { addCommonOptions, commonOptions, endpointUrlOption, list, positiveInteger, resolveEndpointUrl, seconds, type RawCommonOptions } from './options.js';
import { ignoreClosedReader } from './closedOutput.js';
import { handleInterrupts } from './interrupt.js';
import { createProgress } from './progress.js';
import { registerChecksCommand } from './checksCommand.js';
import { registerScanCommand } from './scanCommand.js';
import { registerTestChecksCommand } from './testChecksCommand.js';
import { registerValidateLogsCommand } from './validateLogsCommand.js';
import { registerSecurityHubCommand } from './securityHubCommand.js';
import { registerDiffCommand } from './diffCommand.js';
import { registerIamPolicyCommand } from './iamPolicyCommand.js';
import { terminalSafe } from './terminalText.js';
import { addOrganizationOptions, organizationScope, type RawOrganizationOptions } from './organizationOptions.js';
import { addSecurityHubOptions, checkSecurityHubOptions, type RawSecurityHubOptions } from './securityHubOptions.js';

interface RawAuditOptions extends RawCommonOptions, RawOrganizationOptions, RawSecurityHubOptions {
  profile?: string;
  regions?: string[] | 'all';
  endpointUrl?: string;
  saveSnapshot?: string;
  /** Unset: the collector's default (64, by measurement: BENCHMARKS.md). */
  concurrency?: number;
  timeout: number;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
}

function regions(value: string): string[] | 'all' {
  if (value.trim() === 'all') {
    return 'all';
  }
  const items = list(value);
  for (const item of items) {
    // Every partition's names: us-east-1, cn-north-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1.
    if (!/^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}$/u.test(item)) {
      throw new InvalidArgumentError(`"${item}" is not an AWS Region name (e.g. us-east-1)`);
    }
  }
  return items;
}

function milliseconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 600_000) {
    throw new InvalidArgumentError('expected an integer number of milliseconds between 1 and 600000');
  }
  return parsed;
}

/**
 * Default --timeout: a large account's audit takes seconds (BENCHMARKS.md), and every call is
 * bounded on its own; the deadline is the backstop for a run whose endpoints answer too slowly
 * to finish, so a scheduled job still gets its reports (UNKNOWN where unanswered) instead of
 * being killed with none.
 */
const DEFAULT_TIMEOUT_SECONDS = 900;

const REPORT_OPTION_HELP = {
  allowUnknown: 'exit 0 instead of 3 when some verdicts are UNKNOWN',
  quiet: 'no summary or progress on stderr',
} as const;

function finish(outcome: Outcome, raw: RawCommonOptions): number {
  const code = exitCodeFor(outcome.evaluation.findings, outcome.context.failOn, outcome.context.allowUnknown);
  if (raw.quiet !== true) {
    process.stderr.write(formatSummary(outcome.evaluation.findings, outcome.context, { color: process.stderr.isTTY }));
    for (const path of outcome.written) {
      process.stderr.write(`report: ${path}\n`);
    }
    process.stderr.write(staleReportNotes(outcome.stale));
  }
  return code;
}

async function runAudit(raw: RawAuditOptions, command: Command, cwd: string): Promise<number> {
  const startedAt = new Date();
  const common = commonOptions(raw, cwd);
  // An S3 history is read with the audit's own credentials and endpoint.
  const prepared = await prepareRun(common, () => ({ endpointUrl: resolveEndpointUrl(raw.endpointUrl), profile: raw.profile }), raw.saveSnapshot === undefined ? [] : [raw.saveSnapshot]);
  const progress = createProgress(process.stderr, raw.quiet !== true);
  const notice = (message: string): void => {
    progress.finish();
    process.stderr.write(`trailaudit: ${message}\n`);
  };
  // Before any AWS call: a bad --accounts-file or option combination is exit 2 with nothing sent.
  const organization = organizationScope(raw, command, cwd, notice);
  checkSecurityHubOptions(raw, command);
  // The AWS SDK clients are loaded only by the command that needs them.
  const { collectLive } = await import('../collect/live/index.js');
  let facts;
  let formatters;
  try {
    const liveOptions: LiveCollectOptions = {
      needs: prepared.needs,
      regions: raw.regions === 'all' ? undefined : raw.regions,
      profile: raw.profile,
      endpointUrl: resolveEndpointUrl(raw.endpointUrl),
      concurrency: raw.concurrency,
      onProgress: ({ done, total, label }) => {
        progress.update(done, total, label);
      },
      ...(raw.timeout === 0 ? {} : { timeoutSeconds: raw.timeout }),
      ...httpTimeouts(raw),
      onNotice: notice,
    };
    const collecting =
      organization === undefined
        ? collectLive(liveOptions)
        : import('../collect/org/collect.js').then(async ({ collectOrganization }) => collectOrganization({ ...liveOptions, organization }));
    // Loaded while the first requests are in flight, off the critical path.
    formatters = loadFormatters();
    facts = await collecting;
  } finally {
    progress.finish();
  }
  if (raw.saveSnapshot !== undefined) {
    writeFileAtomic(resolve(cwd, raw.saveSnapshot), `${JSON.stringify(facts, null, 1)}\n`);
  }
  const shard = facts.organization?.shard;
  if (shard !== undefined) {
    notice(
      `this run audits shard ${String(shard.index)}/${String(shard.count)} (${String(facts.accounts?.length ?? 1)} of ${String(facts.organization?.accountsInScope.length ?? 0)} accounts): ` +
        "the other shards' accounts are UNKNOWN in its reports; evaluate every shard's snapshot together for the organization's verdicts.",
    );
  }
  const outcome = await evaluateAndReport(prepared, facts, { outputDir: common.outputDir, startedAt, inputs: [], now: new Date(), formatters: await formatters });
  const code = finish(outcome, raw);
  if (raw.securityHub !== true) {
    return code;
  }
  // After the reports are written: an import problem is exit 2, whatever the audit found.
  const { importRuns } = await import('./securityHubImport.js');
  const roleName = organization === undefined ? raw.securityHubRoleName : (raw.securityHubRoleName ?? raw.roleName);
  const endpointUrl = resolveEndpointUrl(raw.endpointUrl);
  const imported = await importRuns([{ label: 'this audit', findings: outcome.evaluation.findings, context: outcome.context }], {
    ...(raw.profile === undefined ? {} : { profile: raw.profile }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(roleName === undefined ? {} : { roleName }),
    ...(organization?.externalId === undefined ? {} : { externalId: organization.externalId }),
    ...(organization === undefined ? {} : { roleSessionName: organization.roleSessionName }),
    ...(raw.securityHubRegion === undefined ? {} : { securityHubRegion: raw.securityHubRegion }),
    dryRun: raw.dryRun === true,
    quiet: raw.quiet === true,
    savedReports: false,
  });
  return imported === EXIT.ok ? code : imported;
}

/** The hidden per-attempt timeout options (tests and unusual networks); unset = the defaults. */
function httpTimeouts(raw: RawAuditOptions): { httpTimeouts?: { connectMs?: number; responseMs?: number } } {
  if (raw.connectTimeoutMs === undefined && raw.responseTimeoutMs === undefined) {
    return {};
  }
  return {
    httpTimeouts: {
      ...(raw.connectTimeoutMs === undefined ? {} : { connectMs: raw.connectTimeoutMs }),
      ...(raw.responseTimeoutMs === undefined ? {} : { responseMs: raw.responseTimeoutMs }),
    },
  };
}

async function runEvaluate(snapshots: readonly string[], raw: RawCommonOptions, cwd: string): Promise<number> {
  const startedAt = new Date();
  const common = commonOptions(raw, cwd);
  // No AWS call of its own: an S3 history is reached as the SDK's defaults say (AWS_ENDPOINT_URL, AWS_PROFILE).
  const prepared = await prepareRun(common, () => ({ endpointUrl: resolveEndpointUrl(undefined) }));
  const files = snapshots.map((snapshot) => resolve(cwd, snapshot));
  // Several files: the shards of one organization, evaluated as one (facts/merge.ts).
  const facts = loadSnapshots(files);
  const outcome = await evaluateAndReport(prepared, facts, { outputDir: common.outputDir, startedAt, inputs: files, now: new Date(), formatters: await loadFormatters() });
  return finish(outcome, raw);
}

/** audit's and evaluate's exit codes; only audit takes --security-hub (evaluate's report is imported with `security-hub import`). */
const exitCodeHelp = (securityHub: boolean): string => `
Exit codes:
  0  nothing failing at or above --fail-on (default: rules.yaml failOn, else any severity)
  1  an unsuppressed FAIL at or above --fail-on
  2  bad usage or bad input (rules, checks, snapshot, baseline), or an internal error: nothing evaluated, no report written${securityHub ? '; with --security-hub also an import that failed (the reports were written)' : ''}
  3  no such FAIL, but some verdicts are UNKNOWN (an incomplete audit); --allow-unknown makes this 0`;

/** Run the CLI; returns the exit code (DESIGN §1) instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('trailaudit')
    .description('Audit AWS CloudTrail against Security Hub CloudTrail.1-10 and the CIS AWS Foundations Benchmark.')
    .version(toolVersion())
    .option('--debug', 'print the stack trace of an unexpected error (for a bug report)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  const auditCommand = addCommonOptions(
    program
      .command('audit')
      .description('audit a live AWS account (read-only describe calls)')
      .option('--profile <name>', 'AWS shared-config profile')
      .option('--regions <list>', 'Regions to audit, or "all" (default: every Region enabled for the account)', regions)
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator); also AWS_ENDPOINT_URL', endpointUrlOption)
      .option('--save-snapshot <file>', 'save the collected facts for `trailaudit evaluate`')
      .option('--concurrency <n>', 'maximum AWS requests in flight (default 64)', positiveInteger)
      .option('--timeout <seconds>', 'deadline for the whole run: calls not answered by then are UNKNOWN (timeout); 0 = none', seconds, DEFAULT_TIMEOUT_SECONDS)
      .addOption(new Option('--connect-timeout-ms <ms>', 'per-attempt TCP connect timeout').argParser(milliseconds).hideHelp())
      .addOption(new Option('--response-timeout-ms <ms>', 'per-attempt wait for response headers or body bytes').argParser(milliseconds).hideHelp()),
    REPORT_OPTION_HELP,
  )
    .addHelpText('after', exitCodeHelp(true))
    .action(async (raw: RawAuditOptions) => {
      exitCode = await runAudit(raw, auditCommand, cwd);
    });
  addOrganizationOptions(auditCommand);
  addSecurityHubOptions(auditCommand);

  addCommonOptions(
    program
      .command('evaluate')
      .argument('<snapshots...>', 'facts saved with audit --save-snapshot; several (the shards of one organization) are evaluated as one')
      .description('re-evaluate saved snapshots offline (no AWS calls, but to an s3:// --history)'),
    REPORT_OPTION_HELP,
  )
    .addHelpText('after', `${exitCodeHelp(false)}\n\nTo import the report into Security Hub: trailaudit security-hub import trailaudit.json`)
    .action(async (snapshots: string[], raw: RawCommonOptions) => {
      exitCode = await runEvaluate(snapshots, raw, cwd);
    });

  registerScanCommand(program, cwd, (code) => (exitCode = code));
  registerValidateLogsCommand(program, cwd, (code) => (exitCode = code));
  registerTestChecksCommand(program, cwd, (code) => (exitCode = code));
  registerSecurityHubCommand(program, cwd, (code) => (exitCode = code));
  registerDiffCommand(program, cwd, (code) => (exitCode = code));

  registerChecksCommand(program, cwd);

  registerIamPolicyCommand(program, cwd);

  return runCommandLine(program, argv, () => exitCode);
}

/**
 * Parses `argv` and runs the command it names; whatever the command throws ends in
 * {@link reportError}. Apart from main() so that a test can run a command of its own through it.
 */
export async function runCommandLine(program: Command, argv: readonly string[], exitCode: () => number): Promise<number> {
  const stopHandlingInterrupts = handleInterrupts();
  ignoreClosedReader();
  // Before any command reads a file (not for --help): a bad value is one error, not one per file.
  program.hook('preAction', () => {
    checkLimitVariable();
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (error) {
    // Read from argv, not from commander: the error may come from parsing itself.
    return reportError(error, argv.includes('--debug'));
  } finally {
    stopHandlingInterrupts();
  }
}

/**
 * Every error ends here as one message and exit 2 (or the code a TrailauditError carries), never
 * as an unhandled crash: Node's exit status 1 would read as "failures found", and its stack trace
 * (with a line of minified bundle source) tells a user nothing. A stack is printed only with --debug.
 */
export function reportError(error: unknown, debug: boolean): number {
  try {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every usage error is "bad usage" (commander already printed it).
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof TrailauditError) {
      // Every error meant for a user carries its message and exit code; none is listed here.
      process.stderr.write(`trailaudit: ${terminalSafe(error.userMessage)}\n`);
      return error.exitCode;
    }
    if (isFileSystemError(error)) {
      // An unwritable --output-dir or a full TMPDIR must not end as an unhandled crash, whose exit
      // status 1 would read as "failures found". 2: nothing usable was produced.
      const path = error.path ?? '(the system did not say which file)';
      process.stderr.write(`trailaudit: cannot ${error.syscall} ${path}: ${error.code} (${error.message}); no report of this run was written, earlier reports are as they were.\n`);
      return EXIT.badInput;
    }
    return internalError(error, debug);
  } catch (printing) {
    // Even formatting the message failed (a getter that throws, a closed stderr): still exit 2.
    return internalError(printing, debug);
  }
}

/** One line for a bug (an error no handler knows); its stack only with --debug. */
function internalError(error: unknown, debug: boolean): number {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = 'an error that cannot be shown';
  }
  // One line, of a readable length: a message can hold a whole source line of the bundle.
  const [first = ''] = message.split('\n');
  const line = first.length > 300 ? `${first.slice(0, 300)}…` : first;
  try {
    process.stderr.write(`trailaudit: internal error: ${line} ${debug ? '(stack trace below)' : '(run with --debug for details)'}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) {
      process.stderr.write(`${error.stack}\n`);
    }
  } catch {
    // Nothing left to tell it with; the exit code still says "not a result".
  }
  return EXIT.badInput;
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
