/**
 * The history index (`index.json` of a history folder): everything later runs need, so that
 * reading a history never re-parses the old reports. Per run: time, scope, counts per control; per
 * result: the state its streak needs; the fixes inside the trend window (mean time to fix).
 */
import type { Status } from '../engine/types.js';

export const HISTORY_FORMAT = 'trailaudit-history';
export const HISTORY_VERSION = 1;
/** Runs shown in the report's trend and used for the mean time to fix. */
export const TREND_RUNS = 30;

export type StatusCounts = Record<Status, number>;

export interface RunEntry {
  /** `runs/<file>` relative to the history folder. */
  readonly file: string;
  /** Size of the stored report: a run file changed or truncated since is reported as corrupt. */
  readonly bytes: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly scope: { readonly accounts: readonly string[]; readonly regions: readonly string[]; readonly checks: readonly string[] };
  readonly counts: Readonly<Record<string, StatusCounts>>;
}

/** One result's streak state (key: history/key.ts). */
export interface ResultState {
  readonly control: string;
  readonly firstSeen: string;
  /** Start of the run that began the current failure streak; null while not failing. */
  readonly failingSince: string | null;
}

export interface Fix {
  readonly key: string;
  readonly control: string;
  readonly failingSince: string;
  /** Start of the run that saw it fixed. */
  readonly fixedAt: string;
  /** PASS/NOT_APPLICABLE seen, or the resource is gone from a scope that was evaluated. */
  readonly how: 'passed' | 'gone';
}

export interface HistoryIndex {
  readonly format: typeof HISTORY_FORMAT;
  readonly version: typeof HISTORY_VERSION;
  readonly runs: readonly RunEntry[];
  readonly results: Readonly<Record<string, ResultState>>;
  readonly fixes: readonly Fix[];
}

export const EMPTY_INDEX: HistoryIndex = { format: HISTORY_FORMAT, version: HISTORY_VERSION, runs: [], results: {}, fixes: [] };
