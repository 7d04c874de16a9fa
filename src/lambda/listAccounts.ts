/**
 * Step 1 of a scheduled run: discover the organization's accounts once (the caller must be the
 * management account or a delegated administrator), and write the list (accounts.json, read by
 * the Distributed Map's ItemReader) and the run's scope and settings (run.json).
 */
import { openOrganizationRun } from '../collect/org/collect.js';
import { discoverAccounts } from '../collect/org/discovery.js';
import { DEFAULT_ROLE_NAME } from '../collect/org/options.js';
import { inPartition } from '../collect/live/account.js';
import type { RunFile } from './runFile.js';
import { accountItem } from './runFile.js';
import { collectOptions, endpointFromEnvironment, prepareChecks } from './runContext.js';
import { runKey, RunStore } from './runStore.js';
import { auditSettings, batching, location, newRunId, reportFormats, securityHubSettings, SettingError, type AuditSettings, type AuditSettingsEvent, type Batching, type BatchingEvent, type LocationEvent, type RunLocation, type SecurityHubEvent } from './settings.js';
import { checkFields, isPlainObject } from './eventFields.js';
import { logNotice } from './log.js';

/** Reduce's settings an execution may give (carried to Reduce in run.json). */
export interface ReduceSettingsEvent {
  readonly formats?: readonly string[] | string;
  readonly securityHub?: SecurityHubEvent;
}

export interface ListAccountsEvent extends LocationEvent, AuditSettingsEvent, BatchingEvent, ReduceSettingsEvent {
  /**
   * The state machine passes its execution's input here: a run started by hand with
   * `{"regions": ["eu-west-1"], "maxConcurrency": 5}` overrides the environment for that run.
   * The event's own fields win over it.
   */
  readonly execution?: AuditSettingsEvent & BatchingEvent & ReduceSettingsEvent & LocationEvent;
}

/** Every field an execution's input (or this handler's event) may carry. */
const EXECUTION_FIELDS = [
  'runId',
  'bucket',
  'prefix',
  'roleName',
  'externalId',
  'regions',
  'checks',
  'ou',
  'excludeAccounts',
  'logArchiveAccounts',
  'accountConcurrency',
  'maxItemsPerBatch',
  'maxConcurrency',
  'toleratedFailurePercentage',
  'formats',
  'securityHub',
] as const;

/** The settings that decide what a run covers: a run that changes one is not the deployment's full scope. */
const SCOPE_SETTINGS: readonly [keyof AuditSettings, string][] = [
  ['regions', 'regions'],
  ['checks', 'checks'],
  ['organizationalUnits', 'ou'],
  ['excludeAccounts', 'excludeAccounts'],
];

function narrowedBy(settings: AuditSettings, deployment: AuditSettings): string[] {
  return SCOPE_SETTINGS.filter(([key]) => JSON.stringify(settings[key]) !== JSON.stringify(deployment[key])).map(([, field]) => field);
}

/** Reduce's settings of the event, checked now (a bad one ends the run before any account is audited). */
function reduceSettings(event: ReduceSettingsEvent): RunFile['reduce'] {
  checkFields(event.securityHub, 'securityHub', ['enabled', 'region', 'roleName']);
  const formats = event.formats === undefined ? undefined : reportFormats(event.formats, {});
  if (event.securityHub !== undefined) {
    securityHubSettings(event.securityHub, {});
  }
  if (formats === undefined && event.securityHub === undefined) {
    return undefined;
  }
  return { ...(formats === undefined ? {} : { formats }), ...(event.securityHub === undefined ? {} : { securityHub: event.securityHub }) };
}

export interface ListAccountsResult {
  readonly runId: string;
  readonly bucket: string;
  readonly prefix: string;
  /** accounts.json's key, for the Map's ItemReader. */
  readonly key: string;
  readonly count: number;
  readonly skipped: number;
  /** For the Map's MaxItemsPerBatchPath, MaxConcurrencyPath and ToleratedFailurePercentagePath. */
  readonly batching: Batching;
}

/**
 * A run id names one run: listAccounts refuses one whose batches or reduce already wrote there
 * (its snapshots would be evaluated with another account list). A run holding only run.json and
 * accounts.json is written again: a retry or redrive of this step under the execution's name.
 */
