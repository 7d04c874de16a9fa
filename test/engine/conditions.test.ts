import { strict as assert } from 'node:assert';
import { evaluateCondition, resolveLeafPath } from '../../src/engine/conditions.js';
import type { Truth } from '../../src/engine/logic.js';
import { MISSING, childScope, resolvePath, rootScope } from '../../src/engine/paths.js';
import type { Condition } from '../../src/engine/types.js';
import { isUnknown, unknown } from '../../src/facts/model.js';

const DENIED = unknown('access_denied', 'GetTrailStatus denied', { operation: 'cloudtrail:GetTrailStatus' });
const GAP = { reason: 'region_disabled' as const, message: 'eu-west-1 could not be listed', region: 'eu-west-1' };

const root = {
  account: { id: '123456789012' },
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  trails: [
    { name: 'east', homeRegion: 'us-east-1', isMultiRegion: false, isLogging: true, tags: { owner: 'x' } },
    { name: 'global', homeRegion: 'us-east-1', isMultiRegion: true, isLogging: DENIED },
  ],
  nothing: null,
  denied: DENIED,
};

const kind = (truth: Truth): string => truth.kind;
const run = (condition: Condition, item: unknown = root, params: Record<string, unknown> = {}): string =>
  kind(evaluateCondition(condition, childScope(rootScope(root), item), params));

describe('paths', () => {
  const scope = rootScope(root);

  it('resolve dotted paths relative to the current item', () => {
    assert.equal(resolvePath('account.id', scope), '123456789012');
    assert.equal(resolvePath('trails.0.name', scope), 'east');
  });

  it('$. starts at the root whatever the current item', () => {
    const inner = childScope(childScope(scope, root.trails[0]), { other: true });
    assert.equal(resolvePath('$.account.id', inner), '123456789012');
    assert.equal(resolvePath('$', inner), root);
  });

  it('^. climbs to the enclosing item, ^.^. two levels', () => {
    const region = childScope(scope, root.regions[1]);
    const trail = childScope(region, root.trails[0]);
    assert.equal(resolvePath('^.name', trail), 'eu-west-1');
    assert.equal(resolvePath('name', trail), 'east');
    assert.equal(resolvePath('^.^.account.id', trail), '123456789012');
    assert.equal(resolvePath('^.^.^.x', trail), MISSING);
  });

  it('absent → MISSING, null stays null, an Unknown on the way is returned as is', () => {
    assert.equal(resolvePath('account.nope', scope), MISSING);
    assert.equal(resolvePath('nothing', scope), null);
    assert.equal(resolvePath('nothing.deeper', scope), MISSING);
    assert.equal(resolvePath('denied.deeper.still', scope), DENIED);
  });

  it('in a gap item, unset fields resolve to the gap Unknown and set fields to their values', () => {
    const gap = { $gap: GAP, homeRegion: 'eu-west-1', isMultiRegion: false };
    const gapScope = childScope(scope, gap);
    assert.equal(resolvePath('homeRegion', gapScope), 'eu-west-1');
    assert.equal(resolvePath('isMultiRegion', gapScope), false);
    const missing = resolvePath('isLogging', gapScope);
    assert.ok(isUnknown(missing));
    assert.equal(missing.$unknown.reason, 'region_disabled');
    assert.equal(missing.$unknown.region, 'eu-west-1');
  });

  it('$param. reads check parameters; an unset parameter is MISSING', () => {
    assert.deepEqual(resolveLeafPath('$param.keys', scope, { keys: ['owner'] }), ['owner']);
    assert.equal(resolveLeafPath('$param.absent', scope, {}), MISSING);
    assert.equal(resolveLeafPath('$param.nullParam', scope, { nullParam: null }), MISSING);
  });
});

