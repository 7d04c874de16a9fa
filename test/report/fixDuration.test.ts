import { strict as assert } from 'node:assert';
import { fixDuration } from '../../src/report/fixDuration.js';

describe('fixDuration: the mean time to fix in words', () => {
  const cases: [number, string][] = [
    [3, '3 days'],
    [1, '1 day'],
    [1.04, '1 day'],
    [2.25, '2.3 days'],
    [0.5, '12 hours'],
    [1 / 24, '1 hour'],
    [0.0174, '25 minutes'],
    [1 / 1440, '1 minute'],
    [0.0001, 'under a minute'],
    [0, 'under a minute'],
  ];
  for (const [days, expected] of cases) {
    it(`${String(days)} days → ${expected}`, () => {
      assert.equal(fixDuration(days), expected);
    });
  }
});
