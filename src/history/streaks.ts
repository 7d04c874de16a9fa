/**
 * The streak rules (DESIGN §10, issue 15), pure: from the previous state of every result and this
 * run's findings, the next state and what each finding carries (`firstSeen`, `failingSince`).
 *
 * - FAIL, suppressed or not, fails: a suppression accepts the risk, it does not fix it.
 * - PASS or NOT_APPLICABLE ends a failure streak (a fix, `how: passed`).
 * - UNKNOWN is not evaluated: the state is kept (neither fixed nor restarted).
 * - A result not reported at all is fixed (`how: gone`) only when this run evaluated its cell: its
 *   check ran, its account and Region were in scope, and that check reported no UNKNOWN for that
 *   account in that Region or account-wide. Otherwise (check off, account or Region out of scope,
 *   account unreachable) its state is kept. An UNKNOWN of the same resource anywhere (a deleted
 *   bucket is reported UNKNOWN in Region `unknown`, its owner unread) or an UNKNOWN of the check
 *   with no account keeps it too. A result with no account (an IaC scan) is only fixed
 *   by a PASS: a scan's inputs change from run to run, so absence proves nothing.
 */
import type { Status } from '../engine/types.js';
import { historyKey, type KeyedResult } from './key.js';
import type { Fix, ResultState } from './model.js';

export interface RunResult extends KeyedResult {
  readonly control: string;
  readonly status: Status;
}

export interface RunScope {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly checks: readonly string[];
}

export interface StreakUpdate {
  readonly results: Record<string, ResultState>;
  /** By key: what each finding of this run carries. */
  readonly annotations: ReadonlyMap<string, ResultState>;
  readonly fixed: readonly Fix[];
}

function parseKey(key: string): { checkId: string; accountId: string | null; region: string; resourceId: string } {
  const [checkId, accountId, region, resourceId] = JSON.parse(key) as [string, string | null, string, string];
  return { checkId, accountId, region, resourceId };
}

/** An UNKNOWN whose account could not be read stands for the check in every account. */
const ANY_ACCOUNT = '*';

export function updateStreaks(previous: Readonly<Record<string, ResultState>>, findings: readonly RunResult[], scope: RunScope, startedAt: string): StreakUpdate {
  const results: Record<string, ResultState> = { ...previous };
  const annotations = new Map<string, ResultState>();
  const fixed: Fix[] = [];
  const regions = new Set(scope.regions);
  // (check, account) pairs with an UNKNOWN, by Region; '*' = account-wide (a Region outside the scope).
  const unknownCells = new Set<string>();
  // (check, resource id) with an UNKNOWN, whatever account and Region it is filed under.
  const unknownResources = new Set<string>();
  for (const f of findings) {
    if (f.status === 'UNKNOWN') {
      const region = regions.has(f.resource.region) ? f.resource.region : '*';
      unknownCells.add(JSON.stringify([f.checkId, f.resource.accountId ?? ANY_ACCOUNT, region]));
      unknownResources.add(JSON.stringify([f.checkId, f.resource.id]));
    }
  }
  const seen = new Set<string>();
  for (const f of findings) {
    const key = historyKey(f);
    seen.add(key);
    const before = results[key];
    const firstSeen = before?.firstSeen ?? startedAt;
    let failingSince = before?.failingSince ?? null;
    if (f.status === 'FAIL') {
      failingSince ??= startedAt;
    } else if (f.status === 'PASS' || f.status === 'NOT_APPLICABLE') {
      if (failingSince !== null) {
        fixed.push({ key, control: f.control, failingSince, fixedAt: startedAt, how: 'passed' });
      }
      failingSince = null;
    }
    const state: ResultState = { control: f.control, firstSeen, failingSince };
    results[key] = state;
    annotations.set(key, state);
  }
  const checks = new Set(scope.checks);
  const accounts = new Set(scope.accounts);
  for (const [key, state] of Object.entries(previous)) {
    if (seen.has(key) || state.failingSince === null) {
      continue;
    }
    const { checkId, accountId, region, resourceId } = parseKey(key);
    const evaluated =
      accountId !== null &&
      checks.has(checkId) &&
      accounts.has(accountId) &&
      regions.has(region) &&
      !unknownCells.has(JSON.stringify([checkId, accountId, region])) &&
      !unknownCells.has(JSON.stringify([checkId, accountId, '*'])) &&
      !unknownCells.has(JSON.stringify([checkId, ANY_ACCOUNT, '*'])) &&
      !unknownResources.has(JSON.stringify([checkId, resourceId]));
    if (evaluated) {
      fixed.push({ key, control: state.control, failingSince: state.failingSince, fixedAt: startedAt, how: 'gone' });
      results[key] = { ...state, failingSince: null };
    }
  }
  return { results, annotations, fixed };
}
