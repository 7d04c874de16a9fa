/**
 * One run's entry in a history: from the index before the run and this run's findings, the next
 * index, what each finding carries and the report's `history` section. Pure: the caller writes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { STATUSES, type Status } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { historyKey } from './key.js';
import { TREND_RUNS, type Fix, type HistoryIndex, type ResultState, type RunEntry, type StatusCounts } from './model.js';
import { updateStreaks, type RunResult, type RunScope } from './streaks.js';

export interface FixedItem {
  readonly control: string;
  readonly checkId: string;
  readonly accountId: string | null;
  readonly region: string;
  readonly resourceId: string;
  readonly failingSince: string;
  readonly fixedAt: string;
  readonly how: Fix['how'];
}

/** The JSON report's `history` section. */
export interface HistorySection {
  readonly runs: { readonly count: number; readonly first: string; readonly last: string };
  /**
   * Oldest first, this run last: counts per control and status of the last {@link TREND_RUNS} runs,
   * with how much each run evaluated, so that a chart never reads a narrower run's smaller counts
   * as an improvement (accounts not scanned are not fixed).
   */
  readonly trend: readonly TrendPoint[];
  readonly fixedSinceLastRun: readonly FixedItem[];
  /** Mean of (fixedAt − failingSince) over the fixes seen in the trend window; null without fixes. */
  readonly meanTimeToFix: { readonly fixes: number; readonly days: number | null; readonly since: string };
}

export interface TrendPoint {
  readonly startedAt: string;
  /**
   * What the run evaluated: numbers of accounts, Regions and checks, and a fingerprint of the sets
   * themselves (two runs of three accounts each may not have audited the same three).
   */
  readonly scope: { readonly accounts: number; readonly regions: number; readonly checks: number; readonly fingerprint: string };
  readonly controls: Readonly<Record<string, StatusCounts>>;
}

export interface HistoryAnnotations {
  /** By history key (history/key.ts). */
  readonly results: ReadonlyMap<string, ResultState>;
  readonly section: HistorySection;
}

export interface PlannedRun {
  readonly annotations: HistoryAnnotations;
  /** The run's file inside the history, e.g. `runs/2026-12-06T19-00-00.000Z-1a2b3c.json`. */
  readonly file: string;
  /** The next index, given the stored report's size. */
  indexWith(bytes: number): HistoryIndex;
}

export function countsPerControl(findings: readonly { readonly control: string; readonly status: Status }[]): Record<string, StatusCounts> {
  const counts: Record<string, StatusCounts> = {};
  for (const f of findings) {
    const row = (counts[f.control] ??= Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts);
    row[f.status] += 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const DAY_MS = 86_400_000;

/** 12 hex digits of the SHA-256 of the sorted accounts, Regions and checks: equal sets, equal print. */
export function scopeFingerprint(scope: RunEntry['scope']): string {
  const sorted = (values: readonly string[]): string[] => [...values].sort();
  const text = JSON.stringify([sorted(scope.accounts), sorted(scope.regions), sorted(scope.checks)]);
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function planRun(index: HistoryIndex, findings: readonly RunResult[], scope: RunScope, startedAt: string, finishedAt: string): PlannedRun {
  const last = index.runs.at(-1)?.startedAt;
  if (last !== undefined && Date.parse(startedAt) < Date.parse(last)) {
    throw new UsageError(
      `this run's facts were collected at ${startedAt}, before the history's last run (${last}): adding it would rewind the history's streaks. ` +
        'Evaluate an old snapshot without --history (or into a history of its own).',
    );
  }
  if (last !== undefined && Date.parse(startedAt) === Date.parse(last)) {
    // The same facts again (a snapshot evaluated twice): a second run at the same time would
    // count twice in the trend and the run count.
    throw new UsageError(
      `this run's facts were collected at ${startedAt}, the time of the history's last run: they are already in the history. ` +
        'Evaluate them again without --history, or collect new facts.',
    );
  }
  const update = updateStreaks(index.results, findings, scope, startedAt);
  const file = `runs/${startedAt.replace(/:/gu, '-')}-${randomBytes(3).toString('hex')}.json`;
  const counts = countsPerControl(findings);
  const entry = (bytes: number): RunEntry => ({ file, bytes, startedAt, finishedAt, scope: { accounts: [...scope.accounts], regions: [...scope.regions], checks: [...scope.checks] }, counts });
  const point = (at: string, runScope: RunEntry['scope'], controls: Record<string, StatusCounts>): TrendPoint => ({
    startedAt: at,
    scope: { accounts: runScope.accounts.length, regions: runScope.regions.length, checks: runScope.checks.length, fingerprint: scopeFingerprint(runScope) },
    controls,
  });
  const window = [...index.runs.slice(-(TREND_RUNS - 1)).map((run) => point(run.startedAt, run.scope, run.counts)), point(startedAt, scope, counts)];
  const since = window[0]?.startedAt ?? startedAt;
  const fixes = [...index.fixes, ...update.fixed].filter((fix) => fix.fixedAt >= since);
  const days = fixes.length === 0 ? null : Math.round((fixes.reduce((sum, fix) => sum + Date.parse(fix.fixedAt) - Date.parse(fix.failingSince), 0) / fixes.length / DAY_MS) * 10_000) / 10_000;
  const section: HistorySection = {
    runs: { count: index.runs.length + 1, first: index.runs[0]?.startedAt ?? startedAt, last: startedAt },
    trend: window,
    fixedSinceLastRun: update.fixed.map((fix) => {
      const [checkId, accountId, region, resourceId] = JSON.parse(fix.key) as [string, string | null, string, string];
      return { control: fix.control, checkId, accountId, region, resourceId, failingSince: fix.failingSince, fixedAt: fix.fixedAt, how: fix.how };
    }),
    meanTimeToFix: { fixes: fixes.length, days, since },
  };
  return {
    annotations: { results: update.annotations, section },
    file,
    indexWith: (bytes) => ({ ...index, runs: [...index.runs, entry(bytes)], results: update.results, fixes }),
  };
}

export { historyKey };
