/**
 * Reduce's S3 history (TRAILAUDIT_HISTORY): open it, let the evaluation append this run, and turn
 * every way that can go wrong into a result instead of an error. The history is a by-product of
 * the run; the reports and the Security Hub import are its product, so a history that cannot take
 * this run (another Reduce committed first, an orphan object left by a killed Reduce, S3 refused)
 * never costs the run those: the reports are rendered again without a history section (they never
 * claim an append that did not happen) and the outcome says why (README "Scheduled audits").
 */
import type { HistoryAppend, HistoryStore } from '../history/store.js';
import { openS3HistoryWith } from '../history/s3Client.js';
import { S3HistoryConflictError } from '../history/s3Store.js';
import { displayLocation, type S3Location } from '../history/s3Location.js';
import { logNotice } from './log.js';
import { healOrphans, isOrphanError } from './historyOrphans.js';
import type { RunStore } from './runStore.js';
import type { RunLocation } from './settings.js';

/**
 * Why a run is not in the history:
 * - `already_recorded`: the history holds this run (a retried or redriven Reduce);
 * - `newer_in_history`: the history's last run was collected after this one (an older run's
 *   Reduce finishing late, or losing an overlap to a newer run);
 * - `conflict`: other runs kept committing first, every attempt;
 * - `orphan`: an object under runs/ that the index does not list, not removable safely;
 * - `error`: anything else (S3 refused, a corrupt index, …).
 * The first two are the history working as designed; the last three need an operator.
 */
export type HistoryReason = 'already_recorded' | 'newer_in_history' | 'conflict' | 'orphan' | 'error';

const NEEDS_OPERATOR: ReadonlySet<HistoryReason> = new Set(['conflict', 'orphan', 'error']);

export interface HistoryOutcome {
  readonly location: string;
  readonly appended: boolean;
  /**
   * true when the history could not take the run for a reason an operator must fix (conflict,
   * orphan, error): the state machine then ends the execution failed, after the reports and the
   * import (statemachine.asl.json's HistoryCheck).
   */
  readonly failed: boolean;
  readonly reason?: HistoryReason;
  readonly message?: string;
  /** Orphan run objects of this deployment's own runs deleted before appending (historyOrphans.ts). */
  readonly removedOrphans?: readonly string[];
}

/** What the caller renders and writes: with a history store (this run appended) or without (null). */
export type Render<T> = (history: HistoryStore | null) => Promise<T>;

/** Attempts to append when another run commits in between (each one re-reads the history). */
const MAX_ATTEMPTS = 3;

/** How long to wait for another Reduce that is between its two writes (they are a second apart). */
const IN_FLIGHT_WAIT_MS = 3_000;

export function withoutTempPaths(message: string): string {
  // s3Store.ts names the reports' local paths (the Lambda's temp disk); they are not the run's
  // reports. Only that sentence goes: what follows it (a run object that could not be deleted
  // again, which the next Reduce would find as an orphan) is kept.
  return message.replace(/\.? ?The reports were written \(.*?\), but this run is not in the history \S+?\./su, '.').replace(/\.\./gu, '.').trim();
}

function describe(error: unknown): string {
  return withoutTempPaths(error instanceof Error ? error.message : String(error));
}

async function open(location: S3Location, endpointUrl: string | undefined): Promise<HistoryStore> {
  return openS3HistoryWith(location, endpointUrl === undefined ? {} : { endpointUrl });
}

/**
 * Whether the history already holds this run or a later one (appending would count it twice or
 * rewind the streaks: planRun refuses that).
 */
function heldReason(store: HistoryStore, collectedAt: string): 'already_recorded' | 'newer_in_history' | null {
  const at = Date.parse(collectedAt);
  if (Number.isNaN(at)) {
    return null;
  }
  if (store.index.runs.some((run) => Date.parse(run.startedAt) === at)) {
    return 'already_recorded';
  }
  const last = store.index.runs.at(-1)?.startedAt;
  return last !== undefined && at < Date.parse(last) ? 'newer_in_history' : null;
}

