import { isDeepStrictEqual } from 'node:util';
import type { Operator } from './types.js';
import { MISSING } from './paths.js';

/**
 * The closed operator registry. `takesValue` says whether a leaf needs `value`/`ref`; the check
 * schema's `op` enum is tested against these keys so an unknown operator fails at load time.
 * `actual` may be MISSING (absent property) or null (not configured); Unknowns never reach here.
 */
interface OperatorSpec {
  readonly takesValue: boolean;
  readonly test: (actual: unknown, expected: unknown) => boolean;
}

function isEmptyValue(actual: unknown): boolean {
  if (actual === MISSING || actual === null || actual === '') {
    return true;
  }
  if (Array.isArray(actual)) {
    return actual.length === 0;
  }
  if (typeof actual === 'object') {
    return Object.keys(actual).length === 0;
  }
  return false;
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

function includes(collection: unknown, element: unknown): boolean {
  if (typeof collection === 'string' && typeof element === 'string') {
    return collection.includes(element);
  }
  return Array.isArray(collection) && collection.some((entry) => isDeepStrictEqual(entry, element));
}

function compareNumbers(actual: unknown, expected: unknown, compare: (a: number, b: number) => boolean): boolean {
  return typeof actual === 'number' && typeof expected === 'number' && compare(actual, expected);
}

export const OPERATORS: Readonly<Record<Operator, OperatorSpec>> = {
  eq: { takesValue: true, test: (actual, expected) => actual !== MISSING && isDeepStrictEqual(actual, expected) },
  ne: { takesValue: true, test: (actual, expected) => actual === MISSING || !isDeepStrictEqual(actual, expected) },
  in: {
    takesValue: true,
    test: (actual, expected) => actual !== MISSING && asArray(expected).some((entry) => isDeepStrictEqual(entry, actual)),
  },
  notIn: {
    takesValue: true,
    test: (actual, expected) => actual === MISSING || !asArray(expected).some((entry) => isDeepStrictEqual(entry, actual)),
  },
  exists: { takesValue: false, test: (actual) => actual !== MISSING && actual !== null },
  notExists: { takesValue: false, test: (actual) => actual === MISSING || actual === null },
  empty: { takesValue: false, test: (actual) => isEmptyValue(actual) },
  notEmpty: { takesValue: false, test: (actual) => !isEmptyValue(actual) },
  contains: { takesValue: true, test: (actual, expected) => includes(actual, expected) },
  containsAll: {
    takesValue: true,
    test: (actual, expected) => asArray(expected).every((element) => includes(actual, element)),
  },
  containsAny: {
    takesValue: true,
    test: (actual, expected) => asArray(expected).some((element) => includes(actual, element)),
  },
  startsWith: {
    takesValue: true,
    test: (actual, expected) => typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected),
  },
  matches: {
    takesValue: true,
    test: (actual, expected) => typeof actual === 'string' && typeof expected === 'string' && new RegExp(expected, 'u').test(actual),
  },
  gt: { takesValue: true, test: (actual, expected) => compareNumbers(actual, expected, (a, b) => a > b) },
  gte: { takesValue: true, test: (actual, expected) => compareNumbers(actual, expected, (a, b) => a >= b) },
  lt: { takesValue: true, test: (actual, expected) => compareNumbers(actual, expected, (a, b) => a < b) },
  lte: { takesValue: true, test: (actual, expected) => compareNumbers(actual, expected, (a, b) => a <= b) },
};

export const OPERATOR_NAMES = Object.keys(OPERATORS) as Operator[];
