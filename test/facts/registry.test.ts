/**
 * Parity between the fact-kind registry (src/facts/kinds/index.ts) and every place that must list
 * the same kinds but cannot import it: the JSON Schemas, the typed IAM table, the bench's model.
 * A kind added to the registry and not there (or the reverse) fails here, naming the place.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { minimumCalls } from '../../bench/minimum.js';
import { SHAPES } from '../../bench/seedShape.js';
import { IAM_ACTIONS, OPERATIONS, permissionsFor, type OperationSpec } from '../../src/collect/live/permissions.js';
import { CASE_TABLE_FACT_KEYS, COLLECTIONS, FACT_KINDS, kindOperations, needsReadBy, withDependencies } from '../../src/facts/kinds/index.js';
import { FACT_NEEDS } from '../../src/facts/model.js';

interface SchemaNode {
  readonly [key: string]: unknown;
}
function schema(name: string): SchemaNode {
  return JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as SchemaNode;
}
function at(node: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], node);
}

const NEEDS = FACT_KINDS.map((kind) => kind.need);

describe('fact-kind registry', () => {
  it('registers every need of the model once, in the model order', () => {
    assert.deepEqual(NEEDS, FACT_NEEDS);
  });

  it('each dependency is a registered kind, and a kind never depends on itself', () => {
    for (const kind of FACT_KINDS) {
      for (const dependency of kind.dependsOn) {
        assert.ok(NEEDS.includes(dependency), `${kind.need} depends on unregistered ${dependency}`);
        assert.notEqual(dependency, kind.need);
      }
    }
    assert.deepEqual([...withDependencies(['bucketLogging'])].sort(), ['bucketLogging', 'trails']);
    assert.deepEqual([...withDependencies(['eventDataStores'])], ['eventDataStores']);
  });

  it("gives the check tester's compact fact keys (collections and their gaps)", () => {
    assert.deepEqual(CASE_TABLE_FACT_KEYS, ['account', 'regions', 'collected', 'trails', 'trailGaps', 'buckets', 'eventDataStores', 'eventDataStoreGaps']);
  });

  it('the check schema `needs` enum is the registry', () => {
    assert.deepEqual(at(schema('check.schema.json'), 'properties', 'needs', 'items', 'enum'), NEEDS);
  });

  it('the snapshot schema: `collected` enum, one conditional requirement per kind with raw facts, one item definition per collection', () => {
    const facts = schema('facts.schema.json');
    assert.deepEqual(at(facts, 'properties', 'collected', 'items', 'enum'), NEEDS);
    const conditionals = (at(facts, 'allOf') as SchemaNode[]).map((entry) => {
      const need = at(entry, 'if', 'properties', 'collected', 'contains', 'const') as string;
      const then = at(entry, 'then', 'properties') as Record<string, unknown>;
      const [collection] = Object.keys(then);
      return { need, collection, required: at(then, collection ?? '', 'items', 'else', 'required') };
    });
    const expected = FACT_KINDS.filter((kind) => kind.requiredFacts.length > 0).map((kind) => ({
      need: kind.need,
      collection: kind.collection,
      required: kind.requiredFacts,
    }));
    assert.deepEqual(conditionals, expected);
    const collections = Object.entries(at(facts, 'properties') as Record<string, unknown>)
      .filter(([, property]) => String(at(property, 'items', '$ref')).endsWith('Item'))
      .map(([name, property]) => ({ name, itemDefinition: String(at(property, 'items', '$ref')).replace(/^#\/definitions\/|Item$/gu, '') }));
    assert.deepEqual(collections, COLLECTIONS.map(({ name, itemDefinition }) => ({ name, itemDefinition })));
    for (const { itemDefinition } of COLLECTIONS) {
      assert.ok(at(facts, 'definitions', itemDefinition) !== undefined, `definition ${itemDefinition}`);
    }
    for (const kind of FACT_KINDS) {
      assert.ok(COLLECTIONS.some((collection) => collection.name === kind.collection), `${kind.need}'s collection`);
    }
  });

  it('the IAM permission table is the registry plus the account calls every audit makes', () => {
    const derived = kindOperations();
    const everyAudit = IAM_ACTIONS.filter((action) => OPERATIONS[action].needs.length === 0);
    assert.deepEqual(everyAudit, ['sts:GetCallerIdentity', 'ec2:DescribeRegions']);
    assert.deepEqual(
      IAM_ACTIONS.filter((action) => !everyAudit.includes(action)).sort(),
      [...derived.keys()].sort(),
      'same actions',
    );
    for (const [action, { operation, needs }] of derived) {
      const spec: OperationSpec = OPERATIONS[action as keyof typeof OPERATIONS];
      assert.equal(spec.operation, operation, action);
      assert.deepEqual([...spec.needs].sort(), [...needs].sort(), action);
    }
    // permissionsFor (what `iam-policy` prints) follows: each need's actions and its dependencies'.
    for (const kind of FACT_KINDS) {
      const expected = [...derived].filter(([, { needs }]) => needs.includes(kind.need)).map(([action]) => action);
      assert.deepEqual(permissionsFor(new Set([kind.need])), [...everyAudit, ...expected].sort(), kind.need);
    }
  });

  it("the bench's minimum-call model covers exactly the registry's calls (plus the identity)", () => {
    const shape = {
      spec: SHAPES.small,
      regions: ['us-east-1'],
      trails: 1,
      multiRegionTrails: 1,
      trailsByHomeRegion: { 'us-east-1': 1 },
      trailBuckets: 1,
      trailBucketsWithPolicy: 1,
      publicTrailBuckets: 1,
      publicAclTrailBuckets: 1,
      loggingTrailBuckets: 1,
      allBuckets: 1,
      eventDataStores: 1,
      seedMs: 0,
    };
    // --regions is given in the bench, so no ec2:DescribeRegions.
    assert.deepEqual(Object.keys(minimumCalls(shape)).sort(), ['sts:GetCallerIdentity', ...kindOperations().keys()].sort());
  });

  it('every registered source reads every kind today; a kind without a reader is not claimed', () => {
    for (const source of ['live', 'cloudformation', 'terraform'] as const) {
      assert.deepEqual(needsReadBy(source), NEEDS, source);
    }
    const liveOnly = { ...FACT_KINDS[0]!, need: 'trails' as const, sources: ['live' as const] };
    assert.deepEqual(needsReadBy('terraform', [liveOnly]), []);
    assert.deepEqual(needsReadBy('live', [liveOnly]), ['trails']);
  });
});
