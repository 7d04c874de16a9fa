/**
 * A snapshot edited so that the audited account's own trails look out of scope must be refused:
 * evaluated, they would be NOT_APPLICABLE and their failures would vanish into a PASS.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import type { FactSet } from '../../src/facts/model.js';
import { loadSnapshot } from '../../src/load/loadSnapshot.js';
import { buildFacts } from '../../src/tester/facts.js';

describe('snapshot accounts', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-snapshot-accounts-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A valid live snapshot of one logging trail, edited by `edit`, written and loaded. */
  function load(edit: (facts: Record<string, unknown>) => void): FactSet {
    const facts = JSON.parse(JSON.stringify(buildFacts({ trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }] }))) as Record<string, unknown>;
    edit(facts);
    const file = join(dir, 'facts.json');
    writeFileSync(file, JSON.stringify(facts));
    return loadSnapshot(file);
  }

  function refused(edit: (facts: Record<string, unknown>) => void, path: string, message: RegExp): void {
    assert.throws(
      () => load(edit),
      (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.path === path && message.test(issue.message)),
    );
  }

  it('loads the snapshot as saved, with or without an accounts list naming the audited account', () => {
    const id = load(() => undefined).account.id;
    const trail = (facts: FactSet): unknown => facts.trails[0];
    assert.equal((trail(load(() => undefined)) as { ownerInScope: boolean }).ownerInScope, true);
    assert.equal((trail(load((facts) => (facts.accounts = [id, '999999999999']))) as { ownerInScope: boolean }).ownerInScope, true);
  });

  it('refuses an accounts list without the audited account', () => {
    refused((facts) => (facts.accounts = ['999999999999']), 'accounts', /must include the audited account/u);
  });

  it('refuses an accounts entry that is not a 12-digit account id', () => {
    assert.throws(() => load((facts) => (facts.accounts = [(facts.account as { id: string }).id, 'abc'])), InputError);
  });

  it("refuses a live trail whose owner is not the account in its ARN", () => {
    refused(
      (facts) => ((facts.trails as Record<string, unknown>[])[0]!.ownerAccountId = '999999999999'),
      'trails.0.ownerAccountId',
      /belongs to account \d{12} \(the account in its ARN\)/u,
    );
  });
});

describe('snapshot resources listed once', () => {
  it('refuses a trail, bucket or event data store pasted in twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-snapshot-repeated-'));
    try {
      const facts = JSON.parse(JSON.stringify(buildFacts({ trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }] }))) as Record<string, unknown[]>;
      const file = join(dir, 'facts.json');
      writeFileSync(file, JSON.stringify(facts));
      assert.equal(loadSnapshot(file).trails.length, 1);
      for (const collection of ['trails', 'buckets'] as const) {
        const twice = { ...facts, [collection]: [...facts[collection]!, facts[collection]![0]] };
        writeFileSync(file, JSON.stringify(twice));
        assert.throws(
          () => loadSnapshot(file),
          (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.path === `${collection}.1` && /appears more than once/u.test(issue.message)),
          collection,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a live snapshot’s trail gaps', () => {
  it('are rebuilt from the listing that failed: an edited ownerInScope or isMultiRegion cannot close their UNKNOWNs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-snapshot-gaps-'));
    try {
      const facts = JSON.parse(
        JSON.stringify(buildFacts({ regions: ['eu-west-1'], trailGaps: [{ region: 'eu-west-1', reason: 'access_denied' }] })),
      ) as { trails: Record<string, unknown>[] };
      const gap = facts.trails[0]!;
      gap.ownerInScope = false;
      gap.isMultiRegion = false;
      const file = join(dir, 'facts.json');
      writeFileSync(file, JSON.stringify(facts));
      const loaded = loadSnapshot(file).trails[0] as unknown as Record<string, unknown>;
      // No Region could be listed: whose trails hide there, and whether they span Regions, is unknown.
      assert.equal((loaded.ownerInScope as { $unknown?: { reason: string } }).$unknown?.reason, 'access_denied');
      assert.equal((loaded.isMultiRegion as { $unknown?: { reason: string } }).$unknown?.reason, 'access_denied');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a live snapshot’s trail gap listed twice', () => {
  it('is refused like any resource listed twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-snapshot-gap-twice-'));
    try {
      const facts = JSON.parse(
        JSON.stringify(buildFacts({ regions: ['us-east-1', 'eu-west-1'], trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }], trailGaps: [{ region: 'eu-west-1', reason: 'access_denied' }] })),
      ) as { trails: unknown[] };
      const file = join(dir, 'facts.json');
      writeFileSync(file, JSON.stringify({ ...facts, trails: [...facts.trails, facts.trails.at(-1)] }));
      assert.throws(
        () => loadSnapshot(file),
        (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.path === 'trails.2' && /the gap of eu-west-1.*appears more than once/u.test(issue.message)),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a snapshot that is not JSON', () => {
  it('is located by line and column (Node 20 says only "at position N")', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-snapshot-syntax-'));
    try {
      const file = join(dir, 'facts.json');
      writeFileSync(file, '{\n  "schemaVersion": 1,\n  oops\n}\n');
      assert.throws(
        () => loadSnapshot(file),
        (error: unknown) => error instanceof InputError && error.issues[0]?.line === 3 && error.issues[0].column === 3 && /not a readable JSON snapshot/u.test(error.issues[0].message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
