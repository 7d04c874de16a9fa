import { strict as assert } from 'node:assert';
import { isUnknown, unknown } from '../../src/facts/model.js';
import { useMoto } from '../../support/moto/mocha.js';

describe('facts model', () => {
  it('marks unknown values', () => {
    assert.equal(isUnknown(unknown('access_denied', 'x')), true);
    assert.equal(isUnknown({ a: 1 }), false);
    assert.equal(isUnknown(null), false);
  });
});

describe('moto harness', () => {
  const moto = useMoto();
  it('answers on loopback', async () => {
    assert.match(moto.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${moto.endpoint}/moto-api/data.json`);
    assert.equal(response.status, 200);
  });
});
