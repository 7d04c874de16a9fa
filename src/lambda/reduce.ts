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
import { evaluateAndReport, loadFormatters } from '../cli/pipeline.js';
import type { Finding } from '../engine/types.js';
import { InputError } from '../errors.js';
import { absentAccounts } from '../facts/accountView.js';
import { deriveFacts } from '../facts/derive.js';
import { mergeFactSets } from '../facts/merge.js';
import type { FactSet } from '../facts/model.js';
import { loadSnapshots } from '../load/loadSnapshots.js';
import { REPORT_FILE_NAMES } from '../report/formats.js';
import { openS3HistoryWith } from '../history/s3Client.js';
import { displayLocation } from '../history/s3Location.js';
import type { HistoryIndex } from '../history/model.js';
import { logNotice } from './log.js';
import { endpointFromEnvironment, loadRun, prepareChecks, type LoadedRun } from './runContext.js';
import { latestKey, runKey, RunStore } from './runStore.js';
import { importFindings, type SecurityHubResult } from './securityHubImport.js';
import { historySetting, location, reportFormats, securityHubSettings, SettingError, type LocationEvent, type RunLocation, type SecurityHubEvent } from './settings.js';
import { standInFacts } from './standIns.js';

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
   */
  readonly latest: 'updated' | 'kept_newer';
  /**
   * The S3 history (TRAILAUDIT_HISTORY) and whether this run was appended to it (its reports then
   * carry firstSeen/failingSince and the trend); not when the history already holds this run or a
   * later one (a retried or redriven Reduce finishing after a newer run's).
   */
  readonly history?: { readonly location: string; readonly appended: boolean };
  readonly securityHub?: SecurityHubResult;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { json: 'application/json', md: 'text/markdown; charset=utf-8', xml: 'application/xml', sarif: 'application/sarif+json' };

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

/** S3 user metadata on latest/'s files: when the facts of the run they hold were collected, and which run. */
const COLLECTED_AT_METADATA = 'trailaudit-collected-at';
const RUN_ID_METADATA = 'trailaudit-run-id';

/**
 * When the facts of the run latest/ holds were collected: the metadata reduce writes, else the
 * report's own `collectedAt`, else its `startedAt` (a report written before either existed; its
 * facts were collected after it started). undefined when latest/ has no readable trailaudit.json.
 */
async function latestCollectedAt(store: RunStore, bucket: string, key: string): Promise<{ collectedAt: Date; runId: string } | undefined> {
  const { body, metadata } = await store.getWithMetadata(bucket, key);
  let report: { collectedAt?: unknown; startedAt?: unknown } = {};
  try {
    report = JSON.parse(body) as typeof report;
  } catch {
    // Not JSON: replaced by this run's (and said in the log).
  }
  const candidates = [metadata[COLLECTED_AT_METADATA], report.collectedAt, report.startedAt];
  for (const candidate of candidates) {
    const time = typeof candidate === 'string' ? new Date(candidate) : undefined;
    if (time !== undefined && !Number.isNaN(time.getTime())) {
      return { collectedAt: time, runId: metadata[RUN_ID_METADATA] ?? 'unknown' };
    }
  }
  logNotice(`s3://${bucket}/${key} says no time its facts were collected: this run's reports replace it.`);
  return undefined;
}

/**
 * latest/ as a whole set: this run's report files, written with trailaudit.json last, then every
 * other trailaudit report file (REPORT_FILE_NAMES: formats this run did not write) removed, so
 * latest/ never mixes two runs' formats; other files under latest/ are left alone. Unless latest/
 * holds a run whose facts were collected later than this run's (a redrive or retry of an older
 * execution finishing after a newer one): then latest/ is kept as it is.
 */
