/**
 * The engine returns the whole suppression register (every configured suppression with its state
 * and the findings it matched), so reports read it instead of matching suppressions again.
 */
import { strict as assert } from 'node:assert';
import { applySuppressions } from '../../src/engine/suppress.js';
import type { Finding, Suppression } from '../../src/engine/types.js';
import { suppressionRegister, unknownsMatchedBySuppressions } from '../../src/report/common.js';
import { FINDINGS, REGISTER, makeContext } from '../report/fixtures.js';
import { finding } from './fixtures.js';

const LEGACY = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/legacy-eu';
const suppression = (fields: Partial<Suppression> = {}): Suppression => ({
  check: 'CloudTrail.4',
  resource: '*',
  reason: 'legacy trail, replaced in Q3 (SEC-123)',
  expires: '2027-06-30',
  ...fields,
});

describe('suppression register (engine)', () => {
  it('lists every suppression in configuration order with its state and the findings it matched, as returned', () => {
    const active = suppression({ resource: '*/legacy-*' });
    const expired = suppression({ expires: '2020-01-01', reason: 'old' });
    const unknownOnly = suppression({ check: 'CloudTrail.6' });
    const nothing = suppression({ resource: '*/nothing-*' });
    const input = [finding('CloudTrail.4', LEGACY), finding('CloudTrail.4', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/prod', 'us-east-1', 'PASS'), finding('CloudTrail.6', 'arn:aws:s3:::logs', 'us-east-1', 'UNKNOWN')];
    const { findings, register } = applySuppressions(input, [active, expired, unknownOnly, nothing], '2026-06-15');
    assert.deepEqual(
      register.map((r) => [r.suppression, r.state, r.matched.length]),
      [
        [active, 'active', 1],
        [expired, 'expired', 2],
        [unknownOnly, 'unused', 1],
        [nothing, 'unused', 0],
      ],
    );
    // The matched findings are the returned objects (marked), not the inputs.
    assert.equal(register[0]!.matched[0], findings[0]);
    assert.notEqual(findings[0], input[0]);
    assert.equal(findings[0]!.suppressed?.reason, active.reason);
    assert.deepEqual(register[1]!.matched, [findings[0], findings[1]]);
    assert.equal(register[2]!.matched[0], findings[2]);
  });

  it('lists an exact duplicate once; entries that differ in any field stay apart', () => {
    const s = suppression();
    const copy = { ...s };
    const otherFile = { ...s, file: 'b.yaml' };
    const { register } = applySuppressions([finding('CloudTrail.4', LEGACY)], [s, copy, otherFile], '2026-06-15');
    assert.deepEqual(register.map((r) => r.suppression), [s, otherFile]);
  });

  it('the report fixtures carry the register the engine computes for them', () => {
    const unmarked: Finding[] = FINDINGS.map((f) => ({ ...f, suppressed: null }));
    const { findings, register } = applySuppressions(unmarked, REGISTER.map((r) => r.suppression), '2025-01-15');
    assert.deepEqual(findings, FINDINGS);
    assert.deepEqual(
      register.map((r) => [r.suppression, r.state, r.matched.map((f) => f.resource.id)]),
      REGISTER.map((r) => [r.suppression, r.state, r.matched.map((f) => f.resource.id)]),
    );
  });
});

describe('suppression register (reports read it, never re-match)', () => {
  it('counts come from the register, whatever findings the formatter is given', () => {
    const entries = suppressionRegister(makeContext());
    assert.deepEqual(
      entries.map((e) => [e.state, e.matched, e.unknownMatched]),
      [
        ['active', 1, 0],
        ['unused', 1, 1],
        ['expired', 1, 0],
        ['unused', 0, 0],
      ],
    );
    // A register that says a suppression matched nothing is believed, even with matching findings around.
    const emptied = makeContext({ suppressions: REGISTER.map((r) => ({ ...r, matched: [] })) });
    assert.deepEqual(suppressionRegister(emptied).map((e) => e.matched), [0, 0, 0, 0]);
    assert.equal(unknownsMatchedBySuppressions(emptied), 0);
  });

  it('an UNKNOWN matched by two suppressions is one open verdict', () => {
    const unknown = REGISTER[1]!.matched[0]!;
    const twice = makeContext({ suppressions: [...REGISTER, { ...REGISTER[1]!, suppression: { ...REGISTER[1]!.suppression, reason: 'again' } }] });
    assert.equal(unknown.status, 'UNKNOWN');
    assert.equal(unknownsMatchedBySuppressions(twice), 1);
  });
});
