/** Option parsers shared by the commands (commander calls them; a bad value is a usage error, exit 2). */
import { historyOption } from './historyOptions.js';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { FRAMEWORK_NAMES, frameworkNamed, type FrameworkName } from '../load/frameworks.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/formats.js';
import type { CommonOptions } from './pipeline.js';

export function list(value: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) {
    throw new InvalidArgumentError('expected a comma-separated list');
  }
  return items;
}

/** A comma-separated list of formats among `allowed` (default: every report format). */
export function formatList<F extends string = ReportFormat>(allowed: readonly F[] = REPORT_FORMATS as readonly string[] as readonly F[]) {
  return (value: string): F[] => {
    const items = list(value);
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw new InvalidArgumentError(`unknown format "${item}"; expected ${allowed.join(', ')}`);
      }
    }
    return items as F[];
  };
}

/**
 * The one endpoint parser, for --endpoint-url and validate-logs' AWS_ENDPOINT_URL: an http(s) URL,
 * trailing slashes dropped (the SDK appends paths); anything else is bad usage.
 */
export function parseEndpointUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // Reported below, with the value, as every other malformed URL.
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`"${value}" is not an http(s) URL`);
  }
  return value.replace(/\/+$/u, '');
}

/**
 * The endpoint a command sends AWS calls to: `--endpoint-url` when given (an empty value is bad
 * usage, never "no endpoint": it would silently reach real AWS), else AWS_ENDPOINT_URL when set
 * and not blank (the SDK's own convention for an empty variable), checked the same way.
 */
export function resolveEndpointUrl(given: string | undefined): string | undefined {
  if (given !== undefined) {
    return parseEndpointUrl(given);
  }
  const fromEnvironment = process.env.AWS_ENDPOINT_URL?.trim();
  if (fromEnvironment === undefined || fromEnvironment === '') {
    // The SDK reads the variable itself and fails on a blank one ("Invalid URL"): blank is unset.
    delete process.env.AWS_ENDPOINT_URL;
    return undefined;
  }
  try {
    return parseEndpointUrl(fromEnvironment);
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`AWS_ENDPOINT_URL: ${error.message}`) : error;
  }
}

/** {@link parseEndpointUrl} as a commander option parser: commander prints the error with the option's name. */
export function endpointUrlOption(value: string): string {
  try {
    return parseEndpointUrl(value);
  } catch (error) {
    throw error instanceof UsageError ? new InvalidArgumentError(error.message) : error;
  }
}

/** --timeout: whole seconds or a fraction; 0 turns the deadline off. */
export function seconds(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 86_400) {
    throw new InvalidArgumentError('expected a number of seconds between 0 (no limit) and 86400');
  }
  return parsed;
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 256) {
    throw new InvalidArgumentError('expected an integer between 1 and 256');
  }
  return parsed;
}

/** What commander gives for the options every evaluating command (audit, evaluate, scan) shares. */
export interface RawCommonOptions {
  rules?: string;
  checks?: string[];
  checksDir?: string;
  framework?: FrameworkName;
  format?: ReportFormat[];
  outputDir: string;
  failOn?: Severity;
  baseline?: string;
  history?: string;
  allowUnknown?: boolean;
  quiet?: boolean;
}

/** Declares the shared options; the help of --allow-unknown and --quiet differs per command. */
export function addCommonOptions(command: Command, help: { readonly allowUnknown: string; readonly quiet: string }): Command {
  return command
    .option('--rules <file>', 'rules.yaml to use (default: ./rules.yaml, else the built-in defaults)')
    .option('--checks <ids>', 'only these checks, e.g. CloudTrail.1,CloudTrail.4', list)
    .option('--checks-dir <dir>', 'load check definitions from this directory instead of the built-in checks/')
    .addOption(frameworkOption())
    .option('--format <formats>', `report formats (${REPORT_FORMATS.join(', ')}); default: rules.yaml reports`, formatList())
    .option('--output-dir <dir>', 'where reports are written', 'reports')
    .addOption(new Option('--fail-on <severity>', 'exit 1 on an unsuppressed FAIL at or above this severity').choices(SEVERITIES))
    .option('--baseline <file>', 'a previous trailaudit.json: adds "changes since last audit" to the Markdown report and baselineState to SARIF results')
    .addOption(historyOption())
    .option('--allow-unknown', help.allowUnknown)
    .option('--quiet', help.quiet);
}

/**
 * --framework, for every command that selects checks. Checks of our own (TrailHealth.N) map to no
 * framework, so any --framework leaves them out: the help says so.
 */
export function frameworkOption(
  description = 'only the enabled checks mapped to this framework (and its CloudWatch metric-filter pattern set); checks of our own such as TrailHealth.1 are in none',
): Option {
  return new Option('--framework <name>', description).choices(FRAMEWORK_NAMES);
}

export function commonOptions(raw: RawCommonOptions, cwd: string): CommonOptions {
  return {
    rules: raw.rules,
    checks: raw.checks,
    checksDir: raw.checksDir,
    framework: raw.framework === undefined ? undefined : frameworkNamed(raw.framework),
    format: raw.format,
    outputDir: resolve(cwd, raw.outputDir),
    failOn: raw.failOn,
    baseline: raw.baseline,
    history: raw.history,
    allowUnknown: raw.allowUnknown === true,
    cwd,
  };
}
