/**
 * The catalogue of fact fields (src/facts/fields.ts) must match the facts model, or the check
 * loader would reject good paths or accept typos. Two guards:
 * - compile time: the catalogue's type is derived from the model's interfaces; the
 *   `@ts-expect-error` lines below prove the derivation rejects a missing field, an extra field and
 *   a wrong shape (`npm test` runs tsc over the tests, and an unneeded @ts-expect-error is itself
 *   an error);
 * - run time: facts the IaC collectors really produce from the fixtures hold no key and no shape
 *   the catalogue does not know (a collector could add a key the types do not declare).
 */
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { DEFAULT_COLLECTORS } from '../../src/collect/iac/collectors.js';
import { discover } from '../../src/collect/iac/discover.js';
import { scanFiles } from '../../src/collect/iac/scan.js';
import { bucketGap, eventDataStoreGap, trailGap } from '../../src/facts/gaps.js';
import { FACT_SET } from '../../src/facts/fields.js';
import type { FieldSpec, FieldsOf } from '../../src/facts/fieldSpec.js';
import { isUnknown, unknown } from '../../src/facts/model.js';

interface Model {
  readonly name: string;
  readonly count?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly nested: { readonly flag: boolean };
}

// The derivation itself: a catalogue that agrees with the model compiles…
const agreeing: FieldsOf<Model> = { name: 'leaf', count: 'leaf', tags: { record: 'leaf' }, nested: { fields: { flag: 'leaf' } } };
// @ts-expect-error a field of the model left out of the catalogue
const missing: FieldsOf<Model> = { name: 'leaf', tags: { record: 'leaf' }, nested: { fields: { flag: 'leaf' } } };
// @ts-expect-error a field in the catalogue that the model does not have
const extra: FieldsOf<Model> = { name: 'leaf', count: 'leaf', colour: 'leaf', tags: { record: 'leaf' }, nested: { fields: { flag: 'leaf' } } };
// @ts-expect-error a free-form record catalogued as a closed object
const closedTags: FieldsOf<Model> = { name: 'leaf', count: 'leaf', tags: { fields: {} }, nested: { fields: { flag: 'leaf' } } };
// @ts-expect-error a nested object's field missing
const shallow: FieldsOf<Model> = { name: 'leaf', count: 'leaf', tags: { record: 'leaf' }, nested: { fields: {} } };

/** Paths (`trails.0.status.isLogging`) in `value` that `spec` does not describe. */
function uncatalogued(value: unknown, spec: FieldSpec, at: string): string[] {
  if (value === null || value === undefined || isUnknown(value)) {
    return [];
  }
  if (spec === 'leaf') {
    return typeof value === 'object' ? [`${at} (an object or list where the catalogue has a single value)`] : [];
  }
  if ('list' in spec) {
    return Array.isArray(value) ? value.flatMap((item: unknown, index) => uncatalogued(item, spec.list, `${at}.${index}`)) : [`${at} (not a list)`];
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return [`${at} (not an object)`];
  }
  const fields: Readonly<Record<string, FieldSpec>> | null = 'fields' in spec ? spec.fields : null;
  return Object.entries(value).flatMap(([key, child]) => {
    const childSpec = fields === null ? ('record' in spec ? spec.record : undefined) : fields[key];
    return childSpec === undefined ? [`${at}.${key}`] : uncatalogued(child, childSpec, `${at}.${key}`);
  });
}

describe('fact field catalogue', () => {
  it('derives a catalogue type that accepts exactly the model (the rejections are @ts-expect-error above)', () => {
    assert.deepEqual(Object.keys(agreeing).sort(), ['count', 'name', 'nested', 'tags']);
    assert.ok([missing, extra, closedTags, shallow].every((catalogue) => typeof catalogue === 'object'));
  });

  it('knows every key of the facts the IaC collectors produce from the fixtures', () => {
    const fixtures = ['cloudformation', 'terraform', 'iac'].map((dir) => fileURLToPath(new URL(`../fixtures/${dir}/`, import.meta.url)));
    const { files } = discover(fixtures, process.cwd());
    const scan = scanFiles(files, { cwd: process.cwd(), collectedAt: '2026-03-01T00:00:00.000Z', wholeAccount: false }, DEFAULT_COLLECTORS);
    assert.ok(scan.facts !== null);
    // Guard against a vacuous pass: the fixtures do hold every kind of item.
    assert.ok(scan.facts.trails.length > 0 && scan.facts.buckets.length > 0 && scan.facts.eventDataStores.length > 0);
    assert.deepEqual(uncatalogued(scan.facts, FACT_SET, '$'), []);
  });

  it('knows every key of the gap stand-ins that share the trails, buckets and event data stores', () => {
    const failure = unknown('access_denied', 'DescribeTrails was denied', { operation: 'cloudtrail:DescribeTrails', region: 'eu-west-1' });
    const facts = {
      trails: [trailGap('eu-west-1', failure.$unknown, '111122223333', 'aws', false)],
      buckets: [bucketGap('eu-west-1', failure.$unknown, '111122223333', 'aws')],
      eventDataStores: [eventDataStoreGap('eu-west-1', failure.$unknown, '111122223333', 'aws')],
    };
    assert.deepEqual(uncatalogued(facts, FACT_SET, '$'), []);
  });

  it('the walker used above does report a key the catalogue lacks', () => {
    assert.deepEqual(uncatalogued({ trails: [{ name: 't', colour: 'red' }], stats: { apiCalls: { 'a:B': 1 } } }, FACT_SET, '$'), ['$.trails.0.colour']);
  });
});
