import { strict as assert } from 'node:assert';
import { applySuppressions, globToRegExp, isExpired, suppressionMatches } from '../../src/engine/suppress.js';
import type { Suppression } from '../../src/engine/types.js';
import { finding } from './fixtures.js';

const LEGACY = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/legacy-eu';
const suppression = (fields: Partial<Suppression> = {}): Suppression => ({
  check: 'CloudTrail.4',
  resource: '*',
  reason: 'legacy trail, replaced in Q3 (SEC-123)',
  expires: '2027-06-30',
  ...fields,
});

/**
 * The register's expired and unused entries with their counts: what reports flag (the assertions
 * below were written against the engine's former notice list, which this is).
 */
interface Notice {
  readonly suppression: Suppression;
  readonly state: 'expired' | 'unused' | 'active';
  readonly matched: number;
  readonly unknownMatched: number;
}

function apply(...args: Parameters<typeof applySuppressions>): ReturnType<typeof applySuppressions> & { notices: Notice[] } {
  const result = applySuppressions(...args);
  const notices: Notice[] = result.register
    .filter((record) => record.state !== 'active')
    .map((record) => ({
      suppression: record.suppression,
      state: record.state,
      matched: record.matched.length,
      unknownMatched: record.matched.filter((f) => f.status === 'UNKNOWN').length,
    }));
  return { ...result, notices };
}

