/**
 * `trailaudit validate-logs`: prove CloudTrail log files were not modified, deleted or forged, from
 * the digest chain in S3 or in a local copy of the bucket (issue 4, CONTROLS §4).
 *
 * Exit codes: 0 every file checked is valid; 1 something is INVALID; 2 bad input (times, ARN, key
 * file, directory, trail not found, nothing readable) with no report written; 3 nothing INVALID but
 * some files could not be verified (no signature for a local copy's newest digest, access denied),
 * which `--allow-unverified` turns into 0 — never a silent pass.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { LOGS_REPORT_FORMATS } from '../logs/reports/formats.js';
import { formatList, positiveInteger, seconds } from './options.js';
// Types only: the run itself (and the SDK clients it needs) is loaded when the command runs.
import type { ValidateLogsOptions } from './validateLogsRun.js';

function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Default --timeout: 6 hours. Reading 10,000 log files (1 GB) from moto took 34 s (BENCHMARKS.md),
 * so this is far above a real validation, and still ends a run whose endpoint trickles a body a
 * byte at a time (which never falls silent long enough for the per-attempt response timeout).
 */
const DEFAULT_VALIDATE_TIMEOUT_SECONDS = 21_600;

/** Adds `validate-logs` to the program; `setExitCode` receives the command's exit code. */
export function registerValidateLogsCommand(program: Command, cwd: string, setExitCode: (code: number) => void): void {
  program
    .command('validate-logs')
    .description('verify CloudTrail log files against their digest chain (SHA-256 hashes, RSA signatures), from S3 or a local copy')
    .requiredOption('--trail <arn>', 'trail ARN, e.g. arn:aws:cloudtrail:us-east-1:123456789012:trail/main')
    .requiredOption('--start-time <time>', 'validate log files delivered at or after this UTC time, e.g. 2015-01-08T05:21:42Z')
    .option('--end-time <time>', 'validate log files delivered at or before this UTC time (default: now)')
    .option('--account-id <id>', 'account whose logs are validated (required for an organization trail; default: the ARN\'s account)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator); also AWS_ENDPOINT_URL')
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--public-keys <file>', 'JSON printed by `aws cloudtrail list-public-keys` (instead of calling ListPublicKeys); repeatable', repeatable)
    .option('--from-dir <dir>', 'validate a local copy of the bucket (same key layout) instead of S3; signatures from <digest>.metadata.json sidecars')
    .option('--format <formats>', `report formats (${LOGS_REPORT_FORMATS.join(', ')})`, formatList(LOGS_REPORT_FORMATS), [...LOGS_REPORT_FORMATS])
    .option('--output-dir <dir>', 'where reports are written', 'reports')
    .option('--concurrency <n>', 'log files read and hashed at the same time', positiveInteger, 16)
    .option('--timeout <seconds>', 'deadline for the AWS calls of the whole run: files not read by then are not verified (timeout); 0 = none', seconds, DEFAULT_VALIDATE_TIMEOUT_SECONDS)
    .option('--verbose', 'also print a line for every valid file (as `aws cloudtrail validate-logs --verbose`)')
    .option('--quiet', 'no output or progress on stdout/stderr (reports and exit code only)')
    .addOption(new Option('--allow-unverified', 'exit 0 instead of 3 when some files could not be verified'))
    .action(async (raw: ValidateLogsOptions) => {
      // Loaded only when the command runs: the other commands do not pay for the SDK clients.
      const { runValidateLogs } = await import('./validateLogsRun.js');
      setExitCode(await runValidateLogs(raw, cwd));
    });
}
