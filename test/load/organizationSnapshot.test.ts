/**
 * Organization snapshots (issue 13): the schema admits what an organization audit saves, the
 * consistency checks refuse edits that would change whose controls are judged, and
 * `loadSnapshots` evaluates several files as one, naming the files in every error.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { mergeFactSets } from '../../src/facts/merge.js';
import type { FactSet } from '../../src/facts/model.js';
import { loadSnapshot } from '../../src/load/loadSnapshot.js';
import { loadSnapshots } from '../../src/load/loadSnapshots.js';
import { LOG_ARCHIVE, MANAGEMENT, MEMBER, ORG, UNREACHABLE, logArchiveSet, managementSet, memberSet, unreachableSet } from '../facts/organizationFixtures.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailaudit-org-snapshots-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, data: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
  return file;
}

/** A shard as `audit --shard K/N --save-snapshot` saves it: the merged set of its accounts. */
function shard(index: number, count: number, sets: readonly FactSet[]): FactSet {
  const organization = {
    id: ORG,
    managementAccountId: MANAGEMENT,
    callerAccountId: MANAGEMENT,
    roleName: 'OrganizationAccountAccessRole',
    accountsInScope: [MANAGEMENT, LOG_ARCHIVE, MEMBER, UNREACHABLE],
    skipped: [],
    shard: { index, count },
  };
  const merged = mergeFactSets(sets.map((set) => ({ ...set, organization })));
  // A snapshot of one account is still an organization set of that account.
  return JSON.parse(JSON.stringify(merged.auditedAccounts === undefined ? { ...merged, auditedAccounts: [merged.account] } : merged)) as FactSet;
}

type Json = Record<string, unknown>;

function refused(data: unknown, path: string, message: RegExp): void {
  const file = write('edited.json', data);
  assert.throws(
    () => loadSnapshot(file),
    (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.file === file && issue.path === path && message.test(issue.message)),
    `expected ${path} ~ ${String(message)}`,
  );
}

describe('organization snapshots', () => {
  it('an organization shard validates and loads with its accounts, organization and trail visibility', () => {
    const file = write('shard1.json', shard(1, 2, [managementSet(), memberSet({ memberSeesShadow: true }), unreachableSet()]));
    const loaded = loadSnapshot(file);
    assert.deepEqual(loaded.accounts, [MANAGEMENT, MEMBER, UNREACHABLE]);
    assert.equal(loaded.organization?.id, ORG);
    assert.equal(loaded.auditedAccounts?.find((account) => account.id === UNREACHABLE)?.unreachable?.reason, 'access_denied');
  });

  it('refuses audited accounts that differ from `accounts`, an `account` not among them, and a gap of an account not audited', () => {
    const base = shard(1, 2, [managementSet(), memberSet()]) as unknown as Json;
    refused({ ...base, accounts: [MANAGEMENT] }, 'auditedAccounts', /exactly the accounts/u);
    refused({ ...base, account: { ...(base.account as Json), id: LOG_ARCHIVE } }, 'account', /not one of the audited accounts/u);
    const gap = { ref: { type: 'AWS::CloudTrail::Trail', id: `arn:aws:cloudtrail:us-east-1:${LOG_ARCHIVE}:trail/*`, accountId: LOG_ARCHIVE, region: 'us-east-1' }, $gap: { reason: 'access_denied', message: 'denied' }, homeRegion: 'us-east-1', isMultiRegion: false, ownerInScope: false };
    refused({ ...base, trails: [...(base.trails as unknown[]), gap] }, 'trails.1.ref.accountId', /not one/u);
    refused({ ...base, organization: { ...(base.organization as Json), accountsInScope: [MANAGEMENT] } }, 'organization.accountsInScope', /333333333333/u);
  });

  it('refuses an unreachable account without a valid reason (schema)', () => {
    const base = shard(1, 1, [managementSet(), unreachableSet()]) as unknown as Json & { auditedAccounts: Json[] };
    const broken = { ...base, auditedAccounts: base.auditedAccounts.map((account) => (account.id === UNREACHABLE ? { ...account, unreachable: { reason: 'nope', message: 'x' } } : account)) };
    const file = write('unreachable.json', broken);
    assert.throws(() => loadSnapshot(file), (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.path.startsWith('auditedAccounts.')));
  });

  it('loads several shards as one organization; one file as before', () => {
    const first = write('s1.json', shard(1, 2, [managementSet(), memberSet()]));
    const second = write('s2.json', shard(2, 2, [logArchiveSet(), unreachableSet()]));
    const merged = loadSnapshots([first, second]);
    assert.deepEqual(merged.accounts, [MANAGEMENT, LOG_ARCHIVE, MEMBER, UNREACHABLE]);
    assert.deepEqual(merged.organization?.shards?.map((spec) => spec.index), [1, 2]);
    assert.deepEqual(loadSnapshots([first]), loadSnapshot(first));
  });

  it('names the files of overlapping shards, and every file with its own problem', () => {
    const first = write('a.json', shard(1, 2, [managementSet(), memberSet()]));
    const again = write('b.json', shard(2, 2, [memberSet()]));
    assert.throws(
      () => loadSnapshots([first, again]),
      (error: unknown) => error instanceof InputError && error.issues.length === 1 && error.issues[0]?.file === first && error.message.includes(again) && error.message.includes(MEMBER),
    );
    const garbage = write('garbage.json', { schemaVersion: 1 });
    const broken = write('broken.json', '{');
    assert.throws(
      () => loadSnapshots([first, garbage, broken]),
      (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.file === garbage) && error.issues.some((issue) => issue.file === broken),
    );
  });
});
