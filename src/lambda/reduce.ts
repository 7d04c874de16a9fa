/**
 * Step 3: evaluate every batch's snapshot as one organization (the `trailaudit evaluate S1 S2 …`
 * path: organization trails collected in one batch credit members collected in another), with
 * accounts.json as the scope, so that an account whose batch left no snapshot at all is UNKNOWN,
 * never missing. Writes the reports under the run and as `latest/`, then optionally imports the
 * findings into Security Hub (src/securityhub/: the archive planner decides what may be archived).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { inPartition } from '../collect/live/account.js';
import { exitCodeFor } from '../cli/exitCode.js';
import { evaluateAndReport, loadFormatters, type Outcome } from '../cli/pipeline.js';
import type { Finding } from '../engine/types.js';
import { InputError } from '../errors.js';
import { absentAccounts } from '../facts/accountView.js';
import { deriveFacts } from '../facts/derive.js';
import { mergeFactSets } from '../facts/merge.js';
import type { FactSet } from '../facts/model.js';
import { loadSnapshots } from '../load/loadSnapshots.js';
import { REPORT_FILE_NAMES } from '../report/formats.js';
import type { HistoryStore } from '../history/store.js';
import { contentType, updateLatest, type LatestOutcome, type ReportFile } from './latest.js';
import { logNotice } from './log.js';
import { renderWithHistory, type HistoryOutcome } from './reduceHistory.js';
import { endpointFromEnvironment, loadRun, prepareChecks, type LoadedRun } from './runContext.js';
import { runKey, RunStore } from './runStore.js';
import { importFindings, type SecurityHubResult } from './securityHubImport.js';
import { historySetting, location, reportFormats, securityHubSettings, SettingError, type LocationEvent, type RunLocation, type SecurityHubEvent } from './settings.js';
import { standInFacts } from './standIns.js';
import { checkFields } from './eventFields.js';

export interface ReduceEvent extends LocationEvent {
  readonly formats?: readonly string[] | string;
  readonly securityHub?: SecurityHubEvent;
  /** An s3:// history each run is appended to (TRAILAUDIT_HISTORY); unset: none. */
  readonly history?: string;
}

export interface ReduceResult {
  readonly runId: string;
  readonly counts: Readonly<Record<Finding['status'] | 'suppressed', number>>;
  readonly accounts: number;
  /** Accounts UNKNOWN for every control: not entered, their batch failed or left no snapshot (scope.organization.unreachable). */
  readonly unreachableAccounts: number;
  /** What `trailaudit evaluate` would exit with: 0 ok, 1 unsuppressed FAIL, 3 incomplete, 2 Security Hub import failures. */
  readonly exitCode: number;
  readonly result: 'ok' | 'failures' | 'incomplete' | 'import_failed';
  readonly reports: readonly string[];
  /**
   * `updated`: latest/ now holds this run's reports (and no other run's). `kept_newer`: latest/
   * holds a run whose facts were collected after this run's, and was left as it is.
   * `kept_narrower`: this run was narrowed by its execution's input (run.json's narrowedBy), so it
   * is not the deployment's full scope and latest/ was left as it is.
   */
  readonly latest: LatestOutcome;
  /**
   * The S3 history (TRAILAUDIT_HISTORY): whether this run was appended (its reports then carry
   * firstSeen/failingSince and the trend), and if not why (reduceHistory.ts). `reports`: what the
   * run's reports carry: `this_run` (appended now), `first_attempt` (a retry found the history
   * already holding this run and kept the first attempt's complete reports), `none`.
   */
  readonly history?: HistoryOutcome & { readonly reports: 'this_run' | 'first_attempt' | 'none' };
  readonly securityHub?: SecurityHubResult;
}

