import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluate, type EnabledCheck } from '../engine/evaluate.js';
import type { CheckDefinition, Evaluation, Severity, Suppression } from '../engine/types.js';
import { InputError, type InputIssue } from '../errors.js';
import { accountsInScope, type FactNeed, type FactSet } from '../facts/model.js';
import { readCheckCache } from '../load/checkCache.js';
import { loadChecks } from '../load/loadChecks.js';
import type { Framework } from '../load/frameworks.js';
import { loadRules, resolveRulesFile } from '../load/loadRules.js';
import { readInputFile } from '../load/inputFile.js';
import { packagePath } from '../load/packagePaths.js';
import { readRulesCache } from '../load/rulesCache.js';
import { selectChecks } from '../load/selectChecks.js';
import type { RulesConfig } from '../load/rulesConfig.js';
import { BaselineError, parseBaseline } from '../report/json.js';
import { REPORT_FILE_NAMES, REPORT_FORMATS, type ReportFormat } from '../report/formats.js';
import type { BaselineReport, FormatterRegistry, ReportContext } from '../report/types.js';
import { writeFilesAtomic } from './files.js';
import { openHistory, type S3AccessSource } from './historyOptions.js';
import { planRun, type PlannedRun } from '../history/record.js';
import type { HistoryAppend, HistoryStore } from '../history/store.js';
import { organizationScope, withFindingAccounts } from './organizationScope.js';

export interface CommonOptions {
  readonly rules?: string;
  readonly checks?: readonly string[];
  readonly checksDir?: string;
  /** --framework: only its checks, with its pattern set (src/load/selectChecks.ts). */
  readonly framework?: Framework;
  readonly format?: readonly ReportFormat[];
  readonly outputDir: string;
  readonly failOn?: Severity;
  readonly baseline?: string;
  /** --history: a history folder or s3:// prefix (src/history/), opened by {@link prepareRun}. */
  readonly history?: string;
  /** --allow-unknown: an incomplete audit exits 0 instead of 3. */
  readonly allowUnknown: boolean;
  readonly cwd: string;
}

import { staleReports } from './staleReports.js';

export { staleReportNotes } from './staleReports.js';

/** Everything that must be valid before any AWS call or file write (exit 2 otherwise). */
export interface Prepared {
  readonly rules: RulesConfig;
  readonly enabled: readonly EnabledCheck[];
  readonly needs: ReadonlySet<FactNeed>;
  readonly formats: readonly ReportFormat[];
  readonly failOn: Severity;
  readonly allowUnknown: boolean;
  readonly baseline: BaselineReport | null;
  readonly history: HistoryStore | null;
  /** Ids of every loaded check, enabled or not: what a suppression may name. */
  readonly checkIds: readonly string[];
  readonly framework?: Framework;
}

/** The checks of `--checks-dir` (default: the shipped ones), through the build-time cache. */
export function loadCheckSet(checksDir: string | undefined, cwd: string): CheckDefinition[] {
  return loadChecks(checksDir === undefined ? undefined : resolve(cwd, checksDir), readCheckCache());
}

/**
 * The Markdown and HTML reports cite `trailaudit.json` by its SHA-256 as the run's evidence, so it
 * is written with them: a digest of a file nobody has would prove nothing.
 */
function withEvidence(formats: readonly ReportFormat[]): readonly ReportFormat[] {
  const cites = formats.includes('markdown') || formats.includes('html');
  return cites && !formats.includes('json') ? [...formats, 'json'] : formats;
}

/** Everything but the history (the Lambda handlers' checks); a command's run: {@link prepareRun}. */
export function prepare(options: Omit<CommonOptions, 'history'>): Prepared {
  const checks = loadCheckSet(options.checksDir, options.cwd);
  const rules = loadRules(resolveRulesFile(options.rules, options.cwd), checks, readRulesCache());
  const enabled = selectChecks(checks, rules, options.checks, options.framework);
  const formats = withEvidence(options.format ?? rules.reports);
  let baseline: BaselineReport | null = null;
  if (options.baseline !== undefined) {
    const file = resolve(options.cwd, options.baseline);
    const text = readInputFile(file, 'baseline');
    try {
      baseline = parseBaseline(text, file);
    } catch (error) {
      // The issue already names the file: keep it out of the message.
      const located = error instanceof BaselineError ? { path: error.path, message: error.problem } : { path: '', message: (error as Error).message };
      throw new InputError([{ file, line: 0, column: 0, ...located, message: `not a usable baseline report: ${located.message}` }]);
    }
  }
  const needs = new Set<FactNeed>(enabled.flatMap(({ check }) => check.needs));
  const checkIds = checks.map((check) => check.id);
  return {
    rules,
    enabled,
    needs,
    formats,
    failOn: options.failOn ?? rules.failOn,
    allowUnknown: options.allowUnknown,
    baseline,
    history: null,
    checkIds,
    ...(options.framework === undefined ? {} : { framework: options.framework }),
  };
}

/**
 * {@link prepare}, then the history opened and checked (async: an S3 history is read), still
 * before any AWS audit call or file write. `s3Access`: the caller's credentials and endpoint.
 */
export async function prepareRun(options: CommonOptions, s3Access: S3AccessSource = () => ({}), otherWrites: readonly string[] = []): Promise<Prepared> {
  const prepared = prepare(options);
  // Whatever the run writes besides its history (reports, a saved snapshot) must land outside it.
  return { ...prepared, history: await openHistory(options.history, options.cwd, s3Access, [options.outputDir, ...otherWrites]) };
}

