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

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailaudit-snapshot-edits-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Facts the case-table builder makes (a valid live snapshot), as plain JSON to edit. */
type EditableFacts = Record<string, unknown> & { trails: unknown[]; buckets: unknown[] };

function snapshotOf(compact: Parameters<typeof buildFacts>[0]): EditableFacts {
  return JSON.parse(JSON.stringify(buildFacts(compact))) as EditableFacts;
}

/** `data` written as a snapshot file and loaded as `evaluate` loads it. */
function loadWritten(data: unknown): FactSet {
  const file = join(dir, 'facts.json');
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return loadSnapshot(file);
}

/** Loading `data` fails with an issue satisfying `matches`. */
function refusedWith(data: unknown, matches: (issue: InputError['issues'][number]) => boolean, message?: string): void {
  assert.throws(() => loadWritten(data), (error: unknown) => error instanceof InputError && error.issues.some(matches), message);
}

describe('snapshot accounts', () => {
  /** A valid live snapshot of one logging trail, edited by `edit`, written and loaded. */
  function load(edit: (facts: Record<string, unknown>) => void): FactSet {
    const facts = snapshotOf({ trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }] });
    edit(facts);
    return loadWritten(facts);
  }

  function refused(edit: (facts: Record<string, unknown>) => void, path: string, message: RegExp): void {
    const facts = snapshotOf({ trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }] });
    edit(facts);
    refusedWith(facts, (issue) => issue.path === path && message.test(issue.message));
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
    const facts = snapshotOf({ trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }] });
    assert.equal(loadWritten(facts).trails.length, 1);
    for (const collection of ['trails', 'buckets'] as const) {
      const twice = { ...facts, [collection]: [...facts[collection], facts[collection][0]] };
      refusedWith(twice, (issue) => issue.path === `${collection}.1` && /appears more than once/u.test(issue.message), collection);
    }
  });

  it('refuses a log group, alarm, SNS topic or Security Hub state pasted in twice', () => {
    const facts = snapshotOf({
      trails: [{ name: 'main' }],
      buckets: [{ name: 'trail-logs' }],
      logGroups: [{ trail: 'main' }],
      alarms: [{ name: 'alarm' }],
      topics: [{ name: 'security-alerts' }],
      securityHubs: [{ region: 'us-east-1' }],
    });
    assert.equal(loadWritten(facts).alarms?.length, 1);
    for (const collection of ['logGroups', 'alarms', 'topics', 'securityHubs'] as const) {
      const items = facts[collection] as unknown[];
      const twice = { ...facts, [collection]: [...items, items[0]] };
      refusedWith(twice, (issue) => issue.path === `${collection}.1` && /appears more than once/u.test(issue.message), collection);
    }
  });
});

describe('a live snapshot’s trail gaps', () => {
  it('are rebuilt from the listing that failed: an edited ownerInScope or isMultiRegion cannot close their UNKNOWNs', () => {
    const facts = snapshotOf({ regions: ['eu-west-1'], trailGaps: [{ region: 'eu-west-1', reason: 'access_denied' }] });
    const gap = facts.trails[0] as Record<string, unknown>;
    gap.ownerInScope = false;
    gap.isMultiRegion = false;
    const loaded = loadWritten(facts).trails[0] as unknown as Record<string, unknown>;
    // No Region could be listed: whose trails hide there, and whether they span Regions, is unknown.
    assert.equal((loaded.ownerInScope as { $unknown?: { reason: string } }).$unknown?.reason, 'access_denied');
    assert.equal((loaded.isMultiRegion as { $unknown?: { reason: string } }).$unknown?.reason, 'access_denied');
  });

  it('are refused when listed twice, like any resource listed twice', () => {
    const facts = snapshotOf({ regions: ['us-east-1', 'eu-west-1'], trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }], trailGaps: [{ region: 'eu-west-1', reason: 'access_denied' }] });
    refusedWith({ ...facts, trails: [...facts.trails, facts.trails.at(-1)] }, (issue) => issue.path === 'trails.2' && /the gap of eu-west-1.*appears more than once/u.test(issue.message));
  });
});

describe('a snapshot that is not JSON', () => {
  it('is located by line and column (Node 20 says only "at position N")', () => {
    refusedWith('{\n  "schemaVersion": 1,\n  oops\n}\n', (issue) => issue.line === 3 && issue.column === 3 && /not a readable JSON snapshot/u.test(issue.message));
  });
});