describe('conditions', () => {
  it('a leaf on an Unknown value is unknown and carries the detail', () => {
    const truth = evaluateCondition({ path: 'isLogging', op: 'eq', value: true }, childScope(rootScope(root), root.trails[1]), {});
    assert.ok(truth.kind === 'unknown');
    assert.deepEqual(truth.unknowns, [DENIED.$unknown]);
  });

  it('ref compares with another path, including ^. into the enclosing item', () => {
    const region = childScope(rootScope(root), root.regions[0]);
    const condition: Condition = { some: { in: '$.trails', match: { path: 'homeRegion', op: 'eq', ref: '^.name' } } };
    assert.equal(kind(evaluateCondition(condition, region, {})), 'true');
    const west = childScope(rootScope(root), root.regions[1]);
    assert.equal(kind(evaluateCondition(condition, west, {})), 'false');
  });

  it('ref to an Unknown is unknown; ref to a missing path compares with nothing', () => {
    const item = { a: 'x', u: DENIED };
    assert.equal(run({ path: 'a', op: 'eq', ref: 'u' }, item), 'unknown');
    assert.equal(run({ path: 'a', op: 'eq', ref: 'absent' }, item), 'false');
    assert.equal(run({ path: 'a', op: 'ne', ref: 'absent' }, item), 'true');
  });

  it('{{param.x}} as a whole value keeps its type (a list stays a list)', () => {
    const item = { keys: ['owner', 'env'] };
    assert.equal(run({ path: 'keys', op: 'containsAll', value: '{{param.required}}' }, item, { required: ['owner'] }), 'true');
    assert.equal(run({ path: 'keys', op: 'containsAll', value: '{{param.required}}' }, item, { required: ['team'] }), 'false');
    assert.equal(run({ path: 'keys', op: 'contains', value: 'en{{param.suffix}}' }, item, { suffix: 'v' }), 'true');
  });

  it('$param. leaves let a condition depend on whether a parameter is set', () => {
    const condition: Condition = { any: [{ path: '$param.allowed', op: 'empty' }, { path: 'key', op: 'in', value: '{{param.allowed}}' }] };
    assert.equal(run(condition, { key: 'k1' }, { allowed: [] }), 'true');
    assert.equal(run(condition, { key: 'k1' }, { allowed: ['k1'] }), 'true');
    assert.equal(run(condition, { key: 'k2' }, { allowed: ['k1'] }), 'false');
  });

  describe('quantifiers', () => {
    const logging: Condition = { path: 'isLogging', op: 'eq', value: true };
    const multi: Condition = { path: 'isMultiRegion', op: 'eq', value: true };
    const with_ = (trails: readonly unknown[]): Record<string, unknown> => ({ trails });
    const ok = { isMultiRegion: true, isLogging: true };
    const off = { isMultiRegion: true, isLogging: false };
    const unsure = { isMultiRegion: true, isLogging: DENIED };
    const single = { isMultiRegion: false, isLogging: true };

    it('some: true if one item matches even when others are unknown', () => {
      assert.equal(run({ some: { in: 'trails', match: logging } }, with_([unsure, ok])), 'true');
    });

    it('some: unknown if no item matches and one is unknown; false if all are known non-matches', () => {
      assert.equal(run({ some: { in: 'trails', match: logging } }, with_([off, unsure])), 'unknown');
      assert.equal(run({ some: { in: 'trails', match: logging } }, with_([off, off])), 'false');
    });

    it('some over an empty, missing or null collection is false; over an Unknown collection unknown', () => {
      assert.equal(run({ some: { in: 'trails', match: logging } }, with_([])), 'false');
      assert.equal(run({ some: { in: 'absent', match: logging } }, {}), 'false');
      assert.equal(run({ some: { in: 'trails', match: logging } }, { trails: null }), 'false');
      assert.equal(run({ some: { in: 'trails', match: logging } }, { trails: DENIED }), 'unknown');
      assert.equal(run({ every: { in: 'trails', match: logging } }, { trails: DENIED }), 'unknown');
      assert.equal(run({ none: { in: 'trails', match: logging } }, { trails: DENIED }), 'unknown');
    });

    it('every: vacuously true on an empty collection; false beats unknown', () => {
      assert.equal(run({ every: { in: 'trails', match: logging } }, with_([])), 'true');
      assert.equal(run({ every: { in: 'trails', match: logging } }, with_([unsure, off])), 'false');
      assert.equal(run({ every: { in: 'trails', match: logging } }, with_([unsure, ok])), 'unknown');
      assert.equal(run({ every: { in: 'trails', match: logging } }, with_([ok, ok])), 'true');
    });

    it('none: the negation of some', () => {
      assert.equal(run({ none: { in: 'trails', match: logging } }, with_([off])), 'true');
      assert.equal(run({ none: { in: 'trails', match: logging } }, with_([off, ok])), 'false');
      assert.equal(run({ none: { in: 'trails', match: logging } }, with_([off, unsure])), 'unknown');
    });

    it('where filters: a false where skips the item, an unknown where makes the item unknown', () => {
      assert.equal(run({ some: { in: 'trails', where: multi, match: logging } }, with_([single])), 'false');
      assert.equal(run({ every: { in: 'trails', where: multi, match: { not: logging } } }, with_([single, off])), 'true');
      const unsureMulti = { isMultiRegion: DENIED, isLogging: true };
      assert.equal(run({ some: { in: 'trails', where: multi, match: logging } }, with_([unsureMulti])), 'unknown');
      assert.equal(run({ every: { in: 'trails', where: multi, match: logging } }, with_([{ isMultiRegion: DENIED, isLogging: false }])), 'unknown');
      // An unknown `where` with a true match is still unknown for some (the item may not count).
      assert.equal(run({ some: { in: 'trails', where: multi, match: logging } }, with_([unsureMulti, off])), 'unknown');
    });

    it('without match, some is "there is a selected item"', () => {
      assert.equal(run({ some: { in: 'trails', where: multi } }, with_([single, ok])), 'true');
      assert.equal(run({ some: { in: 'trails', where: multi } }, with_([single])), 'false');
    });

    it('a single object counts as a one-item collection', () => {
      assert.equal(run({ some: { in: 'one', match: logging } }, { one: ok }), 'true');
      assert.equal(run({ some: { in: 'one', match: logging } }, { one: off }), 'false');
    });

    it('gap items: known fields decide, unset fields are the gap Unknown', () => {
      const knownSingle = { $gap: GAP, homeRegion: 'eu-west-1', isMultiRegion: false };
      const unknownMulti = { $gap: GAP, homeRegion: 'eu-west-1' };
      const qualifying: Condition = { some: { in: 'trails', match: { all: [multi, logging] } } };
      assert.equal(run(qualifying, with_([knownSingle])), 'false');
      assert.equal(run(qualifying, with_([unknownMulti])), 'unknown');
      assert.equal(run(qualifying, with_([unknownMulti, ok])), 'true');
      const truth = evaluateCondition(qualifying, childScope(rootScope(root), with_([unknownMulti])), {});
      assert.deepEqual(truth.kind === 'unknown' ? truth.unknowns.map((d) => d.reason) : [], ['region_disabled']);
    });

    it('^. inside a nested quantifier reaches the item of the outer quantifier', () => {
      const data = { regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }], trails: [{ homeRegion: 'us-east-1' }] };
      const everyRegionHasHomeTrail: Condition = {
        every: { in: 'regions', match: { some: { in: '$.trails', match: { path: 'homeRegion', op: 'eq', ref: '^.name' } } } },
      };
      const scope = rootScope(data);
      assert.equal(kind(evaluateCondition(everyRegionHasHomeTrail, scope, {})), 'false');
      const oneRegion = { ...data, regions: [{ name: 'us-east-1' }] };
      assert.equal(kind(evaluateCondition(everyRegionHasHomeTrail, rootScope(oneRegion), {})), 'true');
    });
  });
});