export function toolVersion(): string {
  const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export function utcToday(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export interface Outcome {
  readonly evaluation: Evaluation;
  readonly context: ReportContext;
  readonly written: readonly string[];
  /**
   * Report files of formats not asked for this time, left in the output directory by an earlier
   * run: a CI job publishing them would publish stale results, so the CLI says so.
   */
  readonly stale: readonly string[];
}

/**
 * The report formatters (xmlbuilder2 and the rest) are loaded on demand: an audit starts loading
 * them once its first AWS requests are in flight, so they cost nothing before the first call.
 */
export async function loadFormatters(): Promise<FormatterRegistry> {
  return (await import('../report/index.js')).FORMATTERS;
}

/**
 * Evaluate the facts, render every requested report, then write them all (each atomically); then
 * an S3 history's append (a failure there: exit 2, the reports written are named).
 */
export async function evaluateAndReport(
  prepared: Prepared,
  facts: FactSet,
  options: {
    outputDir: string;
    startedAt: Date;
    inputs: readonly string[];
    now: Date;
    /** Declared in the scanned files themselves (IaC inline suppressions), added to rules.yaml's. */
    extraSuppressions?: readonly Suppression[];
    /** Scan only: files that could not be scanned, shown in every report. */
    inputErrors?: readonly InputIssue[];
    formatters: FormatterRegistry;
  },
): Promise<Outcome> {
  const suppressions = [...prepared.rules.suppressions, ...(options.extraSuppressions ?? [])];
  const evaluated = evaluate({
    checks: prepared.enabled,
    facts,
    suppressions,
    today: utcToday(options.now),
  });
  const evaluation = { ...evaluated, findings: withFindingAccounts(evaluated.findings, facts) };
  const organization = organizationScope(facts);
  const scope = { accounts: [...accountsInScope(facts)], regions: [...new Set(facts.regions.map((region) => region.name))] };
  // A history dates a run by when its facts were collected: an old snapshot evaluated today is as
  // old as its facts (a later run's fixes must not be rewound by it; planRun refuses it).
  const observedAt = Number.isNaN(Date.parse(facts.collectedAt)) ? options.startedAt.toISOString() : new Date(facts.collectedAt).toISOString();
  const startedAt = prepared.history === null ? options.startedAt.toISOString() : observedAt;
  const run =
    prepared.history === null
      ? null
      : planRun(prepared.history.index, evaluation.findings, { ...scope, checks: prepared.enabled.map(({ check }) => check.id) }, startedAt, options.now.toISOString());
  const context: ReportContext = {
    tool: { name: 'trailaudit', version: toolVersion() },
    scope: {
      source: facts.source,
      accounts: [...accountsInScope(facts)],
      // An organization set lists each Region once per account.
      regions: [...new Set(facts.regions.map((region) => region.name))],
      ...regionCoverage(facts),
      // Who ran it: an organization audit's caller, not the first audited account's role.
      ...principalOf(facts),
      inputs: options.inputs,
      ...(prepared.framework === undefined ? {} : { framework: prepared.framework.name }),
      ...(organization === undefined ? {} : { organization }),
    },
    startedAt: options.startedAt.toISOString(),
    finishedAt: options.now.toISOString(),
    collectedAt: facts.collectedAt,
    stats: facts.stats,
    checks: prepared.enabled.map(({ check }) => check),
    checkParameters: Object.fromEntries(prepared.enabled.filter(({ check }) => Object.keys(check.parameters).length > 0).map(({ check, params }) => [check.id, params])),
    suppressions: evaluation.suppressions,
    failOn: prepared.failOn,
    allowUnknown: prepared.allowUnknown,
    baseline: prepared.baseline,
    ...(run === null ? {} : { history: run.annotations }),
    ...(options.inputErrors === undefined ? {} : { inputErrors: options.inputErrors }),
  };
  // Render everything before writing anything, so a formatter bug cannot leave a mixed set.
  const rendered = prepared.formats.map((format) => ({
    path: join(options.outputDir, REPORT_FILE_NAMES[format]),
    content: options.formatters[format](evaluation.findings, context),
  }));
  // A folder history's run and index go with the reports, all or nothing; an S3 history's after them.
  const append = run === null || prepared.history === null ? null : historyAppend(prepared.history, run, rendered, () => options.formatters.json(evaluation.findings, context));
  try {
    writeFilesAtomic([...rendered, ...(append?.files ?? [])]);
  } catch (error) {
    append?.abandon();
    throw error;
  }
  await append?.commit(rendered.map(({ path }) => path));
  const stale = staleReports(
    options.outputDir,
    REPORT_FORMATS.filter((format) => !prepared.formats.includes(format)).map((format) => REPORT_FILE_NAMES[format]),
  );
  return { evaluation, context, written: rendered.map(({ path }) => path), stale };
}

/** `json`: renders the JSON report only when it was not asked for (a 2,000-finding report is megabytes). */
function historyAppend(store: HistoryStore, run: PlannedRun, rendered: readonly { path: string; content: string }[], json: () => string): HistoryAppend {
  const report = rendered.find(({ path }) => path.endsWith(REPORT_FILE_NAMES.json))?.content ?? json();
  return store.append(run.file, report, run.indexWith(Buffer.byteLength(report)));
}

/**
 * Whether the Regions are every enabled one (report scope `allRegions`): an organization set
 * records --regions once; a single account's set, how its collector chose them.
 */
function regionCoverage(facts: FactSet): { allRegions?: boolean } {
  if (facts.source !== 'live') {
    return {};
  }
  if (facts.organization !== undefined) {
    return { allRegions: facts.organization.regionsRequested === undefined };
  }
  const selection = facts.account.regionSelection;
  return selection === undefined ? {} : { allRegions: selection === 'enabled' };
}

function principalOf(facts: FactSet): { principalArn?: string } {
  const arn = facts.organization?.callerArn ?? facts.account.principalArn;
  return arn === undefined ? {} : { principalArn: arn };
}