describe('suppressions', () => {
  describe('globs', () => {
    it('* spans / and : (ARNs)', () => {
      assert.ok(globToRegExp('arn:aws:cloudtrail:*:111122223333:trail/legacy-*').test(LEGACY));
      assert.ok(globToRegExp('*legacy*').test(LEGACY));
      assert.ok(globToRegExp('arn:*').test(LEGACY));
    });

    it('is anchored, literal otherwise, and ? is one character', () => {
      assert.ok(!globToRegExp('legacy-*').test(LEGACY));
      assert.ok(!globToRegExp('arn:aws:cloudtrail:us-east-1:111122223333:trail/legacy-e').test(LEGACY));
      assert.ok(globToRegExp('arn:aws:s3:::bucket.with.dots').test('arn:aws:s3:::bucket.with.dots'));
      assert.ok(!globToRegExp('arn:aws:s3:::bucket.with.dots').test('arn:aws:s3:::bucketXwithXdots'));
      assert.ok(globToRegExp('CloudTrail.?').test('CloudTrail.4'));
      assert.ok(!globToRegExp('CloudTrail.?').test('CloudTrail.10'));
      assert.ok(globToRegExp('(a)+[b]').test('(a)+[b]'));
    });

    it('match on check (glob), resource id and, when given, region', () => {
      const f = finding('CloudTrail.4', LEGACY);
      assert.ok(suppressionMatches(suppression({ resource: '*/legacy-*' }), f));
      assert.ok(suppressionMatches(suppression({ check: 'CloudTrail.*' }), f));
      assert.ok(!suppressionMatches(suppression({ check: 'CloudTrail.2' }), f));
      assert.ok(!suppressionMatches(suppression({ check: 'CloudTrail.1' }), finding('CloudTrail.10', LEGACY)));
      assert.ok(!suppressionMatches(suppression({ resource: '*/prod-*' }), f));
      assert.ok(suppressionMatches(suppression({ region: 'us-*' }), f));
      assert.ok(!suppressionMatches(suppression({ region: 'eu-*' }), f));
    });

    it('a region glob tells apart CloudTrail.3 findings that share the account id', () => {
      const east = finding('CloudTrail.3', '111122223333', 'us-east-1');
      const west = finding('CloudTrail.3', '111122223333', 'eu-west-1');
      const { findings } = applySuppressions([east, west], [suppression({ check: 'CloudTrail.3', resource: '111122223333', region: 'eu-*' })], '2026-06-15');
      assert.deepEqual(findings.map((f) => f.suppressed !== null), [false, true]);
    });
  });

  describe('expiry', () => {
    it('is inclusive: active on the expiry day, expired the day after', () => {
      assert.equal(isExpired(suppression({ expires: '2026-06-15' }), '2026-06-15'), false);
      assert.equal(isExpired(suppression({ expires: '2026-06-15' }), '2026-06-16'), true);
      assert.equal(isExpired(suppression({ expires: '2026-12-31' }), '2027-01-01'), true);
    });

    it('on the expiry day the finding is suppressed and no notice is given', () => {
      const { findings, notices } = apply([finding('CloudTrail.4', LEGACY)], [suppression({ expires: '2026-06-15' })], '2026-06-15');
      assert.deepEqual(findings[0]!.suppressed, { reason: 'legacy trail, replaced in Q3 (SEC-123)', expires: '2026-06-15', resource: '*' });
      assert.deepEqual(notices, []);
    });

    it('the day after, it is not applied and an expired notice counts what it would have matched', () => {
      const s = suppression({ expires: '2026-06-15' });
      const { findings, notices } = apply([finding('CloudTrail.4', LEGACY), finding('CloudTrail.4', `${LEGACY}2`)], [s], '2026-06-16');
      assert.deepEqual(findings.map((f) => f.suppressed), [null, null]);
      assert.deepEqual(notices, [{ suppression: s, state: 'expired', matched: 2, unknownMatched: 0 }]);
    });

    it('an active suppression still applies when an expired one also matches', () => {
      const old = suppression({ expires: '2020-01-01', reason: 'old' });
      const current = suppression({ reason: 'current' });
      const { findings, notices } = apply([finding('CloudTrail.4', LEGACY)], [old, current], '2026-06-15');
      assert.equal(findings[0]!.suppressed?.reason, 'current');
      assert.deepEqual(notices.map((n) => n.state), ['expired']);
    });
  });

  it('a suppression that matches nothing is reported as unused', () => {
    const s = suppression({ resource: '*/nothing-*' });
    const { findings, notices } = apply([finding('CloudTrail.4', LEGACY)], [s], '2026-06-15');
    assert.equal(findings[0]!.suppressed, null);
    assert.deepEqual(notices, [{ suppression: s, state: 'unused', matched: 0, unknownMatched: 0 }]);
  });

  it('never changes the status, and marks only FAIL: a suppression accepts a known failure', () => {
    const statuses = ['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE'] as const;
    const input = statuses.map((status, i) => finding('CloudTrail.4', `${LEGACY}${String(i)}`, 'us-east-1', status));
    const s = suppression();
    const { findings, notices } = apply(input, [s], '2026-06-15');
    assert.deepEqual(findings.map((f) => f.status), [...statuses]);
    assert.deepEqual(findings.map((f) => f.suppressed !== null), [false, true, false, false]);
    assert.deepEqual(findings.map((f) => ({ ...f, suppressed: null })), input);
    // It accepted a failure, so it is active: no notice.
    assert.deepEqual(notices, []);
  });

  it('never closes an UNKNOWN, even with a wildcard over every check: it is counted and reported instead', () => {
    const everything = suppression({ check: 'CloudTrail.*', expires: '2099-12-31' });
    const input = [
      finding('CloudTrail.4', `${LEGACY}1`, 'us-east-1', 'UNKNOWN'),
      finding('CloudTrail.6', 'arn:aws:s3:::logs', 'us-east-1', 'UNKNOWN'),
      finding('CloudTrail.2', `${LEGACY}2`, 'us-east-1', 'PASS'),
    ];
    const { findings, notices } = apply(input, [everything], '2026-06-15');
    assert.ok(findings.every((f) => f.suppressed === null));
    assert.deepEqual(notices, [{ suppression: everything, state: 'unused', matched: 3, unknownMatched: 2 }]);
  });

  it('an expired suppression counts the UNKNOWNs it matched too', () => {
    const old = suppression({ expires: '2020-01-01' });
    const { notices } = apply([finding('CloudTrail.4', LEGACY, 'us-east-1', 'UNKNOWN')], [old], '2026-06-15');
    assert.deepEqual(notices, [{ suppression: old, state: 'expired', matched: 1, unknownMatched: 1 }]);
  });

  it('the first matching active suppression wins', () => {
    const { findings } = applySuppressions(
      [finding('CloudTrail.4', LEGACY)],
      [suppression({ reason: 'first' }), suppression({ reason: 'second' })],
      '2026-06-15',
    );
    assert.equal(findings[0]!.suppressed?.reason, 'first');
  });
});

describe('suppression register', () => {
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
});
