/**
 * An event data store's derived `kmsKeyIdentifiers` (kinds/eventDataStores/derive.ts): computed
 * from the store's key in `$.kmsKeys`, recomputed when a snapshot is loaded (an edited list
 * cannot make CloudTrail.10 PASS), dropped when the keys of stores were not collected.
 */
import { strict as assert } from 'node:assert';
import { deriveFacts } from '../../src/facts/derive.js';
import type { EventDataStoreFacts, FactSet } from '../../src/facts/model.js';
import { isGap, isUnknown } from '../../src/facts/model.js';
import { buildFacts } from '../../src/tester/index.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-0000-4000-8000-000000000001';

function lake(facts: FactSet): EventDataStoreFacts {
  const store = facts.eventDataStores.find((item): item is EventDataStoreFacts => !isGap(item) && item.name === 'lake');
  assert.ok(store);
  return store;
}

/** A snapshot whose `lake` store claims `identifiers`, as an edited file could. */
function tampered(facts: FactSet, identifiers: unknown): FactSet {
  return {
    ...facts,
    eventDataStores: facts.eventDataStores.map((item) => (isGap(item) || item.name !== 'lake' ? item : ({ ...item, kmsKeyIdentifiers: identifiers } as EventDataStoreFacts))),
  };
}

describe('event data store kmsKeyIdentifiers (derived)', () => {
  it('lists the configured id, key ARN, key id, alias names and alias ARNs', () => {
    const facts = buildFacts({ eventDataStores: [{ name: 'lake', kmsKeyId: KEY }], kmsKeys: [{ store: 'lake', aliases: ['alias/lake', 'alias/audit'] }] });
    assert.deepEqual(lake(facts).kmsKeyIdentifiers, [
      KEY,
      '1111aaaa-0000-4000-8000-000000000001',
      'alias/lake',
      'alias/audit',
      'arn:aws:kms:us-east-1:123456789012:alias/lake',
      'arn:aws:kms:us-east-1:123456789012:alias/audit',
    ]);
  });

  it('is null without a key, and Unknown when the key could not be read', () => {
    assert.equal(lake(buildFacts({ eventDataStores: [{ name: 'lake', kmsKeyId: null }], kmsKeys: [] })).kmsKeyIdentifiers, null);
    const unreadable = lake(buildFacts({ eventDataStores: [{ name: 'lake', kmsKeyId: KEY }], kmsKeys: [{ store: 'lake', unreadable: 'cross_account' }] })).kmsKeyIdentifiers;
    assert.ok(isUnknown(unreadable));
    assert.equal(unreadable.$unknown.reason, 'cross_account');
  });

  it('an edited list is recomputed on load: an allowed alias ARN added by hand is gone', () => {
    const facts = buildFacts({ eventDataStores: [{ name: 'lake', kmsKeyId: KEY }], kmsKeys: [{ store: 'lake' }] });
    const edited = tampered(facts, [KEY, 'arn:aws:kms:us-east-1:123456789012:alias/approved']);
    assert.deepEqual(lake(deriveFacts(edited)).kmsKeyIdentifiers, [KEY, '1111aaaa-0000-4000-8000-000000000001']);
  });

  it('a stored list is dropped when the keys of stores were not collected', () => {
    const facts = buildFacts({ collected: ['eventDataStores'], eventDataStores: [{ name: 'lake', kmsKeyId: KEY }] });
    assert.equal('kmsKeyIdentifiers' in lake(facts), false);
    assert.equal('kmsKeyIdentifiers' in lake(deriveFacts(tampered(facts, [KEY]))), false);
  });
});
