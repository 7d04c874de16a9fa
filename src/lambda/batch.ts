/**
 * What the Distributed Map hands a batch handler (ItemBatcher): the accounts of accounts.json in
 * `Items`, the run's location in `BatchInput`. Shared by auditAccounts and recordFailure.
 */
import { parseAccountItems, type AccountItem } from './runFile.js';
import { location, type LocationEvent, type RunLocation } from './settings.js';

export interface BatchEvent {
  readonly Items?: readonly unknown[];
  readonly BatchInput?: LocationEvent;
}

export interface Batch {
  readonly where: RunLocation;
  readonly items: readonly AccountItem[];
}

export function readBatch(event: BatchEvent, environment: NodeJS.ProcessEnv): Batch {
  const where = location(event.BatchInput ?? {}, environment, undefined);
  const items = parseAccountItems(event.Items, 'the batch\'s Items');
  if (items.length === 0) {
    throw new Error('the batch has no Items (the Map\'s ItemBatcher hands each batch its accounts)');
  }
  const ids = items.map((item) => item.id);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) {
    throw new Error(`the batch lists account ${repeated.join(', ')} twice`);
  }
  return { where, items };
}

/** Counts a batch handler returns: never facts (a state's payload is limited to 256 KB). */
export interface BatchResult {
  readonly runId: string;
  readonly key: string;
  readonly accounts: number;
  /** Accounts that could not be entered (UNKNOWN for every control). */
  readonly unreachable: number;
  /** recordFailure: Items not in the run's accounts.json, left out (and logged). */
  readonly ignored?: number;
  /** recordFailure: the batch had already written a snapshot of all its accounts, which is kept. */
  readonly keptSnapshot?: boolean;
}
