import { strict as assert } from 'node:assert';
import { InputError } from '../../../src/errors.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { collectCloudFormation, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import { defaultChecks, findingOf, lineOf, readFixture, scanFixture, scanText, TODAY } from './helpers.js';

/** A trail whose Metadata opens a suppress list: each test adds its entries (one per line, from line 7). */
const SUPPRESSING_TRAIL = ['Resources:', '  T:', '    Type: AWS::CloudTrail::Trail', '    Metadata:', '      trailaudit:', '        suppress:'];

describe('CloudFormation inline suppressions (Metadata.trailaudit.suppress)', () => {
  const scan = scanFixture('suppressed.yaml');

  it('become Suppressions on the logical id, limited to this file', () => {
    assert.deepEqual(scan.collection.suppressions, [
      { check: 'CloudTrail.7', resource: 'Logs', reason: 'access logs go to the central log archive (SEC-42)', expires: '2027-06-30', file: 'templates/suppressed.yaml' },
      { check: 'CloudTrail.4', resource: 'LegacyTrail', reason: 'replaced by the org trail in Q3 (SEC-123)', expires: '2027-06-30', file: 'templates/suppressed.yaml' },
      { check: 'CloudTrail.9', resource: 'LegacyTrail', reason: 'expired exception', expires: '2025-01-31', file: 'templates/suppressed.yaml' },
    ]);
  });

  it('mark the matching findings (status unchanged); an expired one is not applied', () => {
    const four = findingOf(scan, 'CloudTrail.4', 'LegacyTrail');
    assert.equal(four.status, 'FAIL');
    assert.deepEqual(four.suppressed, { reason: 'replaced by the org trail in Q3 (SEC-123)', expires: '2027-06-30', resource: 'LegacyTrail' });
    assert.notEqual(findingOf(scan, 'CloudTrail.7', 'Logs').suppressed, null);
    assert.equal(findingOf(scan, 'CloudTrail.9', 'LegacyTrail').suppressed, null);
    // Not suppressed: a check nobody suppressed.
    assert.equal(findingOf(scan, 'CloudTrail.2', 'LegacyTrail').suppressed, null);
  });

  it('do not reach the same logical id in another file', () => {
    const other = scanText(readFixture('suppressed.yaml'), 'templates/copy.yaml');
    const { findings } = evaluate({ checks: defaultChecks(), facts: other.collection.facts, suppressions: scan.collection.suppressions, today: TODAY });
    const four = findings.find((f) => f.checkId === 'CloudTrail.4' && f.resource.id === 'LegacyTrail');
    assert.equal(four?.suppressed, null);
  });

  it('a malformed entry is an InputError at its position, every problem listed', () => {
    const text = readFixture('bad-suppression.yaml');
    let error: unknown;
    try {
      scanText(text, 'templates/bad-suppression.yaml');
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof InputError);
    const byPath = new Map(error.issues.map((issue) => [issue.path, issue]));
    assert.deepEqual([...byPath.keys()].sort(), [
      'Resources.LegacyTrail.Metadata.trailaudit.suppress[0].expires',
      'Resources.LegacyTrail.Metadata.trailaudit.suppress[0].reason',
      'Resources.LegacyTrail.Metadata.trailaudit.suppress[1].expires',
      'Resources.LegacyTrail.Metadata.trailaudit.suppress[1].expiry',
      // "ok": two characters, fewer than rules.yaml allows too.
      'Resources.LegacyTrail.Metadata.trailaudit.suppress[1].reason',
    ]);
    assert.equal(byPath.get('Resources.LegacyTrail.Metadata.trailaudit.suppress[0].expires')!.line, lineOf(text, 'expires: 2027-02-30'));
    assert.equal(byPath.get('Resources.LegacyTrail.Metadata.trailaudit.suppress[1].expiry')!.line, lineOf(text, 'expiry:'));
    assert.equal(error.issues[0]!.file, 'templates/bad-suppression.yaml');
  });

  it('an expiry beyond the suppression horizon is an error at its position; past expiries are kept', () => {
    const text = [
      ...SUPPRESSING_TRAIL,
      '          - {check: CloudTrail.4, reason: forever and a day, expires: 9999-12-31}',
      '          - {check: CloudTrail.2, reason: already over, expires: 2020-01-01}',
      '          - {check: CloudTrail.5, reason: within a year, expires: 2027-12-06}',
      '',
    ].join('\n');
    const collect = (limit?: { today: string; horizonDays: number }): ReturnType<typeof collectCloudFormation> =>
      collectCloudFormation(parseTemplate(text, 't.yaml'), { collectedAt: '2026-12-06T00:00:00.000Z', displayPath: 't.yaml', ...(limit === undefined ? {} : { expiryLimit: limit }) });
    let error: unknown;
    try {
      collect({ today: '2026-12-06', horizonDays: 365 });
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof InputError);
    assert.deepEqual(
      error.issues.map((issue) => [issue.path, issue.line, issue.column]),
      [['Resources.T.Metadata.trailaudit.suppress[0].expires', 7, text.split('\n')[6]!.indexOf('9999') + 1]],
    );
    assert.match(error.issues[0]!.message, /more than 365 days after today/u);
    // Without a limit (no rules.yaml in play, as in these unit tests) nothing is checked.
    assert.deepEqual(collect().suppressions.map((s) => s.expires), ['9999-12-31', '2020-01-01', '2027-12-06']);
  });

  it('a check that matches no loaded check is an error at its position, as in rules.yaml (a glob that matches one is fine)', () => {
    const text = [
      ...SUPPRESSING_TRAIL,
      '          - {check: CloudTrail.44, reason: a typo of CloudTrail.4, expires: 2027-01-31}',
      '          - {check: "CloudTrail.*", reason: every CloudTrail check, expires: 2027-01-31}',
      '',
    ].join('\n');
    const collect = (knownChecks?: readonly string[]): ReturnType<typeof collectCloudFormation> =>
      collectCloudFormation(parseTemplate(text, 't.yaml'), { collectedAt: '2026-12-06T00:00:00.000Z', displayPath: 't.yaml', ...(knownChecks === undefined ? {} : { knownChecks }) });
    assert.throws(
      () => collect(['CloudTrail.1', 'CloudTrail.4']),
      (error: unknown) =>
        error instanceof InputError &&
        error.issues.length === 1 &&
        error.issues[0]?.path === 'Resources.T.Metadata.trailaudit.suppress[0].check' &&
        error.issues[0].line === 7 &&
        /"CloudTrail\.44" matches no check; known checks: CloudTrail\.1, CloudTrail\.4/u.test(error.issues[0].message),
    );
    // Without the list (these unit tests' other calls) nothing is checked.
    assert.equal(collect().suppressions.length, 2);
  });

  it('a reason of fewer than three characters besides spaces is an error, as in rules.yaml', () => {
    const text = [...SUPPRESSING_TRAIL, '          - {check: CloudTrail.4, reason: x, expires: 2027-01-31}', ''].join('\n');
    assert.throws(
      () => collectCloudFormation(parseTemplate(text, 't.yaml'), { collectedAt: '2026-12-06T00:00:00.000Z', displayPath: 't.yaml' }),
      (error: unknown) =>
        error instanceof InputError && error.issues[0]?.path === 'Resources.T.Metadata.trailaudit.suppress[0].reason' && /at least 3 characters/u.test(error.issues[0].message),
    );
  });

  it('a trailaudit key that is not a map, or an unknown key in it, is an error', () => {
    const base = 'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Metadata:\n      trailaudit: ';
    assert.throws(() => scanText(`${base}[CloudTrail.4]\n`), InputError);
    assert.throws(() => scanText(`${base}{suppres: []}\n`), /unknown key 'suppres'/);
  });
});
