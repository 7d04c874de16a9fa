/**
 * A metric filter's pattern against the prescribed one (CIS monitoring items, Security Hub
 * CloudWatch.1–14): the same filter, more terms, fewer terms, or another filter.
 *
 * Pure. Conservative: 'exact' only when the two normalised trees (filterPattern.ts) are equal —
 * whitespace, optional quotes and redundant parentheses aside, the same terms in the same order.
 *
 * Decisions:
 * - **Reordered terms are not 'exact'.** `(a) || (b)` and `(b) || (a)` match the same events, but
 *   Security Hub compares the prescribed filter exactly and CIS says to compare token sequences;
 *   nothing shows that either accepts another order. Such a filter is 'different' with
 *   `reordered: true` and a message that says it matches the same events.
 * - **'superset' / 'subset' are about terms**, compared as multisets within each `&&` or `||`
 *   chain (recursively where one operand on each side differs, e.g. the `||` group inside CIS's
 *   `(eventSource) && ((…) || (…))`): 'superset' = every prescribed term plus others, 'subset' =
 *   some prescribed terms missing and nothing else. Under `||` an extra term makes the filter
 *   match more events; under `&&` fewer; the message says which. Security Hub fails both.
 * - A chain mixing `&&` and `||` without parentheses (CIS 3.0's unauthorized-API and route-table
 *   patterns) has no documented precedence: it is only ever equal or 'different'.
 */
import { parseFilterPattern, renderNode, type FilterChain, type FilterNode, type ParsedFilter } from './filterPattern.js';

export type FilterVerdict = 'exact' | 'superset' | 'subset' | 'different' | 'unparseable';

export interface FilterComparison {
  readonly verdict: FilterVerdict;
  /** Prescribed terms the filter lacks, in canonical text (`$.eventName = DeleteTrail`). */
  readonly missing: readonly string[];
  /** Terms the filter has beyond the prescribed ones. */
  readonly extra: readonly string[];
  /** Same terms as prescribed, in another order (verdict 'different'). */
  readonly reordered: boolean;
  readonly message: string;
}

interface Diff {
  readonly missing: { readonly text: string; readonly under: FilterNode['kind'] }[];
  readonly extra: { readonly text: string; readonly under: FilterNode['kind'] }[];
  reordered: boolean;
  /** A difference inside a mixed chain, or between chains of different operators. */
  opaque: boolean;
}

const SECURITY_HUB = 'Security Hub fails any filter that is not exactly the prescribed pattern';

// Operands are compared pairwise: render each node once (a filter may have hundreds of terms).
const KEYS = new WeakMap<FilterNode, string>();

function key(node: FilterNode): string {
  let text = KEYS.get(node);
  if (text === undefined) {
    text = renderNode(node);
    KEYS.set(node, text);
  }
  return text;
}

function asChain(node: FilterNode, kind: 'and' | 'or'): FilterChain {
  return node.kind === kind ? node : { kind, operands: [node], operators: [] };
}

/** Pairs equal operands (by canonical text), then recurses into the one unpaired pair if any. */
function diffNodes(actual: FilterNode, prescribed: FilterNode, under: FilterNode['kind'], diff: Diff): void {
  if (key(actual) === key(prescribed)) {
    return;
  }
  if (prescribed.kind === 'mixed' || actual.kind === 'mixed' || prescribed.kind === 'term') {
    if (prescribed.kind === 'term' && (actual.kind === 'and' || actual.kind === 'or')) {
      // `a` prescribed, `a || b` found: the prescribed term is an operand of a longer chain.
      diffChains(actual, asChain(prescribed, actual.kind), diff);
      return;
    }
    diff.opaque ||= prescribed.kind === 'mixed' || actual.kind === 'mixed';
    diff.missing.push({ text: key(prescribed), under });
    diff.extra.push({ text: key(actual), under });
    return;
  }
  diffChains(asChain(actual, prescribed.kind), prescribed, diff);
}

function diffChains(actual: FilterChain, prescribed: FilterChain, diff: Diff): void {
  if (actual.kind !== prescribed.kind) {
    // `a && b` where `a || b` is prescribed: no term-wise relation between the two.
    diff.opaque = true;
    diff.missing.push({ text: key(prescribed), under: prescribed.kind });
    diff.extra.push({ text: key(actual), under: prescribed.kind });
    return;
  }
  const unpairedActual = [...actual.operands];
  const unpairedPrescribed: FilterNode[] = [];
  const pairedInActualOrder: number[] = [];
  for (const operand of prescribed.operands) {
    const at = unpairedActual.findIndex((candidate) => key(candidate) === key(operand));
    const [taken] = at < 0 ? [] : unpairedActual.splice(at, 1);
    if (taken === undefined) {
      unpairedPrescribed.push(operand);
    } else {
      pairedInActualOrder.push(actual.operands.indexOf(taken));
    }
  }
  // The paired operands appear in the prescribed order iff their positions in actual ascend.
  if (pairedInActualOrder.some((position, i) => i > 0 && position < (pairedInActualOrder[i - 1] ?? 0))) {
    diff.reordered = true;
  }
  const [onlyActual] = unpairedActual;
  const [onlyPrescribed] = unpairedPrescribed;
  if (onlyActual !== undefined && onlyPrescribed !== undefined && unpairedActual.length === 1 && unpairedPrescribed.length === 1 && (onlyActual.kind !== 'term' || onlyPrescribed.kind !== 'term')) {
    // One operand changed on each side and one of them is a group: the difference is inside it.
    diffNodes(onlyActual, onlyPrescribed, prescribed.kind, diff);
    return;
  }
  for (const node of unpairedPrescribed) {
    diff.missing.push({ text: key(node), under: prescribed.kind });
  }
  for (const node of unpairedActual) {
    diff.extra.push({ text: key(node), under: prescribed.kind });
  }
}

