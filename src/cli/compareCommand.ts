/**
 * `trailaudit security-hub compare REPORT.json` (issue 14): compare a live audit's verdicts with
 * Security Hub's own control findings, and write `trailaudit-compare.json` / `.md`.
 *
 * Exit codes: 0 the comparison was made (disagreements are information, not failure);
 * 1 with `--fail-on-disagreement` and at least one disagreement; 2 bad usage or input (the report,
 * the checks), or Security Hub could not be read somewhere (access denied, hub not enabled, no
 * role): the reports are still written, their rows there say UNREADABLE, never agree or disagree.
 */
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { loadReport } from '../load/loadReport.js';
import { COMPARE_JSON_FILE, formatCompareJson } from '../report/compare/json.js';
import { COMPARE_MARKDOWN_FILE, formatCompareMarkdown } from '../report/compare/markdown.js';
import type { CompareResult } from '../securityhub/compareTypes.js';
import { plural } from '../report/markdown/text.js';
import { EXIT } from './exitCode.js';
import { writeFilesAtomic, type FileToWrite } from './files.js';
import { endpointUrlOption, formatList, resolveEndpointUrl } from './options.js';
import { loadCheckSet } from './pipeline.js';
import { givenHubRoleName, hubRoleName, regionName } from './securityHubOptions.js';
import { terminalSafe } from './terminalText.js';

const COMPARE_FORMATS = ['json', 'markdown'] as const;
type CompareFormat = (typeof COMPARE_FORMATS)[number];

interface RawCompareOptions {
  format: CompareFormat[];
  outputDir: string;
  profile?: string;
  endpointUrl?: string;
  roleName?: string;
  securityHubRoleName?: string;
  externalId?: string;
  securityHubRegion?: string;
  checksDir?: string;
  failOnDisagreement?: boolean;
  quiet?: boolean;
}

const COMPARE_HELP = `
Rows: one per (Security Hub control, resource) seen by either side; account-level controls
(CloudTrail.1, CloudWatch.*, S3.22, S3.23) meet Security Hub's finding of each Region.

Exit codes:
  0  the comparison was made (disagreements are listed, not failures)
  1  --fail-on-disagreement and at least one disagreement
  2  bad usage or input, or Security Hub could not be read somewhere (reports still written)`;

function unreadableLines(result: CompareResult): string[] {
  return result.scope.unreadable.map((target) => `trailaudit: Security Hub could not be read in account ${target.accountId}, ${target.region}: ${target.code} (${target.message})`);
}

function summaryLines(result: CompareResult, written: readonly string[]): string {
  const { summary } = result;
  const lines = [
    `trailaudit: compared ${String(summary.rows)} rows with Security Hub: ${String(summary.agree)} agree, ${String(summary.disagree)} disagree, ` +
      `${String(summary.inconclusive)} inconclusive, ${String(summary.onlyTrailaudit)} only trailaudit, ${String(summary.onlySecurityHub)} only Security Hub, ${String(summary.unreadable)} unreadable.`,
    ...(result.scope.withoutResourceId.length === 0
      ? []
      : [`trailaudit: ${plural(result.scope.withoutResourceId.length, 'Security Hub finding')} without a resource id (Resources[0].Id empty) not compared.`]),
    ...unreadableLines(result),
    ...written.map((path) => `report: ${path}`),
  ];
  return `${terminalSafe(lines.join('\n'))}\n`;
}

async function runCompare(reportFile: string, raw: RawCompareOptions, cwd: string): Promise<number> {
  const givenRole = givenHubRoleName(raw);
  const file = resolve(cwd, reportFile);
  const loaded = loadReport(file, loadCheckSet(raw.checksDir, cwd));
  if (loaded.context.scope.source !== 'live') {
    throw new UsageError(`${file} is a report of an infrastructure-code scan; Security Hub judges live accounts: compare a report of \`trailaudit audit\`.`);
  }
  const endpointUrl = resolveEndpointUrl(raw.endpointUrl);
  // The SDK clients are loaded only when the command runs.
  const [{ createHubAccess }, { resolveDefaultRegion }, { compareReport }] = await Promise.all([
    import('../securityhub/access.js'),
    import('../collect/live/clients.js'),
    import('../securityhub/compareRun.js'),
  ]);
  const accountLevelRegion = raw.securityHubRegion ?? (await resolveDefaultRegion(raw.profile));
  const access = await createHubAccess({
    profile: raw.profile,
    endpointUrl,
    // An organization report names the role its audit entered the members with.
    roleName: givenRole ?? loaded.context.scope.organization?.roleName,
    externalId: raw.externalId,
    region: accountLevelRegion,
  });
  let outcome;
  try {
    outcome = await compareReport({ file, findings: loaded.findings, context: loaded.context, access, accountLevelRegion, now: () => new Date() });
  } finally {
    access.close();
  }
  const outputDir = resolve(cwd, raw.outputDir);
  const files: FileToWrite[] = [];
  if (raw.format.includes('json')) {
    files.push({ path: join(outputDir, COMPARE_JSON_FILE), content: formatCompareJson(outcome.result) });
  }
  if (raw.format.includes('markdown')) {
    files.push({ path: join(outputDir, COMPARE_MARKDOWN_FILE), content: formatCompareMarkdown(outcome.result) });
  }
  writeFilesAtomic(files);
  if (raw.quiet !== true) {
    if (outcome.result.scope.controls.length === 0) {
      process.stderr.write('trailaudit: no check of this report maps to a Security Hub control (frameworks.securityhub): nothing was compared.\n');
    }
    process.stderr.write(summaryLines(outcome.result, files.map(({ path }) => path)));
  } else {
    // --quiet drops the summary, never the reason for exit 2 (as `security-hub import --quiet`).
    process.stderr.write(terminalSafe(unreadableLines(outcome.result).map((line) => `${line}\n`).join('')));
  }
  if (outcome.result.summary.unreadable > 0 || outcome.result.scope.unreadable.length > 0) {
    return EXIT.badInput;
  }
  return raw.failOnDisagreement === true && outcome.result.summary.disagree > 0 ? EXIT.failures : EXIT.ok;
}

export function registerCompareCommand(securityHub: Command, cwd: string, setExitCode: (code: number) => void): void {
  securityHub
    .command('compare')
    .argument('<report>', 'a trailaudit.json report of a live audit')
    .description("compare a report's verdicts with Security Hub's own control findings (trailaudit-compare.json, trailaudit-compare.md)")
    .option('--format <formats>', `report formats (${COMPARE_FORMATS.join(', ')})`, formatList(COMPARE_FORMATS), [...COMPARE_FORMATS])
    .option('--output-dir <dir>', 'where reports are written', 'reports')
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator); also AWS_ENDPOINT_URL', endpointUrlOption)
    .option('--role-name <name>', "role assumed in each account other than the caller's (default: the organization audit's --role-name)", hubRoleName)
    .option('--security-hub-role-name <name>', 'the same as --role-name (as audit --security-hub and import spell it)', hubRoleName)
    .option('--external-id <id>', 'external id to pass when assuming the role')
    .option('--security-hub-region <region>', "Region also read for account-level controls (default: the credential chain's Region)", regionName)
    .option('--checks-dir <dir>', 'load check definitions from this directory instead of the built-in checks/')
    .addOption(new Option('--fail-on-disagreement', 'exit 1 when the two sides disagree on a verdict'))
    .option('--quiet', 'no summary on stderr (where Security Hub could not be read is still printed)')
    .addHelpText('after', COMPARE_HELP)
    .action(async (report: string, raw: RawCompareOptions) => {
      setExitCode(await runCompare(report, raw, cwd));
    });
}
