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
export interface Change {
  readonly before: BaselineFinding;
  readonly now: Finding;
}

/** Unsuppressed failures then and now. */
export interface FailureChanges {
  /** Failing now, not before. */
  readonly newFailures: readonly Finding[];
  /** Failing before and now. */
  readonly stillFailing: readonly Finding[];
  /** Failing before; now PASS or NOT_APPLICABLE. */
  readonly fixed: readonly Change[];
  /** Failing before; now UNKNOWN or suppressed: no longer failing, but nothing was seen to pass. */
  readonly unconfirmed: readonly Change[];
  /** Failing before; not reported now (resource removed or out of scope). Not "fixed". */
  readonly gone: readonly BaselineFinding[];
}

export function diffFailures(findings: readonly Finding[], baseline: readonly BaselineFinding[]): FailureChanges {
  // One previous failure per key (a later duplicate replaces an earlier one, in its place).
  const before = new Map<string, BaselineFinding>();
  for (const f of baseline) {
    if (isActiveFail(f)) {
      before.set(findingKey(f), f);
    }
  }
  const continuation = continuationOf(findings);
  const sameAsBefore = new Set<Finding>();
  const fixed: Change[] = [];
  const unconfirmed: Change[] = [];
  const gone: BaselineFinding[] = [];
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
