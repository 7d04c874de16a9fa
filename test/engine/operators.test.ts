import { strict as assert } from 'node:assert';
import { evaluateCondition } from '../../src/engine/conditions.js';
import { OPERATORS, OPERATOR_NAMES } from '../../src/engine/operators.js';
import { MISSING, rootScope } from '../../src/engine/paths.js';
import type { Operator } from '../../src/engine/types.js';

type Row = readonly [actual: unknown, expected: unknown, result: boolean];

const show = (value: unknown): string => (value === MISSING ? 'MISSING' : value === undefined ? 'undefined' : JSON.stringify(value));

/** Every operator with MISSING (absent property), null (not configured) and false kept apart. */
const TABLE: Readonly<Record<Operator, readonly Row[]>> = {
  eq: [
    [true, true, true],
    [false, false, true],
    [MISSING, false, false],
    [null, false, false],
    [null, null, true],
    [MISSING, null, false],
    [0, false, false],
    ['a', 'A', false],
    [['a', 'b'], ['a', 'b'], true],
    [{ k: 1 }, { k: 1 }, true],
  ],
  ne: [
    [true, false, true],
    [false, false, false],
    [MISSING, false, true],
    [null, false, true],
    [null, null, false],
    ['PENDING_DELETION', 'PENDING_DELETION', false],
  ],
  in: [
    ['b', ['a', 'b'], true],
    ['c', ['a', 'b'], false],
    [MISSING, ['a'], false],
    [null, [null], true],
    ['a', 'a', true],
    ['a', [], false],
  ],
  notIn: [
    ['c', ['a', 'b'], true],
    ['a', ['a', 'b'], false],
    [MISSING, ['a'], true],
    [null, ['a'], true],
    ['a', [], true],
  ],
  exists: [
    ['x', undefined, true],
    [false, undefined, true],
    ['', undefined, true],
    [null, undefined, false],
    [MISSING, undefined, false],
  ],
  notExists: [
    [null, undefined, true],
    [MISSING, undefined, true],
    [false, undefined, false],
    [0, undefined, false],
  ],
  empty: [
    [MISSING, undefined, true],
    [null, undefined, true],
    ['', undefined, true],
    [[], undefined, true],
    [{}, undefined, true],
    [false, undefined, false],
    [0, undefined, false],
    ['x', undefined, false],
    [['x'], undefined, false],
  ],
  notEmpty: [
    ['arn:aws:kms:us-east-1:1:key/k', undefined, true],
    [['x'], undefined, true],
    [{ a: 1 }, undefined, true],
    [false, undefined, true],
    [null, undefined, false],
    [MISSING, undefined, false],
    ['', undefined, false],
    [[], undefined, false],
  ],
  contains: [
    [['a', 'b'], 'a', true],
    [['a', 'b'], 'c', false],
    ['kms.amazonaws.com', 'kms', true],
    [MISSING, 'a', false],
    [null, 'a', false],
    [[{ k: 1 }], { k: 1 }, true],
  ],
  containsAll: [
    [['owner', 'env', 'x'], ['owner', 'env'], true],
    [['owner'], ['owner', 'env'], false],
    [['owner'], ['Owner'], false],
    [['owner'], [], true],
    [[], [], true],
    [MISSING, ['a'], false],
    [MISSING, [], true],
  ],
  containsAny: [
    [['a', 'b'], ['c', 'b'], true],
    [['a'], ['c'], false],
    [['a'], [], false],
    [MISSING, ['a'], false],
  ],
  startsWith: [
    ['aws:createdBy', 'aws:', true],
    ['owner', 'aws:', false],
    [MISSING, 'a', false],
    [null, 'a', false],
    [['aws:x'], 'aws:', false],
  ],
  matches: [
    ['arn:aws:kms:us-east-1:1:key/k', '^arn:aws[a-z-]*:kms:', true],
    ['alias/aws/s3', '^arn:', false],
    [MISSING, '.*', false],
    [null, '.*', false],
    [5, '5', false],
  ],
  gt: [
    [2, 1, true],
    [1, 1, false],
    ['2', 1, false],
    [MISSING, 0, false],
    [null, -1, false],
  ],
  gte: [
    [1, 1, true],
    [0, 1, false],
    [MISSING, 0, false],
  ],
  lt: [
    [0, 1, true],
    [1, 1, false],
    [MISSING, 5, false],
    [null, 5, false],
  ],
  lte: [
    [1, 1, true],
    [2, 1, false],
    [MISSING, 5, false],
  ],
};

describe('operators', () => {
  it('the table covers every registered operator', () => {
    assert.deepEqual(Object.keys(TABLE).sort(), [...OPERATOR_NAMES].sort());
  });

  for (const operator of OPERATOR_NAMES) {
    describe(operator, () => {
      for (const [actual, expected, result] of TABLE[operator]) {
        it(`${show(actual)} ${operator} ${show(expected)} → ${String(result)}`, () => {
          assert.equal(OPERATORS[operator].test(actual, expected), result);
        });
      }
    });
  }

  it('only the value-less operators are declared as taking no value', () => {
    const valueless = OPERATOR_NAMES.filter((operator) => !OPERATORS[operator].takesValue).sort();
    assert.deepEqual(valueless, ['empty', 'exists', 'notEmpty', 'notExists']);
  });

  describe('through path resolution: a missing property is not false and not null', () => {
    const item = { falseValue: false, nullValue: null, list: [] as string[] };
    const run = (path: string, op: Operator, value?: unknown): boolean => {
      const truth = evaluateCondition(value === undefined ? { path, op } : { path, op, value }, rootScope(item), {});
      assert.notEqual(truth.kind, 'unknown');
      return truth.kind === 'true';
    };

    it('eq false on a missing property is false; on a false property true', () => {
      assert.equal(run('absent', 'eq', false), false);
      assert.equal(run('falseValue', 'eq', false), true);
    });

    it('ne false on a missing property is true', () => {
      assert.equal(run('absent', 'ne', false), true);
    });

    it('notEmpty on null is false; exists on null is false; exists on false is true', () => {
      assert.equal(run('nullValue', 'notEmpty'), false);
      assert.equal(run('nullValue', 'exists'), false);
      assert.equal(run('falseValue', 'exists'), true);
    });

    it('a path through null or a scalar is missing', () => {
      assert.equal(run('nullValue.deeper', 'exists'), false);
      assert.equal(run('falseValue.deeper', 'notExists'), true);
    });
  });
});
