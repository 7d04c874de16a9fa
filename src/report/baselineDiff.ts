/**
 * What changed since a previous run, as data: the Markdown report's "Changes since last audit"
 * and SARIF's `baselineState` both read it, and so can any other consumer (a `diff` command).
 * Pure functions over the current findings and the baseline's; no formatting here.
 *
 * A finding is "the same" across runs when control, resource id and region agree. A resource
 * whose region could not be read this time (a deleted bucket is reported in region "unknown") is
 * still the same resource: ARNs and bucket names identify it on their own, so such findings also
 * match on control and resource id. Only account-keyed findings (CloudTrail.3, one per region)
 * need the region to tell them apart.
 */
import type { Finding } from '../engine/types.js';
import { isAccountKeyed } from './common.js';
import type { BaselineReport } from './types.js';

/** A finding of the previous run, as read back from its JSON report. */
export type BaselineFinding = BaselineReport['findings'][number];

interface Keyed {
  readonly control: string;
  readonly resource: { readonly id: string; readonly region: string; readonly location?: { readonly file: string } };
}

/**
 * Control + resource id + region (+ the file that declares it): the stable key of a finding across
 * runs. In a scan a resource id is a logical id or address, which two templates may share, so the
 * file is part of the resource's identity; live findings have no file.
 */
export function findingKey(item: Keyed): string {
  return JSON.stringify([item.control, item.resource.id, item.resource.region, item.resource.location?.file ?? null]);
}

function resourceKey(item: Keyed): string {
  return JSON.stringify([item.control, item.resource.id, item.resource.location?.file ?? null]);
}

/**
 * For a previous finding, the current finding that continues it (undefined: not reported now).
 * When two current findings share a key, the later one wins, as it always has.
 */
export function continuationOf(findings: readonly Finding[]): (previous: BaselineFinding) => Finding | undefined {
  const current = new Map<string, Finding>();
  const currentByResource = new Map<string, Finding>();
  for (const f of findings) {
    current.set(findingKey(f), f);
    if (!isAccountKeyed(f)) {
      currentByResource.set(resourceKey(f), f);
    }
  }
  return (previous) => current.get(findingKey(previous)) ?? (isAccountKeyed(previous) ? undefined : currentByResource.get(resourceKey(previous)));
}

function isActiveFail(f: Pick<Finding, 'status' | 'suppressed'>): boolean {
  return f.status === 'FAIL' && f.suppressed === null;
}

/** A previous failure and what became of it. */
export interface Change<B extends BaselineFinding = BaselineFinding> {
  readonly before: B;
  readonly now: Finding;
}

/** Unsuppressed failures then and now. */
export interface FailureChanges<B extends BaselineFinding = BaselineFinding> {
  /** Failing now, not before. */
  readonly newFailures: readonly Finding[];
  /** Failing before and now. */
  readonly stillFailing: readonly Finding[];
  /** Failing before; now PASS or NOT_APPLICABLE. */
  readonly fixed: readonly Change<B>[];
  /** Failing before; now UNKNOWN or suppressed: no longer failing, but nothing was seen to pass. */
  readonly unconfirmed: readonly Change<B>[];
  /** Failing before; not reported now (resource removed or out of scope). Not "fixed". */
  readonly gone: readonly B[];
}

/**
 * Generic in the previous findings' type so that a caller holding richer findings (`diff` reads
 * whole reports, with check ids) gets its own objects back in `fixed`, `unconfirmed` and `gone`.
 */