async function refuseStartedRun(store: RunStore, where: RunLocation): Promise<void> {
  const own = new Set([runKey(where, 'run.json'), runKey(where, 'accounts.json')]);
  const written = (await store.listKeys(where.bucket, `${runKey(where)}/`)).filter((key) => !own.has(key));
  if (written.length > 0) {
    throw new SettingError(
      `runId ${where.runId}: s3://${where.bucket}/${runKey(where)}/ already holds files of a run that was audited (${written[0] ?? ''}${written.length > 1 ? ` and ${String(written.length - 1)} more` : ''}); a run id is used once: give another one, or leave runId out for a new one`,
    );
  }
}

export async function listAccounts(given: ListAccountsEvent = {}, environment: NodeJS.ProcessEnv = process.env): Promise<ListAccountsResult> {
  const now = new Date();
  checkFields(given, 'the ListAccounts event', [...EXECUTION_FIELDS, 'execution']);
  const { execution, ...own } = given;
  checkFields(execution, "the execution's input", EXECUTION_FIELDS);
  // The state machine names the run after its execution: a different runId in the input would be
  // silently overridden, so it is refused instead.
  const asked = isPlainObject(execution) ? (execution as { runId?: unknown }).runId : undefined;
  if (asked !== undefined && own.runId !== undefined && asked !== own.runId) {
    throw new SettingError(`the execution's input: runId ${JSON.stringify(asked)} differs from the run id ${own.runId}, which is the execution's name: start the execution with --name ${typeof asked === 'string' ? asked : 'NAME'} instead`);
  }
  const event: ListAccountsEvent = { ...(isPlainObject(execution) ? execution : {}), ...own };
  const where = location(event, environment, event.runId ?? newRunId(now));
  const settings = auditSettings(event, environment, DEFAULT_ROLE_NAME);
  const batches = batching(event, environment);
  const narrowed = narrowedBy(settings, auditSettings({}, environment, DEFAULT_ROLE_NAME));
  const reduce = reduceSettings(event);
  const draft: RunFile = {
    version: 1,
    runId: where.runId,
    createdAt: now.toISOString(),
    organizationId: null,
    managementAccountId: null,
    callerAccountId: '',
    partition: '',
    skipped: [],
    settings,
    ...(narrowed.length === 0 ? {} : { narrowedBy: narrowed }),
    ...(reduce === undefined ? {} : { reduce }),
  };
  // Before any AWS call: bad checks or rules end the run here, not in every batch.
  const prepared = prepareChecks(draft);
  const endpointUrl = endpointFromEnvironment(environment);
  const organizationRun = await openOrganizationRun(collectOptions(draft, prepared, { ...(endpointUrl === undefined ? {} : { endpointUrl }), onNotice: logNotice }));
  const store = new RunStore(endpointUrl);
  try {
    await refuseStartedRun(store, where);
    const { callerClients, scheduler, defaultRegion, caller, options } = organizationRun;
    // Syntax is checked in settings.ts; a Region of another partition would leave every account
    // UNKNOWN in a run that otherwise succeeds, so it ends the run here, naming the setting.
    const foreign = (settings.regions ?? []).filter((region) => !inPartition(region, caller.partition));
    if (foreign.length > 0) {
      throw new SettingError(
        `regions / TRAILAUDIT_REGIONS: ${foreign.join(', ')} ${foreign.length === 1 ? 'is not a Region' : 'are not Regions'} of partition ${caller.partition}, the partition of the caller (${caller.arn}); a run audits one partition`,
      );
    }
    const plan = await discoverAccounts({ clients: callerClients, scheduler: scheduler.forAccount(caller.accountId), region: defaultRegion, caller }, options.organization);
    const run: RunFile = {
      ...draft,
      organizationId: plan.organizationId,
      managementAccountId: plan.managementAccountId,
      callerAccountId: caller.accountId,
      partition: caller.partition,
      skipped: plan.skipped,
    };
    const key = runKey(where, 'accounts.json');
    // run.json first: a batch handed an account of accounts.json always finds its run's settings.
    await store.putJson(where.bucket, runKey(where, 'run.json'), run);
    await store.putJson(where.bucket, key, plan.inScope.map(accountItem));
    return { runId: where.runId, bucket: where.bucket, prefix: where.prefix, key, count: plan.inScope.length, skipped: plan.skipped.length, batching: batches };
  } finally {
    organizationRun.close();
    store.destroy();
  }
}
