/**
 * What every handler of one run shares once run.json and accounts.json are read: the checks
 * (rules.yaml beside the code, `checks` of the run), the organization collector's options, and
 * the account plan a batch audits (its accounts, credited as the members discovery listed).
 */
import type { OrganizationCollectOptions } from '../collect/org/collect.js';
import { DEFAULT_ROLE_SESSION_NAME, type AccountPlan } from '../collect/org/options.js';
import type { OrganizationFacts } from '../facts/organization.js';
import { prepare, type Prepared } from '../cli/pipeline.js';
import type { ReportFormat } from '../report/formats.js';
import { checkDeploymentRules } from './bundledRules.js';
import { accountEntry, parseAccountItems, parseRunFile, type AccountItem, type RunFile } from './runFile.js';
import { runKey, type RunStore } from './runStore.js';
import type { RunLocation } from './settings.js';

export interface LoadedRun {
  readonly run: RunFile;
  /** accounts.json: the run's scope. */
  readonly accounts: readonly AccountItem[];
}

export async function loadRun(store: RunStore, location: RunLocation): Promise<LoadedRun> {
  const [run, accounts] = await Promise.all([store.getJson(location.bucket, runKey(location, 'run.json')), store.getJson(location.bucket, runKey(location, 'accounts.json'))]);
  return {
    run: parseRunFile(run, `s3://${location.bucket}/${runKey(location, 'run.json')}`),
    accounts: parseAccountItems(accounts, `s3://${location.bucket}/${runKey(location, 'accounts.json')}`),
  };
}

/** The run's enabled checks (rules.yaml in the working directory, else the shipped one, checked strictly). */
export function prepareChecks(run: RunFile, formats?: readonly ReportFormat[], outputDir = ''): Prepared {
  checkDeploymentRules();
  return prepare({
    ...(run.settings.checks === undefined ? {} : { checks: run.settings.checks }),
    ...(formats === undefined ? {} : { format: formats }),
    outputDir,
    allowUnknown: false,
    cwd: process.cwd(),
  });
}

/** A batch's accounts, as accounts.json lists them (an item that is not in it is refused). */
export function batchPlan(loaded: LoadedRun, items: readonly AccountItem[]): AccountPlan {
  const listed = new Map(loaded.accounts.map((item) => [item.id, item]));
  const foreign = items.filter((item) => !listed.has(item.id)).map((item) => item.id);
  if (foreign.length > 0) {
    throw new Error(`the batch names accounts that are not in the run's accounts.json: ${foreign.join(', ')}`);
  }
  return {
    organizationId: loaded.run.organizationId,
    managementAccountId: loaded.run.managementAccountId,
    inScope: loaded.accounts.map(accountEntry),
    audited: items.map((item) => accountEntry(listed.get(item.id) ?? item)),
    skipped: loaded.run.skipped,
  };
}

export function collectOptions(run: RunFile, prepared: Prepared, extra: { endpointUrl?: string; timeoutSeconds?: number; onNotice: (message: string) => void }): OrganizationCollectOptions {
  const { settings } = run;
  return {
    needs: prepared.needs,
    ...(settings.regions === undefined ? {} : { regions: settings.regions }),
    ...(extra.endpointUrl === undefined ? {} : { endpointUrl: extra.endpointUrl }),
    ...(extra.timeoutSeconds === undefined ? {} : { timeoutSeconds: extra.timeoutSeconds }),
    onNotice: extra.onNotice,
    organization: {
      org: settings.organizationalUnits === undefined,
      ...(settings.organizationalUnits === undefined ? {} : { organizationalUnits: settings.organizationalUnits }),
      ...(settings.excludeAccounts === undefined ? {} : { excludeAccounts: settings.excludeAccounts }),
      roleName: settings.roleName,
      ...(settings.externalId === undefined ? {} : { externalId: settings.externalId }),
      roleSessionName: DEFAULT_ROLE_SESSION_NAME,
      ...(settings.accountConcurrency === undefined ? {} : { accountConcurrency: settings.accountConcurrency }),
      ...(settings.logArchiveAccounts === undefined ? {} : { logArchiveAccounts: settings.logArchiveAccounts }),
    },
  };
}

/** The organization facts a batch's set carries (as collectOrganization's organizationFacts). */
export function organizationOfRun(loaded: LoadedRun): OrganizationFacts {
  const { run } = loaded;
  return {
    id: run.organizationId,
    managementAccountId: run.managementAccountId,
    callerAccountId: run.callerAccountId,
    roleName: run.settings.roleName,
    accountsInScope: loaded.accounts.map((item) => item.id).sort(),
    skipped: run.skipped,
    ...(run.settings.regions === undefined ? {} : { regionsRequested: [...new Set(run.settings.regions)].sort() }),
    // As the organization collector records it for the batches (no --ou; excluded accounts are
    // among `skipped`): the stand-ins must not narrow a whole-organization run when merged.
    wholeOrganization: run.settings.organizationalUnits === undefined,
  };
}

/** Endpoint of every call (an emulator in tests), as the collector reads it. */
export function endpointFromEnvironment(environment: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = environment.AWS_ENDPOINT_URL?.trim();
  return value === undefined || value === '' ? undefined : value;
}
