/**
 * What listAccounts fixes for a whole run, read back by every later handler: the account list
 * (accounts.json, the shape the Distributed Map's ItemReader hands out) and the run's scope and
 * settings (run.json). Each batch and the reduce step read them instead of trusting their own
 * event, so no batch can audit with other Regions, checks or roles than the run's, and the
 * reduce step's scope is the list discovery made, whatever snapshots exist.
 */
import type { AccountEntry } from '../collect/org/options.js';
import type { SkippedAccount } from '../facts/organization.js';
import { ACCOUNT_ID_PATTERN } from '../load/accountsFile.js';
import type { AuditSettings, SecurityHubEvent } from './settings.js';

/** One account of accounts.json. */
export interface AccountItem {
  readonly id: string;
  /** '' when Organizations gave none. */
  readonly name: string;
  /** Listed by the organization (credited by its organization trails); false only for accounts named by hand. */
  readonly member: boolean;
}

export interface RunFile {
  readonly version: 1;
  readonly runId: string;
  readonly createdAt: string;
  readonly organizationId: string | null;
  readonly managementAccountId: string | null;
  readonly callerAccountId: string;
  readonly partition: string;
  readonly skipped: readonly SkippedAccount[];
  readonly settings: AuditSettings;
  /**
   * The scope settings (regions, checks, ou, excludeAccounts) this run's event or execution input
   * set to something else than the deployment's environment: a narrowed run started by hand. Such
   * a run's reports are not the deployment's picture, so Reduce leaves latest/ alone. Absent or
   * empty: the deployment's full scope.
   */
  readonly narrowedBy?: readonly string[];
  /**
   * Reduce's settings given in the execution's input (checked by listAccounts): Reduce takes them
   * over its environment (its own event's fields win over them).
   */
  readonly reduce?: { readonly formats?: readonly string[]; readonly securityHub?: SecurityHubEvent };
}

export function accountItem(entry: AccountEntry): AccountItem {
  return { id: entry.id, name: entry.name ?? '', member: entry.member === true };
}

export function accountEntry(item: AccountItem): AccountEntry {
  return { id: item.id, ...(item.name === '' ? {} : { name: item.name }), ...(item.member ? { member: true as const } : {}) };
}

/** accounts.json (or a batch's Items) checked: a malformed list would audit the wrong accounts. */
export function parseAccountItems(value: unknown, where: string): AccountItem[] {
  if (!Array.isArray(value)) {
    throw new Error(`${where} must be a JSON array of accounts ({id, name, member}), got ${typeof value}`);
  }
  return value.map((item: unknown, index) => {
    const candidate = item as Partial<AccountItem> | null;
    if (typeof candidate?.id !== 'string' || !ACCOUNT_ID_PATTERN.test(candidate.id)) {
      throw new Error(`${where}[${String(index)}] has no 12-digit account id: ${JSON.stringify(item)}`);
    }
    return { id: candidate.id, name: typeof candidate.name === 'string' ? candidate.name : '', member: candidate.member === true };
  });
}

export function parseRunFile(value: unknown, where: string): RunFile {
  const candidate = value as Partial<RunFile> | null;
  if (candidate?.version !== 1 || typeof candidate.callerAccountId !== 'string' || typeof candidate.partition !== 'string' || typeof candidate.settings?.roleName !== 'string') {
    throw new Error(`${where} is not a run file written by listAccounts (version 1)`);
  }
  return candidate as RunFile;
}
