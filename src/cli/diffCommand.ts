/**
 * `trailaudit diff OLD.json NEW.json` (issue 15): what changed between two reports, written as
 * `trailaudit-diff.json` / `.md`. The sorting is the `--baseline` comparison's (report/baselineDiff.ts).
 *
 * Exit codes: 0 compared; 1 with `--fail-on-new` and at least one new unsuppressed failure;
 * 2 bad usage or input (a report missing, not JSON, not a trailaudit report: the message names
 * the file and the JSON path).
 */
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadReport, type LoadedReport } from '../load/loadReport.js';
import type { EvaluatedScope } from '../report/baselineDiff.js';
import { DIFF_JSON_FILE, formatDiffJson } from '../report/diff/json.js';
import { DIFF_MARKDOWN_FILE, formatDiffMarkdown } from '../report/diff/markdown.js';
import { buildDiff, type DiffInput } from '../report/diff/result.js';
import { UsageError } from '../errors.js';
import { EXIT } from './exitCode.js';
import { writeFilesAtomic, type FileToWrite } from './files.js';
import { formatList } from './options.js';
import { loadCheckSet } from './pipeline.js';
import { terminalSafe } from './terminalText.js';

const DIFF_FORMATS = ['json', 'markdown'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

interface RawDiffOptions {
  format: DiffFormat[];
  outputDir: string;
  checksDir?: string;
  failOnNew?: boolean;
  quiet?: boolean;
}

const DIFF_HELP = `
A finding is the same across the two runs when control, resource id and Region agree (and, in a
scan, the file). Not evaluated is not fixed: a failure of OLD that NEW did not evaluate (UNKNOWN
now, check not run, account or Region not audited) is listed as not evaluated. A failure of NEW
that OLD did not evaluate is a new failure, marked notEvaluatedBefore. OLD and NEW must be two
different files and both live audits (or both scans).

Exit codes:
  0  compared (without --fail-on-new, whatever changed)
  1  --fail-on-new and at least one new unsuppressed failure
  2  bad usage or input (a report missing, not JSON, or not a trailaudit report)`;

function side(loaded: LoadedReport): DiffInput {
  const { context } = loaded;
  return {
    side: { file: loaded.file, finishedAt: context.finishedAt, ...(context.collectedAt === undefined ? {} : { collectedAt: context.collectedAt }) },
    findings: loaded.findings,
  };
}

function evaluatedScope(loaded: LoadedReport): EvaluatedScope {
  const { scope, checks } = loaded.context;
  return {
    checkIds: new Set(checks.map((c) => c.id)),
    live: scope.source === 'live',
    accounts: new Set(scope.accounts),
    regions: new Set(scope.regions),
  };
}

/** OLD observed after NEW (collectedAt, else finishedAt): most likely the arguments are swapped. */
function isAfter(before: LoadedReport, after: LoadedReport): boolean {
  const when = (loaded: LoadedReport): number => Date.parse(loaded.context.collectedAt ?? loaded.context.finishedAt);
  return when(before) > when(after);
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // loadReport names a missing file
  }
}

/** A live audit and an IaC scan describe different things: every finding would be "new" and "fixed". */
function isLive(loaded: LoadedReport): boolean {
  return loaded.context.scope.source === 'live';
}

function checkComparable(before: LoadedReport, after: LoadedReport): void {
  if (isLive(before) !== isLive(after)) {
    const kind = (loaded: LoadedReport): string => (isLive(loaded) ? 'a live audit' : `a scan (${loaded.context.scope.source})`);
    throw new UsageError(`${before.file} is ${kind(before)} and ${after.file} is ${kind(after)}: diff compares two runs of the same kind`);
  }
}

function runDiff(oldFile: string, newFile: string, raw: RawDiffOptions, cwd: string): number {
  const checks = loadCheckSet(raw.checksDir, cwd);
  const oldPath = resolve(cwd, oldFile);
  const newPath = resolve(cwd, newFile);
  if (realPath(oldPath) === realPath(newPath)) {
    throw new UsageError(`OLD and NEW are the same file (${newPath}): give the earlier run's report first and the later one second`);
  }
  const before = loadReport(oldPath, checks);
  const after = loadReport(newPath, checks);
  checkComparable(before, after);
  const result = buildDiff(after.context.tool, side(before), side(after), evaluatedScope(after), evaluatedScope(before));
  const outputDir = resolve(cwd, raw.outputDir);
  const files: FileToWrite[] = [];
  if (raw.format.includes('json')) {
    files.push({ path: join(outputDir, DIFF_JSON_FILE), content: formatDiffJson(result) });
  }
  if (raw.format.includes('markdown')) {
    files.push({ path: join(outputDir, DIFF_MARKDOWN_FILE), content: formatDiffMarkdown(result) });
  }
  writeFilesAtomic(files);
  const { summary } = result;
  if (raw.quiet !== true) {
    const swapped = isAfter(before, after);
    const lines = [
      ...(swapped ? [`trailaudit: warning: OLD (${before.file}) was collected after NEW (${after.file}); did you swap them?`] : []),
      `trailaudit: ${String(summary.newFailures)} new failures (${String(summary.newUnsuppressedFailures)} unsuppressed), ${String(summary.fixed)} fixed, ` +
        `${String(summary.stillFailing)} still failing, ${String(summary.notEvaluated)} not evaluated.`,
      ...files.map(({ path }) => `report: ${path}`),
    ];
    process.stderr.write(`${terminalSafe(lines.join('\n'))}\n`);
  }
  return raw.failOnNew === true && summary.newUnsuppressedFailures > 0 ? EXIT.failures : EXIT.ok;
}

export function registerDiffCommand(program: Command, cwd: string, setExitCode: (code: number) => void): void {
  program
    .command('diff')
    .argument('<old>', 'the earlier trailaudit.json report')
    .argument('<new>', 'the later trailaudit.json report')
    .description('compare two reports: new failures, fixed, still failing, not evaluated (trailaudit-diff.json, trailaudit-diff.md)')
    .option('--format <formats>', `report formats (${DIFF_FORMATS.join(', ')})`, formatList(DIFF_FORMATS), [...DIFF_FORMATS])
    .option('--output-dir <dir>', 'where reports are written', 'reports')
    .option('--checks-dir <dir>', 'check definitions the reports were made with (default: the shipped checks)')
    .option('--fail-on-new', 'exit 1 when NEW has a failure OLD did not have (suppressed failures excepted)')
    .option('--quiet', 'no summary on stderr')
    .addHelpText('after', DIFF_HELP)
    .action((oldFile: string, newFile: string, raw: RawDiffOptions) => {
      setExitCode(runDiff(oldFile, newFile, raw, cwd));
    });
}
