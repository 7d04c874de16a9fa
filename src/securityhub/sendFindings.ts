/**
 * Sends one (account, Region)'s imports and archives with BatchImportFindings: batches within
 * Security Hub's limits (batches.ts), each call paced (pacing.ts). Findings Security Hub lists in
 * `FailedFindings` are sent again, only those, after an exponential backoff with jitter; what still
 * fails is reported with AWS's ErrorCode / ErrorMessage. A call that throws (after the SDK's own
 * retries: TooManyRequestsException is throttling to its adaptive strategy) fails its whole batch.
 */
import { BatchImportFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { errorCode, isAccessDenied } from '../collect/live/errors.js';
import { BATCH_IMPORT_LIMITS, splitBatches, type BatchLimits } from './batches.js';
import type { HubTarget } from './previousFindings.js';
import type { ImportFailure } from './types.js';

export interface Outgoing {
  readonly finding: AwsSecurityFinding;
  readonly kind: 'import' | 'archive';
}

export interface RetryOptions {
  /** Retries of FailedFindings after the first call. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** [0, 1): the jitter. */
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 3,
  baseDelayMs: 500,
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms);
    }),
  random: Math.random,
};

/** Retry n (0-based) waits base·2ⁿ plus up to as much again ("equal jitter"): 0.5–1 s, 1–2 s, 2–4 s. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'random'>): number {
  const ceiling = options.baseDelayMs * 2 ** attempt;
  return Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
}

export interface SendDependencies {
  /** The paced call for this target. */
  readonly send: <T>(call: () => Promise<T>) => Promise<T>;
  readonly retry: RetryOptions;
  readonly limits?: BatchLimits;
}

export interface SendResult {
  readonly imported: number;
  readonly archived: number;
  readonly failures: readonly ImportFailure[];
}

interface Failed {
  readonly item: Outgoing;
  readonly code: string;
  readonly message: string;
}

/** One failure per (stage, code), with the ids it left out. */
function groupFailures(target: HubTarget, failed: readonly Failed[]): ImportFailure[] {
  const groups = new Map<string, { stage: 'import' | 'archive'; code: string; messages: Set<string>; ids: string[] }>();
  for (const { item, code, message } of failed) {
    const key = `${item.kind}\n${code}`;
    const group = groups.get(key) ?? { stage: item.kind, code, messages: new Set<string>(), ids: [] };
    group.messages.add(message);
    group.ids.push(item.finding.Id ?? '');
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({
    accountId: target.accountId,
    region: target.region,
    stage: group.stage,
    code: group.code,
    message: [...group.messages].join('; '),
    findingIds: group.ids,
  }));
}

/** An error's message, or the thrown value as text (also importRun.ts). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a failed Security Hub call tells the user: a denial names the IAM action to grant (the
 * SDK's message may be a parse error when the 403's body is not JSON), anything else as it came.
 */
export function callFailure(error: unknown, action: 'securityhub:BatchImportFindings' | 'securityhub:GetFindings'): { code: string; message: string } {
  if (isAccessDenied(error)) {
    return {
      code: errorCode(error) ?? 'AccessDenied',
      message: `access denied: the importing principal needs ${action} in this account and Region (trailaudit iam-policy --command security-hub)`,
    };
  }
  return { code: errorCode(error) ?? 'error', message: errorText(error) };
}

async function sendBatch(client: SecurityHubClient, batch: readonly Outgoing[], deps: SendDependencies): Promise<{ sent: Outgoing[]; failed: Failed[] }> {
  const sent: Outgoing[] = [];
  let pending = [...batch];
  for (let attempt = 0; ; attempt += 1) {
    const findings = pending.map((item) => item.finding);
    let response;
    try {
      response = await deps.send(() => client.send(new BatchImportFindingsCommand({ Findings: findings })));
    } catch (error) {
      const { code, message } = callFailure(error, 'securityhub:BatchImportFindings');
      return { sent, failed: pending.map((item) => ({ item, code, message })) };
    }
    const rejected = new Map((response.FailedFindings ?? []).map((failure) => [failure.Id ?? '', failure]));
    const unnamed = (response.FailedCount ?? 0) > rejected.size;
    if (unnamed) {
      // Security Hub counted failures it did not name: no finding of this call can be taken as sent.
      return {
        sent,
        failed: pending.map((item) => ({
          item,
          code: 'UnnamedFailedFindings',
          message: `BatchImportFindings reported ${String(response.FailedCount)} failed findings but named ${String(rejected.size)}`,
        })),
      };
    }
    sent.push(...pending.filter((item) => !rejected.has(item.finding.Id ?? '')));
    const retry = pending.filter((item) => rejected.has(item.finding.Id ?? ''));
    if (retry.length === 0) {
      return { sent, failed: [] };
    }
    if (attempt >= deps.retry.retries) {
      return {
        sent,
        failed: retry.map((item) => {
          const failure = rejected.get(item.finding.Id ?? '');
          return { item, code: failure?.ErrorCode ?? 'error', message: failure?.ErrorMessage ?? 'listed in FailedFindings' };
        }),
      };
    }
    await deps.retry.sleep(backoffDelay(attempt, deps.retry));
    pending = retry;
  }
}

/** Queues every batch at once: the target's pacer starts them at its rate, shared with its GetFindings. */
export async function sendFindings(client: SecurityHubClient, target: HubTarget, items: readonly Outgoing[], deps: SendDependencies): Promise<SendResult> {
  const limits = deps.limits ?? BATCH_IMPORT_LIMITS;
  const { batches, oversized } = splitBatches(items, (item) => item.finding, limits);
  const failed: Failed[] = oversized.map(({ item, bytes }) => ({
    item,
    code: 'FindingTooLarge',
    message: `the finding is ${String(bytes)} bytes as JSON, over Security Hub's ${String(limits.maxFindingBytes)} per finding (not truncated, not sent)`,
  }));
  const results = await Promise.all(batches.map((batch) => sendBatch(client, batch, deps)));
  const sent = results.flatMap((result) => result.sent);
  failed.push(...results.flatMap((result) => result.failed));
  return {
    imported: sent.filter((item) => item.kind === 'import').length,
    archived: sent.filter((item) => item.kind === 'archive').length,
    failures: groupFailures(target, failed),
  };
}
