/**
 * Stand-in facts for accounts of a run that nothing was read from because their batch did not
 * deliver: the batch failed (recordFailure.ts) or left no snapshot at all (reduce.ts). Each is an
 * unreachable account (collect/org/accountRun.ts' unreachableFacts), so every control of it is
 * UNKNOWN with the given detail and the reports list it among the accounts not entered, never as
 * absent from the facts (whose message is the CLI's "evaluate every shard's snapshot together").
 */
import { unreachableFacts } from '../collect/org/accountRun.js';
import { expandNeeds } from '../collect/live/collect.js';
import type { UnknownDetail } from '../facts/core.js';
import type { FactSet } from '../facts/model.js';
import { accountEntry, type AccountItem } from './runFile.js';
import { organizationOfRun, prepareChecks, type LoadedRun } from './runContext.js';

/**
 * One single-account set per account, carrying the run's organization facts so that they merge
 * with the batches' snapshots. Reason `error`: nothing was denied or unreachable about the
 * account itself; the message says what happened to its batch.
 */
export function standInFacts(loaded: LoadedRun, items: readonly AccountItem[], message: (accountId: string) => string): FactSet[] {
  const needs = expandNeeds(prepareChecks(loaded.run).needs);
  const organization = organizationOfRun(loaded);
  const listed = new Map(loaded.accounts.map((item) => [item.id, item]));
  return items.map((item) => {
    const detail: UnknownDetail = { reason: 'error', message: message(item.id), account: item.id };
    const set = unreachableFacts({
      entry: accountEntry(listed.get(item.id) ?? item),
      // Without regions in the run's settings the account's Regions are unknown: its Region-level
      // controls then show as one UNKNOWN on the account (engine/organization.ts), still never dropped.
      regions: loaded.run.settings.regions ?? [],
      partition: loaded.run.partition,
      needs,
      organizationId: listed.get(item.id)?.member === true ? loaded.run.organizationId : null,
      detail,
    });
    return { ...set, organization };
  });
}
