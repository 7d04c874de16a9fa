import { isUnknown } from '../facts/model.js';
import { and, FALSE, not, or, TRUE, truthOf, unknownTruth, type Truth } from './logic.js';
import { OPERATORS } from './operators.js';
import { childScope, MISSING, resolvePath, type Scope } from './paths.js';
import { lookup, substituteValue } from './template.js';
import type { Condition, LeafCondition, Quantified } from './types.js';

/** Parameters of the check being evaluated, reachable as `{{param.x}}` in leaf values. */
export type Parameters = Readonly<Record<string, unknown>>;

/** Evaluate a condition in three-valued logic; never throws on data, only on programming errors. */
export function evaluateCondition(condition: Condition, scope: Scope, params: Parameters): Truth {
  if ('all' in condition) {
    return and(lazyMap(condition.all, (child) => evaluateCondition(child, scope, params)));
  }
  if ('any' in condition) {
    return or(lazyMap(condition.any, (child) => evaluateCondition(child, scope, params)));
  }
  if ('not' in condition) {
    return not(evaluateCondition(condition.not, scope, params));
  }
  if ('some' in condition) {
    return some(condition.some, scope, params);
  }
  if ('every' in condition) {
    return every(condition.every, scope, params);
  }
  if ('none' in condition) {
    return not(some(condition.none, scope, params));
  }
  return evaluateLeaf(condition, scope, params);
}

function* lazyMap<T, U>(items: readonly T[], fn: (item: T) => U): Generator<U> {
  for (const item of items) {
    yield fn(item);
  }
}

/** `$param.x` reads a check parameter, so a condition can depend on whether one was set. */
const PARAM_PREFIX = '$param.';

export function resolveLeafPath(path: string, scope: Scope, params: Parameters): unknown {
  if (path.startsWith(PARAM_PREFIX)) {
    return lookup(params, path.slice(PARAM_PREFIX.length)) ?? MISSING;
  }
  return resolvePath(path, scope);
}

function evaluateLeaf(leaf: LeafCondition, scope: Scope, params: Parameters): Truth {
  const actual = resolveLeafPath(leaf.path, scope, params);
  if (isUnknown(actual)) {
    return unknownTruth([actual.$unknown]);
  }
  let expected: unknown;
  if (leaf.ref !== undefined) {
    expected = resolvePath(leaf.ref, scope);
    if (isUnknown(expected)) {
      return unknownTruth([expected.$unknown]);
    }
    if (expected === MISSING) {
      // Comparing with something absent proves nothing either way except for ne / notIn.
      expected = undefined;
    }
  } else {
    expected = substituteValue(leaf.value, { param: params });
  }
  return truthOf(OPERATORS[leaf.op].test(actual, expected));
}

/** Items of a quantified collection; a single object counts as a one-item collection. */
function collectionItems(quantified: Quantified, scope: Scope): readonly unknown[] | Truth {
  const collection = resolvePath(quantified.in, scope);
  if (isUnknown(collection)) {
    return unknownTruth([collection.$unknown]);
  }
  if (collection === MISSING || collection === null) {
    return [];
  }
  return Array.isArray(collection) ? (collection as readonly unknown[]) : [collection];
}

/** Truth of "this item is selected and matches" — the body of `some`. */
function selectedAndMatching(quantified: Quantified, item: unknown, scope: Scope, params: Parameters): Truth {
  const inner = childScope(scope, item);
  const selected = quantified.where === undefined ? TRUE : evaluateCondition(quantified.where, inner, params);
  if (selected.kind === 'false') {
    return FALSE;
  }
  const matches = quantified.match === undefined ? TRUE : evaluateCondition(quantified.match, inner, params);
  return and([selected, matches]);
}

function some(quantified: Quantified, scope: Scope, params: Parameters): Truth {
  const items = collectionItems(quantified, scope);
  if (!Array.isArray(items)) {
    return items as Truth;
  }
  return or(lazyMap(items, (item) => selectedAndMatching(quantified, item, scope, params)));
}

/** every = for each item, (not selected) or matches. */
function every(quantified: Quantified, scope: Scope, params: Parameters): Truth {
  const items = collectionItems(quantified, scope);
  if (!Array.isArray(items)) {
    return items as Truth;
  }
  return and(
    lazyMap(items, (item) => {
      const inner = childScope(scope, item);
      const selected = quantified.where === undefined ? TRUE : evaluateCondition(quantified.where, inner, params);
      if (selected.kind === 'false') {
        return TRUE;
      }
      const matches = quantified.match === undefined ? TRUE : evaluateCondition(quantified.match, inner, params);
      return or([not(selected), matches]);
    }),
  );
}
