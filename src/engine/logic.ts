import type { UnknownDetail } from '../facts/model.js';

/**
 * Kleene three-valued logic. UNKNOWN carries the facts that could not be read, so that a
 * verdict which depends on them can say exactly what permission or account is missing.
 */
export type Truth =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'unknown'; readonly unknowns: readonly UnknownDetail[] };

export const TRUE: Truth = { kind: 'true' };
export const FALSE: Truth = { kind: 'false' };

export function truthOf(value: boolean): Truth {
  return value ? TRUE : FALSE;
}

export function unknownTruth(unknowns: readonly UnknownDetail[]): Truth {
  return { kind: 'unknown', unknowns };
}

export function not(truth: Truth): Truth {
  switch (truth.kind) {
    case 'true':
      return FALSE;
    case 'false':
      return TRUE;
    case 'unknown':
      return truth;
  }
}

/** AND: false wins, then unknown (with every contributing unknown), then true. */
export function and(truths: Iterable<Truth>): Truth {
  const unknowns: UnknownDetail[] = [];
  let sawUnknown = false;
  for (const truth of truths) {
    if (truth.kind === 'false') {
      return FALSE;
    }
    if (truth.kind === 'unknown') {
      sawUnknown = true;
      unknowns.push(...truth.unknowns);
    }
  }
  return sawUnknown ? unknownTruth(dedupeUnknowns(unknowns)) : TRUE;
}

/** OR: true wins, then unknown, then false. */
export function or(truths: Iterable<Truth>): Truth {
  const unknowns: UnknownDetail[] = [];
  let sawUnknown = false;
  for (const truth of truths) {
    if (truth.kind === 'true') {
      return TRUE;
    }
    if (truth.kind === 'unknown') {
      sawUnknown = true;
      unknowns.push(...truth.unknowns);
    }
  }
  return sawUnknown ? unknownTruth(dedupeUnknowns(unknowns)) : FALSE;
}

export function dedupeUnknowns(unknowns: readonly UnknownDetail[]): UnknownDetail[] {
  const seen = new Set<string>();
  const result: UnknownDetail[] = [];
  for (const detail of unknowns) {
    const key = JSON.stringify([detail.reason, detail.message, detail.operation, detail.region, detail.account]);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(detail);
    }
  }
  return result;
}