/** The store, with the commit's failure kept instead of thrown (the reports are written by then). */
function capturing(store: HistoryStore): { store: HistoryStore; failure: () => unknown } {
  let failure: unknown = null;
  return {
    store: {
      location: store.location,
      index: store.index,
      append: (runFile, report, next): HistoryAppend => {
        const inner = store.append(runFile, report, next);
        return {
          files: inner.files,
          abandon: () => {
            inner.abandon();
          },
          commit: async (written) => {
            try {
              await inner.commit(written);
            } catch (error) {
              failure = error;
            }
          },
        };
      },
    },
    failure: () => failure,
  };
}

function isConflict(error: unknown): boolean {
  return error instanceof S3HistoryConflictError;
}

export interface HistoryRequest<T> {
  readonly location: S3Location;
  readonly endpointUrl?: string;
  /** When this run's facts were collected (the history dates runs by it). */
  readonly collectedAt: string;
  /** The run location's S3 client and where its runs live, to recognise this deployment's orphans. */
  readonly runs: { readonly store: RunStore; readonly where: RunLocation };
  readonly render: Render<T>;
  readonly now: Date;
  /** Tests shorten the wait for an in-flight writer. */
  readonly inFlightWaitMs?: number;
}

/**
 * Renders the reports with the history when this run can be appended, else without; never throws
 * for the history's sake (render's own errors propagate).
 */
export async function renderWithHistory<T>(request: HistoryRequest<T>): Promise<{ rendered: T; history: HistoryOutcome }> {
  const location = displayLocation(request.location);
  const notAppended = async (reason: HistoryReason, message: string, removedOrphans: readonly string[]): Promise<{ rendered: T; history: HistoryOutcome }> => {
    const failed = NEEDS_OPERATOR.has(reason);
    logNotice(`${failed ? 'history NOT appended' : 'history not appended'} (${reason}): ${message}`);
    return {
      rendered: await request.render(null),
      history: { location, appended: false, failed, reason, message, ...(removedOrphans.length === 0 ? {} : { removedOrphans }) },
    };
  };
  let removed: string[] = [];
  let lastConflict = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    let store: HistoryStore;
    try {
      store = await open(request.location, request.endpointUrl);
    } catch (error) {
      if (!isOrphanError(error) || removed.length > 0) {
        return notAppended(isOrphanError(error) ? 'orphan' : 'error', describe(error), removed);
      }
      let healed;
      try {
        healed = await healOrphans({ history: request.location, ...(request.endpointUrl === undefined ? {} : { endpointUrl: request.endpointUrl }), runs: request.runs, now: request.now });
      } catch (healing) {
        // Looking for removable orphans is best effort: the run keeps its reports either way.
        return notAppended('orphan', `${describe(error)} (looking for orphans of this deployment failed: ${describe(healing)})`, removed);
      }
      removed = healed.removed;
      if (healed.removed.length > 0) {
        attempt -= 1;
        continue;
      }
      if ((healed.young > 0 || healed.unlisted === 0) && attempt < MAX_ATTEMPTS) {
        // Another Reduce between its run object and its index: it is done in a moment (or was,
        // by the time the objects were listed again).
        if (healed.unlisted > 0) {
          await new Promise((resolve) => setTimeout(resolve, request.inFlightWaitMs ?? IN_FLIGHT_WAIT_MS));
        }
        continue;
      }
      return notAppended('orphan', `${describe(error)}${healed.kept === '' ? '' : ` (${healed.kept})`}`, removed);
    }
    const held = heldReason(store, request.collectedAt);
    if (held !== null) {
      const last = store.index.runs.at(-1)?.startedAt ?? '';
      return notAppended(
        held,
        held === 'already_recorded'
          ? `the history already holds this run (facts collected at ${request.collectedAt}): a retried or redriven Reduce is not appended twice`
          : `the history's last run was collected at ${last}, after this run's facts (${request.collectedAt}): appending would rewind its streaks`,
        removed,
      );
    }
    const captured = capturing(store);
    const rendered = await request.render(captured.store);
    const failure = captured.failure();
    if (failure === null) {
      return { rendered, history: { location, appended: true, failed: false, ...(removed.length === 0 ? {} : { removedOrphans: removed }) } };
    }
    if (!isConflict(failure)) {
      return notAppended('error', describe(failure), removed);
    }
    lastConflict = describe(failure);
    logNotice(`history: another run committed first (attempt ${String(attempt)} of ${String(MAX_ATTEMPTS)}); reading it again`);
  }
  return notAppended('conflict', `${lastConflict} (${String(MAX_ATTEMPTS)} attempts)`, removed);
}
