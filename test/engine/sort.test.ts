import { strict as assert } from 'node:assert';
import { compareFindings } from '../../src/engine/sort.js';
import { finding } from './fixtures.js';

describe('compareFindings', () => {
  const key = (f: ReturnType<typeof finding>): string => `${f.control}|${f.resource.accountId ?? ''}|${f.resource.region}|${f.resource.id}`;

  it('orders controls numerically: CloudTrail.2 before CloudTrail.10', () => {
    const sorted = [finding('CloudTrail.10', 'x'), finding('CloudTrail.2', 'x'), finding('CloudTrail.1', 'x')].sort(compareFindings);
    assert.deepEqual(sorted.map((f) => f.control), ['CloudTrail.1', 'CloudTrail.2', 'CloudTrail.10']);
  });

  it('then by account, region and resource id', () => {
    const input = [
      finding('CloudTrail.4', 'b', 'us-east-1', 'FAIL', '222222222222'),
      finding('CloudTrail.4', 'b', 'us-east-1', 'FAIL', '111111111111'),
      finding('CloudTrail.4', 'b', 'eu-west-1', 'FAIL', '111111111111'),
      finding('CloudTrail.4', 'a', 'us-east-1', 'FAIL', '111111111111'),
      finding('CloudTrail.4', 'z', 'global', 'FAIL', null),
    ];
    assert.deepEqual(input.slice().sort(compareFindings).map(key), [
      'CloudTrail.4||global|z',
      'CloudTrail.4|111111111111|eu-west-1|b',
      'CloudTrail.4|111111111111|us-east-1|a',
      'CloudTrail.4|111111111111|us-east-1|b',
      'CloudTrail.4|222222222222|us-east-1|b',
    ]);
  });

  it('is deterministic whatever the input order', () => {
    const input = ['CloudTrail.9', 'CloudTrail.10', 'CloudTrail.3', 'CloudTrail.1'].flatMap((control) =>
      ['trail/b', 'trail/a'].map((id) => finding(control, id)),
    );
    const once = input.slice().sort(compareFindings).map(key);
    const reversed = input.slice().reverse().sort(compareFindings).map(key);
    assert.deepEqual(reversed, once);
    assert.equal(once[0], 'CloudTrail.1|123456789012|us-east-1|trail/a');
    assert.equal(once.at(-1), 'CloudTrail.10|123456789012|us-east-1|trail/b');
  });
});
