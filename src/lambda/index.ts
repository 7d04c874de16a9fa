/**
 * `trailaudit/lambda`: the handlers of the scheduled deployment (deploy/aws/): listAccounts →
 * auditAccounts per Distributed Map batch (recordFailure for a batch that failed) → reduce. Each
 * reads its settings from TRAILAUDIT_* environment variables, overridden by the event's fields
 * (README "Scheduled audits"); an error is thrown with a message Step Functions shows as is.
 */
import { auditAccounts as auditAccountsIn, type LambdaContext } from './auditAccounts.js';
import type { BatchEvent, BatchResult } from './batch.js';
import { listAccounts as listAccountsIn, type ListAccountsEvent, type ListAccountsResult } from './listAccounts.js';
import { recordFailure as recordFailureIn, type FailureEvent } from './recordFailure.js';
import { reduce as reduceIn, type ReduceEvent, type ReduceResult } from './reduce.js';

export type { BatchEvent, BatchResult, FailureEvent, LambdaContext, ListAccountsEvent, ListAccountsResult, ReduceEvent, ReduceResult };

// Lambda calls a handler with (event, context); the settings come from the process's environment.
export const listAccounts = (event: ListAccountsEvent): Promise<ListAccountsResult> => listAccountsIn(event, process.env);
export const auditAccounts = (event: BatchEvent, context?: LambdaContext): Promise<BatchResult> => auditAccountsIn(event, context, process.env);
export const recordFailure = (event: FailureEvent): Promise<BatchResult> => recordFailureIn(event, process.env);
export const reduce = (event: ReduceEvent): Promise<ReduceResult> => reduceIn(event, process.env);
