import { strict as assert } from 'node:assert';
import { evaluateCondition } from '../../src/engine/conditions.js';
import { FALSE, TRUE, and, dedupeUnknowns, not, or, unknownTruth } from '../../src/engine/logic.js';
import type { Truth } from '../../src/engine/logic.js';
import { rootScope } from '../../src/engine/paths.js';
import type { Condition } from '../../src/engine/types.js';
import { unknown } from '../../src/facts/model.js';

const U = unknownTruth([{ reason: 'access_denied', message: 'u1' }]);
const U2 = unknownTruth([{ reason: 'throttled', message: 'u2' }]);
const name = (truth: Truth): string => truth.kind;

describe('Kleene logic', () => {
  const values: readonly Truth[] = [TRUE, FALSE, U];
  // Strong Kleene truth tables, row = left operand, column = right operand (T, F, U).
  const AND: Record<string, Record<string, string>> = {
    true: { true: 'true', false: 'false', unknown: 'unknown' },
    false: { true: 'false', false: 'false', unknown: 'false' },
    unknown: { true: 'unknown', false: 'false', unknown: 'unknown' },
  };
  const OR: Record<string, Record<string, string>> = {
    true: { true: 'true', false: 'true', unknown: 'true' },
    false: { true: 'true', false: 'false', unknown: 'unknown' },
    unknown: { true: 'true', false: 'unknown', unknown: 'unknown' },
  };

  for (const a of values) {
    for (const b of values) {
      it(`${name(a)} AND ${name(b)} = ${AND[a.kind]![b.kind]!}`, () => {
        assert.equal(and([a, b]).kind, AND[a.kind]![b.kind]);
      });
      it(`${name(a)} OR ${name(b)} = ${OR[a.kind]![b.kind]!}`, () => {
        assert.equal(or([a, b]).kind, OR[a.kind]![b.kind]);
      });
    }
  }

  it('NOT swaps true and false and keeps unknown (with its details)', () => {
    assert.equal(not(TRUE).kind, 'false');
    assert.equal(not(FALSE).kind, 'true');
    assert.deepEqual(not(U), U);
  });

  it('empty AND is true, empty OR is false', () => {
    assert.equal(and([]).kind, 'true');
    assert.equal(or([]).kind, 'false');
  });

  it('an unknown result carries every contributing unknown, deduplicated', () => {
    const result = and([U, TRUE, U2, U]);
    assert.ok(result.kind === 'unknown');
    assert.deepEqual(result.unknowns.map((d) => d.message), ['u1', 'u2']);
    assert.equal(dedupeUnknowns([{ reason: 'error', message: 'x' }, { reason: 'error', message: 'x' }]).length, 1);
    assert.equal(dedupeUnknowns([{ reason: 'error', message: 'x' }, { reason: 'error', message: 'x', region: 'eu-west-1' }]).length, 2);
  });

  describe('all / any / not conditions over unknown facts', () => {
    const item = { t: true, f: false, u: unknown('access_denied', 'denied') };
    const run = (condition: Condition): string => evaluateCondition(condition, rootScope(item), {}).kind;
    const is = (path: string): Condition => ({ path, op: 'eq', value: true });

    it('all: false beats unknown, unknown beats true', () => {
      assert.equal(run({ all: [is('u'), is('f')] }), 'false');
      assert.equal(run({ all: [is('t'), is('u')] }), 'unknown');
      assert.equal(run({ all: [is('t'), is('t')] }), 'true');
    });

    it('any: true beats unknown, unknown beats false', () => {
      assert.equal(run({ any: [is('u'), is('t')] }), 'true');
      assert.equal(run({ any: [is('f'), is('u')] }), 'unknown');
      assert.equal(run({ any: [is('f'), is('f')] }), 'false');
    });

    it('not: unknown stays unknown (never a PASS from a gap)', () => {
      assert.equal(run({ not: is('u') }), 'unknown');
      assert.equal(run({ not: is('f') }), 'true');
      assert.equal(run({ not: { not: is('t') } }), 'true');
    });

    it('ne on an unknown value is unknown, not true', () => {
      assert.equal(run({ path: 'u', op: 'ne', value: true }), 'unknown');
      assert.equal(run({ path: 'u', op: 'notExists' }), 'unknown');
    });
  });
});
