import { strict as assert } from 'node:assert';
import { InputError } from '../../../src/errors.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { defaultChecks, findingOf, lineOf, readFixture, scanFixture, scanText, TODAY } from './helpers.js';

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
    ]);
    assert.equal(byPath.get('Resources.LegacyTrail.Metadata.trailaudit.suppress[0].expires')!.line, lineOf(text, 'expires: 2027-02-30'));
    assert.equal(byPath.get('Resources.LegacyTrail.Metadata.trailaudit.suppress[1].expiry')!.line, lineOf(text, 'expiry:'));
    assert.equal(error.issues[0]!.file, 'templates/bad-suppression.yaml');
  });

  it('a trailaudit key that is not a map, or an unknown key in it, is an error', () => {
    const base = 'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Metadata:\n      trailaudit: ';
    assert.throws(() => scanText(`${base}[CloudTrail.4]\n`), InputError);
    assert.throws(() => scanText(`${base}{suppres: []}\n`), /unknown key 'suppres'/);
  });
});