export function diffFailures<B extends BaselineFinding>(findings: readonly Finding[], baseline: readonly B[]): FailureChanges<B> {
  // One previous failure per key (a later duplicate replaces an earlier one, in its place).
  const before = new Map<string, B>();
  for (const f of baseline) {
    if (isActiveFail(f)) {
      before.set(findingKey(f), f);
    }
  }
  const continuation = continuationOf(findings);
  const sameAsBefore = new Set<Finding>();
  const fixed: Change<B>[] = [];
  const unconfirmed: Change<B>[] = [];
  const gone: B[] = [];
  for (const old of before.values()) {
    const now = continuation(old);
    if (now === undefined) {
      gone.push(old);
      continue;
    }
    sameAsBefore.add(now);
    if (now.suppressed !== null || now.status === 'UNKNOWN') {
      unconfirmed.push({ before: old, now });
    } else if (now.status !== 'FAIL') {
      fixed.push({ before: old, now });
    }
  }
  const nowFailing = findings.filter(isActiveFail);
  return {
    newFailures: nowFailing.filter((f) => !sameAsBefore.has(f)),
    stillFailing: nowFailing.filter((f) => sameAsBefore.has(f)),
    fixed,
    unconfirmed,
    gone,
  };
}

/**
 * SARIF's `baselineState` of a current result (a FAIL or an UNKNOWN, suppressed or not):
 * `new` when the previous run had no result for it (nothing, a PASS or a NOT_APPLICABLE),
 * `unchanged` when it had one with the same status and suppression, `updated` otherwise.
 * (`absent`, a previous result not reported now, has no current finding to attach to.)
 */
export type BaselineState = 'new' | 'unchanged' | 'updated';

export function baselineStates(findings: readonly Finding[], baseline: readonly BaselineFinding[]): Map<Finding, BaselineState> {
  const isResult = (f: Pick<Finding, 'status'>): boolean => f.status === 'FAIL' || f.status === 'UNKNOWN';
  const continuation = continuationOf(findings);
  const previousOf = new Map<Finding, BaselineFinding>();
  for (const old of baseline) {
    const now = continuation(old);
    if (now !== undefined && isResult(old) && !previousOf.has(now)) {
      previousOf.set(now, old);
    }
  }
  const states = new Map<Finding, BaselineState>();
  for (const f of findings) {
    if (!isResult(f)) {
      continue;
    }
    const old = previousOf.get(f);
    if (old === undefined) {
      states.set(f, 'new');
    } else {
      states.set(f, old.status === f.status && (old.suppressed === null) === (f.suppressed === null) ? 'unchanged' : 'updated');
    }
  }
  return states;
}

/**
 * `trailaudit diff OLD NEW`: every failure of either run sorted into four lists. Built on
 * {@link diffFailures} (the `--baseline` comparison), so the unsuppressed new / still failing /
 * fixed failures are the same in both; what `diff` adds is the suppressed failures and a verdict
 * on each previous failure `--baseline` leaves as "gone" or "not confirmed".
 *
 * Not evaluated is not fixed: a previous failure whose result NEW does not give (UNKNOWN now, its
 * check not among NEW's controls, its account or Region outside NEW's scope) is `notEvaluated`.
 * A resource absent from NEW while its check ran in its account and Region was removed: `fixed`,
 * with reason `resource_gone`. In a scan, an absent resource is `notEvaluated` (`not_scanned`).
 */
export type NotEvaluatedReason = 'unknown' | 'check_not_run' | 'account_not_in_scope' | 'region_not_in_scope' | 'not_scanned';

export interface RunChange {
  readonly before: Finding | null;
  readonly after: Finding | null;
  /** `resource_gone` for a fixed item with no finding now; why, for a not-evaluated item. */
  readonly reason?: 'resource_gone' | NotEvaluatedReason;
}

export interface RunDiff {
  /** FAIL now, no FAIL before (before PASS, NOT_APPLICABLE, UNKNOWN, absent, or a suppressed FAIL whose suppression no longer holds). */
  readonly newFailures: readonly RunChange[];
  /** FAIL before; now PASS, NOT_APPLICABLE, or the resource is gone where its check ran. */
  readonly fixed: readonly RunChange[];
  /** FAIL before and now, suppressed or not. */
  readonly stillFailing: readonly RunChange[];
  /** FAIL before; NEW gives no result for it. */
  readonly notEvaluated: readonly RunChange[];
}