/** Every snapshot of the run, loaded and merged as `evaluate` does (schema-validated, derived again). */
async function loadRunSnapshots(store: RunStore, bucket: string, prefix: string, directory: string): Promise<{ facts: FactSet; inputs: string[] }> {
  const keys = (await store.listKeys(bucket, prefix)).filter((key) => key.endsWith('.json')).sort();
  if (keys.length === 0) {
    throw new Error(`no snapshot under s3://${bucket}/${prefix}: no batch of this run wrote one (not even a failure record), so there is nothing to evaluate`);
  }
  const files = await Promise.all(
    keys.map(async (key, index) => {
      const file = join(directory, `${String(index)}-${basename(key)}`);
      writeFileSync(file, await store.getText(bucket, key));
      return file;
    }),
  );
  try {
    return { facts: loadSnapshots(files), inputs: keys.map((key) => `s3://${bucket}/${key}`) };
  } catch (error) {
    if (error instanceof InputError) {
      throw new Error(`the run's snapshots cannot be evaluated together: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * accounts.json is the scope. An account of it that no snapshot holds (its batch neither wrote
 * one nor had its failure recorded: the Map stopped, a redrive, a snapshot deleted) gets the
 * unreachable stand-in recordFailure writes, with a message saying so: every control UNKNOWN, and
 * the reports list it among the accounts not entered (scope.organization.unreachable).
 */
function withRunScope(facts: FactSet, loaded: LoadedRun, where: RunLocation): FactSet {
  const organization = facts.organization;
  if (organization === undefined) {
    throw new Error('the snapshots hold no organization facts: they were not written by this deployment\'s handlers');
  }
  const scope = new Set([...organization.accountsInScope, ...loaded.accounts.map((item) => item.id)]);
  const scoped = scope.size === organization.accountsInScope.length ? facts : deriveFacts({ ...facts, organization: { ...organization, accountsInScope: [...scope].sort() } });
  const absent = new Set(absentAccounts(scoped));
  if (absent.size === 0) {
    return scoped;
  }
  const snapshots = `s3://${where.bucket}/${runKey(where, 'snapshots')}/`;
  const standIns = standInFacts(
    loaded,
    loaded.accounts.filter((item) => absent.has(item.id)),
    (id) =>
      `Account ${id} was not audited: the batch that was to audit it left no snapshot under ${snapshots} (it did not finish and its failure was not recorded), so nothing of the account was read and each of its controls is UNKNOWN.`,
  );
  // The run's scope, not the snapshots' (organizationOfRun): every stand-in carries it.
  return mergeFactSets([{ ...scoped, organization: { ...organization, accountsInScope: [...scope].sort() } }, ...standIns]);
}

function countStatuses(findings: readonly Finding[]): ReduceResult['counts'] {
  const counts = { PASS: 0, FAIL: 0, UNKNOWN: 0, NOT_APPLICABLE: 0, suppressed: 0 };
  for (const finding of findings) {
    counts[finding.status] += 1;
    if (finding.suppressed !== null) {
      counts.suppressed += 1;
    }
  }
  return counts;
}

/**
 * The first attempt's reports of this run (runs/<id>/reports/) that this attempt asks for, when
 * its JSON report carries the history as of this run (its `history.runs.last` is this run's
 * collection time): only an append that happened writes such a report (reduceHistory.ts). They
 * are kept as they are (the history as of this run cannot be computed again once it holds the
 * run); a format the first attempt did not write is added without a history section.
 */
async function firstAttemptReports(store: RunStore, where: RunLocation, wanted: readonly ReportFile[], collectedAt: string): Promise<ReportFile[] | null> {
  const present = new Set(await store.listKeys(where.bucket, `${runKey(where, 'reports')}/`));
  const jsonKey = runKey(where, 'reports', REPORT_FILE_NAMES.json);
  if (!present.has(jsonKey)) {
    return null;
  }
  let jsonText: string;
  let last: unknown;
  try {
    jsonText = await store.getText(where.bucket, jsonKey);
    last = (JSON.parse(jsonText) as { history?: { runs?: { last?: unknown } } }).history?.runs?.last;
  } catch {
    return null;
  }
  if (typeof last !== 'string' || Date.parse(last) !== Date.parse(collectedAt)) {
    logNotice(`the first attempt's reports under runs/${where.runId}/reports/ do not carry this run's history section: they are replaced by reports without one.`);
    return null;
  }
  const held = wanted.filter((file) => present.has(runKey(where, 'reports', file.name)));
  const files = await Promise.all(
    held.map(async (file) => ({ name: file.name, body: file.name === REPORT_FILE_NAMES.json ? jsonText : await store.getText(where.bucket, runKey(where, 'reports', file.name)) })),
  );
  const added = wanted.filter((file) => !present.has(runKey(where, 'reports', file.name))).map((file) => file.name);
  logNotice(
    `the history already holds this run: its first attempt's reports under runs/${where.runId}/reports/ (with the history) are kept as they are` +
      (added.length === 0 ? '.' : `; ${added.join(', ')}, which it did not write, ${added.length === 1 ? 'is' : 'are'} added without a history section.`),
  );
  return files;
}

/** latest/ for a run of the deployment's full scope; a run narrowed by hand leaves it alone. */
async function latestFor(store: RunStore, where: RunLocation, loaded: LoadedRun, collectedAt: Date, files: readonly ReportFile[]): Promise<LatestOutcome> {
  const narrowedBy = loaded.run.narrowedBy ?? [];
  if (narrowedBy.length > 0) {
    logNotice(`latest/ kept: run ${where.runId} was narrowed by its execution's input (${narrowedBy.join(', ')}), so it is not the deployment's full scope; its reports are under runs/${where.runId}/reports/ only.`);
    return 'kept_narrower';
  }
  return updateLatest(store, where, collectedAt, files);
}

const RESULTS = { 0: 'ok', 1: 'failures', 2: 'import_failed', 3: 'incomplete' } as const;

export async function reduce(event: ReduceEvent, environment: NodeJS.ProcessEnv = process.env): Promise<ReduceResult> {
  checkFields(event, 'the Reduce event', ['runId', 'bucket', 'prefix', 'formats', 'securityHub', 'history']);
  checkFields(event.securityHub, 'securityHub', ['enabled', 'region', 'roleName']);
  const where = location(event, environment, undefined);
  // The event's own settings are checked before anything is read; the run's (run.json) once loaded.
  reportFormats(event.formats, environment);
  securityHubSettings(event.securityHub, environment);
  const endpointUrl = endpointFromEnvironment(environment);
  const history = historySetting(event.history, environment, where);
  const store = new RunStore(endpointUrl);
  const directory = mkdtempSync(join(tmpdir(), 'trailaudit-reduce-'));
  try {
    const loaded = await loadRun(store, where);
    // The execution's input (carried in run.json by listAccounts) over the environment; this event over both.
    const formats = reportFormats(event.formats ?? loaded.run.reduce?.formats, environment);
    const securityHub = securityHubSettings(event.securityHub ?? loaded.run.reduce?.securityHub, environment);
    if (securityHub.enabled && securityHub.region !== undefined && loaded.run.partition !== '' && !inPartition(securityHub.region, loaded.run.partition)) {
      throw new SettingError(`securityHub.region / TRAILAUDIT_SECURITY_HUB_REGION: ${securityHub.region} is not a Region of partition ${loaded.run.partition}, the run's`);
    }
    const snapshots = await loadRunSnapshots(store, where.bucket, `${runKey(where, 'snapshots')}/`, directory);
    const facts = withRunScope(snapshots.facts, loaded, where);
    const outputDir = join(directory, 'reports');
    const render = async (historyStore: HistoryStore | null): Promise<Outcome> =>
      evaluateAndReport(
        { ...prepareChecks(loaded.run, formats, outputDir), history: historyStore },
        facts,
        { outputDir, startedAt: new Date(loaded.run.createdAt), inputs: snapshots.inputs, now: new Date(), formatters: await loadFormatters() },
      );
    // A history problem never costs the run its reports or its import (reduceHistory.ts).
    const withHistory =
      history === undefined
        ? undefined
        : await renderWithHistory({ location: history, ...(endpointUrl === undefined ? {} : { endpointUrl }), collectedAt: facts.collectedAt, runs: { store, where }, render, now: new Date() });
    const outcome = withHistory?.rendered ?? (await render(null));
    const local: ReportFile[] = outcome.written.map((file) => ({ name: basename(file), body: readFileSync(file, 'utf8') }));
    // A retry of a run the history already holds: its first attempt's reports carry the history
    // as of this run, which cannot be computed again; when they are all there, they stay.
    const kept = withHistory?.history.reason === 'already_recorded' ? await firstAttemptReports(store, where, local, facts.collectedAt) : null;
    const keptNames = new Set((kept ?? []).map((file) => file.name));
    const files = [...(kept ?? []), ...local.filter((file) => !keptNames.has(file.name))];
    const reports: string[] = [];
    for (const file of files) {
      if (!keptNames.has(file.name)) {
        await store.putText(where.bucket, runKey(where, 'reports', file.name), file.body, contentType(file.name));
      }
      reports.push(runKey(where, 'reports', file.name));
    }
    // latest/ only once the run's own copies are all written, never with an older run's, and
    // only for a run of the deployment's full scope.
    const latest = await latestFor(store, where, loaded, new Date(snapshots.facts.collectedAt), files);
    const { findings } = outcome.evaluation;
    const imported = securityHub.enabled
      ? await importFindings({ findings, context: outcome.context, settings: securityHub, auditRoleName: loaded.run.settings.roleName, ...(loaded.run.settings.externalId === undefined ? {} : { externalId: loaded.run.settings.externalId }), ...(endpointUrl === undefined ? {} : { endpointUrl }) })
      : undefined;
    const auditCode = exitCodeFor(findings, outcome.context.failOn, outcome.context.allowUnknown);
    const exitCode = imported !== undefined && imported.failures.length > 0 ? 2 : auditCode;
    const audited = facts.auditedAccounts ?? [facts.account];
    return {
      runId: where.runId,
      counts: countStatuses(findings),
      accounts: loaded.accounts.length,
      // Absent ones only if a snapshot's scope named an account accounts.json does not (stand-ins cover the rest).
      unreachableAccounts: audited.filter((account) => account.unreachable !== undefined).length + absentAccounts(facts).length,
      exitCode,
      result: RESULTS[exitCode as keyof typeof RESULTS],
      reports,
      latest,
      ...(withHistory === undefined ? {} : { history: { ...withHistory.history, reports: withHistory.history.appended ? 'this_run' : kept === null ? 'none' : 'first_attempt' } }),
      ...(imported === undefined ? {} : { securityHub: imported }),
    };
  } finally {
    store.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}
