/**
 * The Distributed Map's Catch for a batch whose audit failed (a Lambda timeout, a crash, retries
 * used up): a snapshot in which each of the batch's accounts is unreachable, with the error, so
 * that every control of those accounts is UNKNOWN in the reports. An account is never dropped.
 * It is written under the batch's own snapshot key, unless the batch already wrote a snapshot of
 * all its accounts there (it failed after its PutObject: a timeout on the way out, a retry of a
 * batch that had succeeded): what was read is kept, never replaced by stand-ins.
 */
import { mergeFactSets } from '../facts/merge.js';
import type { FactSet } from '../facts/model.js';
import { readBatch, type BatchEvent, type BatchResult } from './batch.js';
import { endpointFromEnvironment, loadRun, organizationOfRun } from './runContext.js';
import { runKey, RunStore, snapshotKey } from './runStore.js';
import { logNotice } from './log.js';
import { standInFacts } from './standIns.js';

/** The Catch's ResultPath (`$.error`): Step Functions' error name and cause. */
export interface FailureEvent extends BatchEvent {
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** Causes can be a whole stack trace in JSON; a report line needs the gist. */
const MAX_CAUSE_LENGTH = 500;

function describeError(error: FailureEvent['error']): string {
  const name = error?.Error ?? 'an unknown error';
  const cause = error?.Cause ?? '';
  let detail = cause;
  try {
    // A Lambda error's Cause is JSON: {errorType, errorMessage, trace}.
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') {
      detail = parsed.errorMessage;
    }
  } catch {
    // Not JSON: the text as it is.
  }
  const trimmed = detail.length > MAX_CAUSE_LENGTH ? `${detail.slice(0, MAX_CAUSE_LENGTH - 1)}…` : detail;
  return trimmed === '' ? name : `${name}: ${trimmed}`;
}

/**
 * Whether `key` holds a snapshot auditAccounts wrote for these accounts (S3 writes whole objects,
 * so one that parses and lists every account is complete). Anything else is replaced.
 */
async function holdsSnapshotOf(store: RunStore, bucket: string, key: string, accountIds: readonly string[]): Promise<boolean> {
  if (!(await store.exists(bucket, key))) {
    return false;
  }
  try {
    const held = (await store.getJson(bucket, key)) as { accounts?: unknown; organization?: unknown };
    const accounts = Array.isArray(held.accounts) ? new Set(held.accounts.filter((id): id is string => typeof id === 'string')) : new Set<string>();
    return held.organization !== undefined && accountIds.every((id) => accounts.has(id));
  } catch {
    return false;
  }
}

export async function recordFailure(event: FailureEvent, environment: NodeJS.ProcessEnv = process.env): Promise<BatchResult> {
  const { where, items } = readBatch(event, environment);
  const store = new RunStore(endpointFromEnvironment(environment));
  try {
    const loaded = await loadRun(store, where);
    const organization = organizationOfRun(loaded);
    const error = describeError(event.error);
    // An account the run did not list (a hand-made or corrupted Items) is not recorded: a stand-in
    // for it would put an account outside the run's scope into the snapshots, and Reduce would
    // refuse them all. auditAccounts refuses such a batch; this is where its failure lands.
    const listed = new Set(loaded.accounts.map((item) => item.id));
    const foreign = items.filter((item) => !listed.has(item.id)).map((item) => item.id);
    if (foreign.length > 0) {
      logNotice(`recordFailure: ignored ${foreign.join(', ')}: not in the run's accounts.json (s3://${where.bucket}/${runKey(where, 'accounts.json')})`);
    }
    const own = items.filter((item) => listed.has(item.id));
    const key = snapshotKey(where, items.map((item) => item.id));
    if (own.length === 0) {
      return { runId: where.runId, key, accounts: 0, unreachable: 0, ignored: foreign.length };
    }
    if (await holdsSnapshotOf(store, where.bucket, key, own.map((item) => item.id))) {
      logNotice(`recordFailure: kept s3://${where.bucket}/${key}: the batch had already written the snapshot of its ${String(own.length)} account(s) before it failed (${error})`);
      return { runId: where.runId, key, accounts: own.length, unreachable: 0, keptSnapshot: true, ...(foreign.length === 0 ? {} : { ignored: foreign.length }) };
    }
    // The message says it was the batch, not the role: the reports count these accounts as "not
    // audited: batch failed" (src/report/coverage.ts isBatchFailure reads this wording).
    const sets = standInFacts(
      loaded,
      own,
      (id) => `Account ${id} was not audited: the batch auditing it failed (${error}), not its role; nothing of the account was read, so each of its controls is UNKNOWN.`,
    );
    const merged = mergeFactSets(sets);
    const facts: FactSet = {
      ...merged,
      accounts: merged.accounts ?? [merged.account.id],
      auditedAccounts: merged.auditedAccounts ?? [merged.account],
      organization,
    };
    await store.putJson(where.bucket, key, facts);
    return { runId: where.runId, key, accounts: sets.length, unreachable: sets.length, ...(foreign.length === 0 ? {} : { ignored: foreign.length }) };
  } finally {
    store.destroy();
  }
}
