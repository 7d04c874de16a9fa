/**
 * `trailaudit-diff.json`'s data: the four lists of {@link diffRuns} flattened into items a reader
 * (or `jq`) needs without the two reports at hand. Pure.
 */
import type { Finding, Status } from '../../engine/types.js';
import { mostSevereFirst } from '../common.js';
import { diffRuns, notEvaluatedReason, type EvaluatedScope, type NotEvaluatedReason, type RunChange } from '../baselineDiff.js';

/** `trailaudit-diff.json`'s layout version (schemas/diff.schema.json). */
export const DIFF_SCHEMA_VERSION = 1;

export interface DiffItem {
  readonly control: string;
  readonly checkId: string;
  readonly severity: string;
  readonly accountId: string | null;
  readonly region: string;
  readonly resourceId: string;
  /** A scanned resource's file (two templates may declare one logical id). */
  readonly file?: string;
  /** null: OLD (before) or NEW (after) has no finding for it. */
  readonly before: Status | null;
  readonly after: Status | null;
  /** The suppression of a failure, before and after, when there is one. */
  readonly suppressedBefore?: { readonly reason: string; readonly expires: string };
  readonly suppressedAfter?: { readonly reason: string; readonly expires: string };
  readonly reason?: RunChange['reason'];
  /**
   * A new failure OLD has no finding for, because OLD did not evaluate it (its check not run, its
   * account or Region outside OLD's scope; `not_scanned` in a scan). Still a new failure (nothing
   * proves it is old), but the reader sees it is new to the comparison, not necessarily to AWS.
   */
  readonly notEvaluatedBefore?: NotEvaluatedReason;
  /** NEW's message when it has a finding, else OLD's. */
  readonly message: string;
}

export interface DiffSide {
  readonly file: string;
  readonly finishedAt: string;
  readonly collectedAt?: string;
}

export interface DiffResult {
  readonly schemaVersion: typeof DIFF_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly old: DiffSide;
  readonly new: DiffSide;
  readonly summary: {
    readonly newFailures: number;
    /** New failures not accepted by a suppression: what `--fail-on-new` fails on. */
    readonly newUnsuppressedFailures: number;
    /** New failures OLD did not evaluate (see DiffItem.notEvaluatedBefore); counted in both numbers above. */
    readonly newFailuresNotEvaluatedBefore: number;
    readonly fixed: number;
    readonly stillFailing: number;
    readonly notEvaluated: number;
  };
  readonly newFailures: readonly DiffItem[];
  readonly fixed: readonly DiffItem[];
  readonly stillFailing: readonly DiffItem[];
  readonly notEvaluated: readonly DiffItem[];
}

export interface DiffInput {
  readonly side: DiffSide;
  readonly findings: readonly Finding[];
}

function item(c: RunChange, previousScope?: EvaluatedScope): DiffItem {
  // Every RunChange has a finding on at least one side.
  const f = (c.after ?? c.before) as Finding;
  const mark = (x: Finding | null): DiffItem['suppressedBefore'] =>
    x?.status === 'FAIL' && x.suppressed !== null ? { reason: x.suppressed.reason, expires: x.suppressed.expires } : undefined;
  const suppressedBefore = mark(c.before);
  const suppressedAfter = mark(c.after);
  return {
    control: f.control,
    checkId: f.checkId,
    severity: f.severity,
    accountId: f.resource.accountId,
    region: f.resource.region,
    resourceId: f.resource.id,
    ...(f.resource.location === undefined ? {} : { file: f.resource.location.file }),
    before: c.before?.status ?? null,
    after: c.after?.status ?? null,
    ...(suppressedBefore === undefined ? {} : { suppressedBefore }),
    ...(suppressedAfter === undefined ? {} : { suppressedAfter }),
    ...(c.reason === undefined ? {} : { reason: c.reason }),
    ...notEvaluatedBeforeOf(c, previousScope),
    message: f.message,
  };
}

function notEvaluatedBeforeOf(c: RunChange, previousScope: EvaluatedScope | undefined): Pick<DiffItem, 'notEvaluatedBefore'> {
  if (previousScope === undefined || c.before !== null || c.after === null) {
    return {};
  }
  const reason = notEvaluatedReason(c.after, previousScope);
  return reason === undefined ? {} : { notEvaluatedBefore: reason };
}

export function buildDiff(
  tool: DiffResult['tool'],
  previous: DiffInput,
  current: DiffInput,
  scope: EvaluatedScope,
  /** What OLD evaluated: marks the new failures it could not have had (DiffItem.notEvaluatedBefore). */
  previousScope?: EvaluatedScope,
): DiffResult {
  const runs = diffRuns(previous.findings, current.findings, scope);
  const list = (changes: readonly RunChange[]): DiffItem[] => changes.map((c) => item(c)).sort(mostSevereFirst);
  const newFailures = runs.newFailures.map((c) => item(c, previousScope)).sort(mostSevereFirst);
  const fixed = list(runs.fixed);
  const stillFailing = list(runs.stillFailing);
  const notEvaluated = list(runs.notEvaluated);
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    tool,
    old: previous.side,
    new: current.side,
    summary: {
      newFailures: newFailures.length,
      newUnsuppressedFailures: newFailures.filter((i) => i.suppressedAfter === undefined).length,
      newFailuresNotEvaluatedBefore: newFailures.filter((i) => i.notEvaluatedBefore !== undefined).length,
      fixed: fixed.length,
      stillFailing: stillFailing.length,
      notEvaluated: notEvaluated.length,
    },
    newFailures,
    fixed,
    stillFailing,
    notEvaluated,
  };
}