async function updateLatest(store: RunStore, where: RunLocation, collectedAt: Date, written: readonly string[]): Promise<ReduceResult['latest']> {
  const jsonName = REPORT_FILE_NAMES.json;
  const folder = latestKey(where, jsonName).slice(0, -jsonName.length);
  const present = new Set(await store.listKeys(where.bucket, folder));
  if (present.has(latestKey(where, jsonName))) {
    const held = await latestCollectedAt(store, where.bucket, latestKey(where, jsonName));
    if (held !== undefined && held.collectedAt.getTime() > collectedAt.getTime()) {
      logNotice(
        `latest/ kept: it holds run ${held.runId}, whose facts were collected at ${held.collectedAt.toISOString()}, after this run's (${collectedAt.toISOString()}); this run's reports are under runs/${where.runId}/reports/ only.`,
      );
      return 'kept_newer';
    }
  }
  const metadata = { [COLLECTED_AT_METADATA]: collectedAt.toISOString(), [RUN_ID_METADATA]: where.runId };
  const files = [...written].sort((a, b) => Number(basename(a) === jsonName) - Number(basename(b) === jsonName));
  for (const file of files) {
    await store.putText(where.bucket, latestKey(where, basename(file)), readFileSync(file, 'utf8'), contentType(basename(file)), metadata);
  }
  const names = files.map((file) => basename(file));
  for (const name of Object.values(REPORT_FILE_NAMES)) {
    if (!names.includes(name) && present.has(latestKey(where, name))) {
      await store.deleteKey(where.bucket, latestKey(where, name));
    }
  }
  return 'updated';
}

function contentType(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
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
 * Whether the history's last run was collected at or after `collectedAt`: this run again (a
 * retried Reduce) or an older run finishing late. Appending would count it twice or rewind the
 * streaks (planRun refuses that), so the run's reports are written without the history, as
 * latest/ is kept from an older run (updateLatest), and the log says so.
 */
function heldByHistory(index: HistoryIndex, collectedAt: string): boolean {
  const last = index.runs.at(-1)?.startedAt;
  const held = last !== undefined && !Number.isNaN(Date.parse(collectedAt)) && Date.parse(collectedAt) <= Date.parse(last);
  if (held) {
    logNotice(`the history already holds a run collected at ${last}, not before this run's facts (${collectedAt}): this run is not appended to it again, and its reports carry no history section.`);
  }
  return held;
}

const RESULTS = { 0: 'ok', 1: 'failures', 2: 'import_failed', 3: 'incomplete' } as const;

export async function reduce(event: ReduceEvent, environment: NodeJS.ProcessEnv = process.env): Promise<ReduceResult> {
  const where = location(event, environment, undefined);
  const formats = reportFormats(event.formats, environment);
  const securityHub = securityHubSettings(event.securityHub, environment);
  const endpointUrl = endpointFromEnvironment(environment);
  const history = historySetting(event.history, environment, where);
  const store = new RunStore(endpointUrl);
  const directory = mkdtempSync(join(tmpdir(), 'trailaudit-reduce-'));
  try {
    const loaded = await loadRun(store, where);
    if (securityHub.enabled && securityHub.region !== undefined && loaded.run.partition !== '' && !inPartition(securityHub.region, loaded.run.partition)) {
      throw new SettingError(`securityHub.region / TRAILAUDIT_SECURITY_HUB_REGION: ${securityHub.region} is not a Region of partition ${loaded.run.partition}, the run's`);
    }
    const snapshots = await loadRunSnapshots(store, where.bucket, `${runKey(where, 'snapshots')}/`, directory);
    const facts = withRunScope(snapshots.facts, loaded, where);
    const outputDir = join(directory, 'reports');
    // The history is read before the evaluation and appended to once the reports are written (a
    // failure there fails the step: the history is part of the run's output, never skipped).
    const historyStore = history === undefined ? null : await openS3HistoryWith(history, endpointUrl === undefined ? {} : { endpointUrl });
    const appended = historyStore !== null && !heldByHistory(historyStore.index, facts.collectedAt);
    const prepared = { ...prepareChecks(loaded.run, formats, outputDir), history: appended ? historyStore : null };
    const outcome = await evaluateAndReport(prepared, facts, { outputDir, startedAt: new Date(loaded.run.createdAt), inputs: snapshots.inputs, now: new Date(), formatters: await loadFormatters() });
    const reports: string[] = [];
    for (const file of outcome.written) {
      const name = basename(file);
      await store.putText(where.bucket, runKey(where, 'reports', name), readFileSync(file, 'utf8'), contentType(name));
      reports.push(runKey(where, 'reports', name));
    }
    // latest/ only once the run's own copies are all written, and never with an older run's.
    const latest = await updateLatest(store, where, new Date(snapshots.facts.collectedAt), outcome.written);
    const { findings } = outcome.evaluation;
    const imported = securityHub.enabled
      ? await importFindings({ findings, context: outcome.context, settings: securityHub, auditRoleName: loaded.run.settings.roleName, ...(endpointUrl === undefined ? {} : { endpointUrl }) })
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
      ...(history === undefined ? {} : { history: { location: displayLocation(history), appended } }),
      ...(imported === undefined ? {} : { securityHub: imported }),
    };
  } finally {
    store.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}
