/**
 * Step 2, one Distributed Map batch: collect the batch's accounts with the organization collector
 * on the plan listAccounts made (so they are credited as the organization's members without a
 * second discovery), and write their facts as one snapshot, the shape `trailaudit evaluate` reads.
 */
import { collectOrganization } from '../collect/org/collect.js';
import { readBatch, type BatchEvent, type BatchResult } from './batch.js';
import { batchPlan, collectOptions, endpointFromEnvironment, loadRun, prepareChecks } from './runContext.js';
import { RunStore, snapshotKey } from './runStore.js';
import { logNotice } from './log.js';

/** The part of Lambda's context used: time left before the function is stopped. */
export interface LambdaContext {
  getRemainingTimeInMillis?: () => number;
}

/**
 * Time kept back from the Lambda's own timeout to merge and write the snapshot: the collection
 * stops this long before the function would be stopped, so facts not read by then are
 * UNKNOWN(timeout) in a snapshot that is written, rather than a stopped function writing none
 * (its accounts would then be the failure stub's, UNKNOWN for every control).
 */
const WRITE_MARGIN_MS = 60_000;

export async function auditAccounts(event: BatchEvent, context: LambdaContext = {}, environment: NodeJS.ProcessEnv = process.env): Promise<BatchResult> {
  const { where, items } = readBatch(event, environment);
  const endpointUrl = endpointFromEnvironment(environment);
  const store = new RunStore(endpointUrl);
  try {
    const loaded = await loadRun(store, where);
    const prepared = prepareChecks(loaded.run);
    const remaining = context.getRemainingTimeInMillis?.();
    const timeoutSeconds = remaining === undefined ? undefined : Math.max(1, Math.floor((remaining - WRITE_MARGIN_MS) / 1000));
    const facts = await collectOrganization({
      ...collectOptions(loaded.run, prepared, {
        ...(endpointUrl === undefined ? {} : { endpointUrl }),
        ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
        onNotice: logNotice,
      }),
      plan: batchPlan(loaded, items),
    });
    const key = snapshotKey(where, items.map((item) => item.id));
    await store.putJson(where.bucket, key, facts);
    const audited = facts.auditedAccounts ?? [facts.account];
    return { runId: where.runId, key, accounts: audited.length, unreachable: audited.filter((account) => account.unreachable !== undefined).length };
  } finally {
    store.destroy();
  }
}
