/** --shard K/N: the partition rule (account id mod N), and why it was chosen: a part depends on the id alone. */
import { strict as assert } from 'node:assert';
import { shardOfAccount, shardPart } from '../../../src/collect/org/shard.js';

const IDS = ['000000000007', '111111111111', '123456789012', '222222222222', '999999999999', '000000000010'].map((id) => ({ id }));

describe('shard partition', () => {
  it('an account is in part (id mod N) + 1, leading zeros and all', () => {
    assert.equal(shardOfAccount('000000000007', 4), 4);
    assert.equal(shardOfAccount('000000000010', 4), 3);
    // 999999999999 = 4 × 249999999999 + 3; beyond 2^32, so read as a big integer.
    assert.equal(shardOfAccount('999999999999', 4), 4);
    assert.equal(shardOfAccount('123456789012', 1), 1);
  });

  it('parts are disjoint and cover the list; without a shard the whole list', () => {
    const parts = [1, 2, 3].map((index) => shardPart(IDS, { index, count: 3 }).map((e) => e.id));
    assert.deepEqual(parts.flat().sort(), IDS.map((e) => e.id).sort());
    assert.equal(new Set(parts.flat()).size, IDS.length);
    assert.deepEqual(shardPart(IDS, undefined), IDS);
  });

  it('an account keeps its part when other accounts join or leave the list (shard jobs listing at different moments)', () => {
    const before = shardPart(IDS, { index: 2, count: 3 }).map((e) => e.id);
    const changed = [...IDS.slice(1), { id: '333333333334' }];
    const after = shardPart(changed, { index: 2, count: 3 }).map((e) => e.id);
    for (const id of before.filter((id) => changed.some((e) => e.id === id))) {
      assert.ok(after.includes(id), `${id} stayed in part 2`);
    }
  });
});
