/**
 * The history both history benchmarks build (bench/history.ts for a folder, bench/s3History.ts for
 * S3): 365 daily runs of a 2,000-finding organization, 50 accounts × 40 checks, with about 5% of
 * the results changing status each day. Deterministic, so runs compare.
 */
import type { Status } from '../src/engine/types.js';
import type { RunResult } from '../src/history/streaks.js';

export const ACCOUNTS = 50;
export const CHECKS = 40;
export const RUNS = 365;
export const DAY_MS = 86_400_000;
export const START = Date.parse('2025-12-01T03:00:00.000Z');
const STATUSES: readonly Status[] = ['PASS', 'FAIL', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE'];

const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i));
const checks = Array.from({ length: CHECKS }, (_, j) => `Check.${j + 1}`);
export const scope = { accounts, regions: ['us-east-1'], checks };

/** A result's status on a day (each result changes every 20 days, staggered). */
export function findingsOf(day: number): RunResult[] {
  const out: RunResult[] = [];
  for (const [i, accountId] of accounts.entries()) {
    for (const [j, checkId] of checks.entries()) {
      const epoch = Math.floor((day + ((i * 7 + j * 13) % 20)) / 20);
      const status = STATUSES[(i * 31 + j * 17 + epoch * 7) % STATUSES.length] ?? 'PASS';
      out.push({ checkId, control: checkId, status, resource: { id: `arn:aws:cloudtrail:us-east-1:${accountId}:trail/t${j}`, accountId, region: 'us-east-1' } });
    }
  }
  return out;
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