/** What NEW evaluated: its enabled checks and, for a live audit, its accounts and Regions. */
export interface EvaluatedScope {
  readonly checkIds: ReadonlySet<string>;
  readonly live: boolean;
  readonly accounts: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
}

/** Regions that name no audited Region: account-wide findings and buckets whose Region was unreadable. */
const REGIONLESS = new Set(['global', 'unknown']);

/** Why NEW has no result for a previous finding it does not report, or undefined: its check ran there. */
export function notEvaluatedReason(previous: Finding, scope: EvaluatedScope): NotEvaluatedReason | undefined {
  if (!scope.checkIds.has(previous.checkId)) {
    return 'check_not_run';
  }
  if (!scope.live) {
    // A scan's inputs change from run to run (a file removed, a path not given): a resource absent
    // from NEW proves nothing, as in the history (src/history/streaks.ts), only a PASS fixes it.
    return 'not_scanned';
  }
  if (previous.resource.accountId !== null && !scope.accounts.has(previous.resource.accountId)) {
    return 'account_not_in_scope';
  }
  if (!REGIONLESS.has(previous.resource.region) && !scope.regions.has(previous.resource.region)) {
    return 'region_not_in_scope';
  }
  return undefined;
}

export function diffRuns(previous: readonly Finding[], current: readonly Finding[], scope: EvaluatedScope): RunDiff {
  const core = diffFailures(current, previous);
  const continuation = continuationOf(current);
  // The previous finding of each current one, a FAIL preferred (it decides new vs still failing).
  const previousOf = new Map<Finding, Finding>();
  for (const old of previous) {
    const now = continuation(old);
    if (now !== undefined && (!previousOf.has(now) || (old.status === 'FAIL' && previousOf.get(now)?.status !== 'FAIL'))) {
      previousOf.set(now, old);
    }
  }
  const change = (before: Finding | null, after: Finding | null, reason?: RunChange['reason']): RunChange =>
    reason === undefined ? { before, after } : { before, after, reason };
  const newFailures = core.newFailures.map((f) => change(previousOf.get(f) ?? null, f));
  const stillFailing = core.stillFailing.map((f) => change(previousOf.get(f) ?? null, f));
  const fixed = core.fixed.map((c) => change(c.before, c.now));
  const notEvaluated = core.unconfirmed.filter((c) => c.now.status === 'UNKNOWN').map((c) => change(c.before, c.now, 'unknown'));
  const sortGone = (old: Finding): void => {
    const reason = notEvaluatedReason(old, scope);
    (reason === undefined ? fixed : notEvaluated).push(change(old, null, reason ?? 'resource_gone'));
  };
  core.gone.forEach(sortGone);
  // Suppressed failures now: an accepted risk is still a failure (never fixed).
  for (const f of current) {
    if (f.status === 'FAIL' && f.suppressed !== null) {
      const old = previousOf.get(f);
      (old?.status === 'FAIL' ? stillFailing : newFailures).push(change(old ?? null, f));
    }
  }
  // Suppressed failures before (one per key, unless the key also failed unsuppressed: diffFailures has it).
  const activeKeys = new Set(previous.filter((f) => f.status === 'FAIL' && f.suppressed === null).map(findingKey));
  const suppressedBefore = new Map<string, Finding>();
  for (const f of previous) {
    if (f.status === 'FAIL' && f.suppressed !== null && !activeKeys.has(findingKey(f))) {
      suppressedBefore.set(findingKey(f), f);
    }
  }
  for (const old of suppressedBefore.values()) {
    const now = continuation(old);
    if (now === undefined) {
      sortGone(old);
    } else if (now.status === 'UNKNOWN') {
      notEvaluated.push(change(old, now, 'unknown'));
    } else if (now.status !== 'FAIL') {
      fixed.push(change(old, now));
    } // A FAIL now is in newFailures or stillFailing above.
  }
  return { newFailures, fixed, stillFailing, notEvaluated };
}
