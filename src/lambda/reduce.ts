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
import { exitCodeFor } from '../cli/exitCode.js';
import { evaluateAndReport, loadFormatters } from '../cli/pipeline.js';
import type { Finding } from '../engine/types.js';
import { InputError } from '../errors.js';
import { absentAccounts } from '../facts/accountView.js';
import { deriveFacts } from '../facts/derive.js';
import type { FactSet } from '../facts/model.js';
import { loadSnapshots } from '../load/loadSnapshots.js';
import { endpointFromEnvironment, loadRun, prepareChecks, type LoadedRun } from './runContext.js';
import { latestKey, runKey, RunStore } from './runStore.js';
import { importFindings, type SecurityHubResult } from './securityHubImport.js';
import { location, reportFormats, securityHubSettings, type LocationEvent, type SecurityHubEvent } from './settings.js';

export interface ReduceEvent extends LocationEvent {
  readonly formats?: readonly string[] | string;
  readonly securityHub?: SecurityHubEvent;
}

export interface ReduceResult {
  readonly runId: string;
  readonly counts: Readonly<Record<Finding['status'] | 'suppressed', number>>;
  readonly accounts: number;
  /** Accounts UNKNOWN for every control: not entered, their batch failed, or no snapshot. */
  readonly unreachableAccounts: number;
  /** What `trailaudit evaluate` would exit with: 0 ok, 1 unsuppressed FAIL, 3 incomplete, 2 Security Hub import failures. */
  readonly exitCode: number;
  readonly result: 'ok' | 'failures' | 'incomplete' | 'import_failed';
  readonly reports: readonly string[];
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

/** accounts.json is the scope: an account no snapshot holds is absent, hence UNKNOWN (engine/organization.ts). */
function withRunScope(facts: FactSet, loaded: LoadedRun): FactSet {
  const organization = facts.organization;
  if (organization === undefined) {
    throw new Error('the snapshots hold no organization facts: they were not written by this deployment\'s handlers');
  }
  const scope = new Set([...organization.accountsInScope, ...loaded.accounts.map((item) => item.id)]);
  if (scope.size === organization.accountsInScope.length) {
    return facts;
  }
  return deriveFacts({ ...facts, organization: { ...organization, accountsInScope: [...scope].sort() } });
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

const RESULTS = { 0: 'ok', 1: 'failures', 2: 'import_failed', 3: 'incomplete' } as const;

export async function reduce(event: ReduceEvent, environment: NodeJS.ProcessEnv = process.env): Promise<ReduceResult> {
  const where = location(event, environment, undefined);
  const formats = reportFormats(event.formats, environment);
  const securityHub = securityHubSettings(event.securityHub, environment);
  const endpointUrl = endpointFromEnvironment(environment);
  const store = new RunStore(endpointUrl);
  const directory = mkdtempSync(join(tmpdir(), 'trailaudit-reduce-'));
  try {
    const loaded = await loadRun(store, where);
    const snapshots = await loadRunSnapshots(store, where.bucket, `${runKey(where, 'snapshots')}/`, directory);
    const facts = withRunScope(snapshots.facts, loaded);
    const outputDir = join(directory, 'reports');
    const prepared = prepareChecks(loaded.run, formats, outputDir);
    const outcome = evaluateAndReport(prepared, facts, { outputDir, startedAt: new Date(loaded.run.createdAt), inputs: snapshots.inputs, now: new Date(), formatters: await loadFormatters() });
    const reports: string[] = [];
    for (const file of outcome.written) {
      const name = basename(file);
      const body = readFileSync(file, 'utf8');
      const contentType = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
      await store.putText(where.bucket, runKey(where, 'reports', name), body, contentType);
      reports.push(runKey(where, 'reports', name));
    }
    // latest/ only once the run's own copies are all written: a reader never sees a mixed set from two runs.
    for (const file of outcome.written) {
      const name = basename(file);
      await store.putText(where.bucket, latestKey(where, name), readFileSync(file, 'utf8'), CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream');
    }
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
      unreachableAccounts: audited.filter((account) => account.unreachable !== undefined).length + absentAccounts(facts).length,
      exitCode,
      result: RESULTS[exitCode as keyof typeof RESULTS],
      reports,
      ...(imported === undefined ? {} : { securityHub: imported }),
    };
  } finally {
    store.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}