function listed(items: readonly { readonly text: string }[]): string {
  return items.map((item) => `(${item.text})`).join(', ');
}

function effect(items: Diff['extra']): string {
  const wider = items.some((item) => item.under === 'or');
  const narrower = items.some((item) => item.under === 'and');
  if (wider && !narrower) {
    return 'an extra ||-term makes it match more events than prescribed';
  }
  if (narrower && !wider) {
    return 'an extra &&-term makes it match fewer events than prescribed';
  }
  return 'extra terms under both && and || make it match other events than prescribed';
}

export function compareParsed(actual: ParsedFilter, prescribed: ParsedFilter): FilterComparison {
  if (!prescribed.ok) {
    // The prescribed patterns are our own data (monitoringPatterns.ts, tested to parse).
    throw new Error(`prescribed filter pattern does not parse: ${prescribed.reason}`);
  }
  if (!actual.ok) {
    return {
      verdict: 'unparseable',
      missing: [],
      extra: [],
      reordered: false,
      message: `the filter pattern cannot be read: ${actual.reason} (at character ${actual.position + 1}); the prescribed pattern is ${prescribed.canonical}`,
    };
  }
  if (actual.canonical === prescribed.canonical) {
    return { verdict: 'exact', missing: [], extra: [], reordered: false, message: 'the filter is the prescribed pattern (whitespace, optional quotes and redundant parentheses aside)' };
  }
  const diff: Diff = { missing: [], extra: [], reordered: false, opaque: false };
  diffNodes(actual.root, prescribed.root, prescribed.root.kind, diff);
  const missing = diff.missing.map((item) => item.text);
  const extra = diff.extra.map((item) => item.text);
  if (!diff.opaque && missing.length === 0 && extra.length > 0) {
    return {
      verdict: 'superset',
      missing,
      extra,
      reordered: diff.reordered,
      message: `the filter has every prescribed term and also ${listed(diff.extra)}: ${effect(diff.extra)}; ${SECURITY_HUB}, so a superset FAILS`,
    };
  }
  if (!diff.opaque && missing.length > 0 && extra.length === 0) {
    return { verdict: 'subset', missing, extra, reordered: diff.reordered, message: `the filter lacks the prescribed term(s) ${listed(diff.missing)}; ${SECURITY_HUB}` };
  }
  if (missing.length === 0 && extra.length === 0 && diff.reordered) {
    return {
      verdict: 'different',
      missing,
      extra,
      reordered: true,
      message: `the filter has the prescribed terms in another order: it matches the same events, but ${SECURITY_HUB} (compare ${prescribed.canonical})`,
    };
  }
  const parts = [missing.length > 0 ? `lacks ${listed(diff.missing)}` : '', extra.length > 0 ? `has ${listed(diff.extra)} instead` : ''].filter((part) => part !== '');
  return {
    verdict: 'different',
    missing,
    extra,
    reordered: diff.reordered,
    message: `the filter is not the prescribed pattern${parts.length > 0 ? `: it ${parts.join(' and ')}` : ''}${diff.opaque ? ' (&& and || mixed without parentheses, or a chain of the other operator: compared as written)' : ''}; the prescribed pattern is ${prescribed.canonical}`,
  };
}

/** `actual` (as stored on the metric filter) against one prescribed pattern. */
export function compareFilter(actual: string, prescribed: string): FilterComparison {
  return compareParsed(parseFilterPattern(actual), parseFilterPattern(prescribed));
}

const RANK: Readonly<Record<FilterVerdict, number>> = { exact: 0, superset: 1, subset: 2, different: 3, unparseable: 4 };

/**
 * `actual` against each accepted pattern (CIS accepts two console sign-in patterns): the closest
 * comparison, the first one on a tie.
 */
export function compareFilterToAny(actual: string, prescribed: readonly string[]): FilterComparison {
  const parsed = parseFilterPattern(actual);
  let best: FilterComparison | undefined;
  for (const pattern of prescribed) {
    const comparison = compareParsed(parsed, parseFilterPattern(pattern));
    if (best === undefined || RANK[comparison.verdict] < RANK[best.verdict]) {
      best = comparison;
    }
  }
  if (best === undefined) {
    throw new Error('compareFilterToAny needs at least one prescribed pattern');
  }
  return best;
}
