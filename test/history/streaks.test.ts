/**
 * The streak rules of src/history/streaks.ts, table-driven: each row is a previous state, what a
 * run reported (or did not), its scope, and the state it must leave.
 */
import { strict as assert } from 'node:assert';
import type { Status } from '../../src/engine/types.js';
import { historyKey } from '../../src/history/key.js';
import type { ResultState } from '../../src/history/model.js';
import { updateStreaks, type RunResult, type RunScope } from '../../src/history/streaks.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';
const ACCOUNT = '123456789012';

function result(status: Status, overrides: Partial<{ checkId: string; accountId: string | null; region: string; id: string }> = {}): RunResult {
  return {
    checkId: overrides.checkId ?? 'CloudTrail.1',
    control: overrides.checkId ?? 'CloudTrail.1',
    status,
    resource: { id: overrides.id ?? 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main', accountId: overrides.accountId === undefined ? ACCOUNT : overrides.accountId, region: overrides.region ?? 'us-east-1' },
  };
}

const KEY = historyKey(result('FAIL'));
const FULL: RunScope = { accounts: [ACCOUNT], regions: ['us-east-1'], checks: ['CloudTrail.1', 'CloudTrail.2'] };
const failing: ResultState = { control: 'CloudTrail.1', firstSeen: T0, failingSince: T0 };
const passing: ResultState = { control: 'CloudTrail.1', firstSeen: T0, failingSince: null };

interface Row {
  readonly name: string;
  readonly before: ResultState | undefined;
  readonly reported: readonly RunResult[];
  readonly scope?: RunScope;
  readonly after: ResultState | undefined;
  readonly fixed: 'passed' | 'gone' | null;
}

const ROWS: readonly Row[] = [
  { name: 'a first failure starts a streak', before: undefined, reported: [result('FAIL')], after: { control: 'CloudTrail.1', firstSeen: T1, failingSince: T1 }, fixed: null },
  { name: 'still failing keeps its failingSince', before: failing, reported: [result('FAIL')], after: failing, fixed: null },
  { name: 'PASS fixes it', before: failing, reported: [result('PASS')], after: passing, fixed: 'passed' },
  { name: 'NOT_APPLICABLE fixes it', before: failing, reported: [result('NOT_APPLICABLE')], after: passing, fixed: 'passed' },
  { name: 'regressed: a new streak with a new failingSince, firstSeen kept', before: passing, reported: [result('FAIL')], after: { control: 'CloudTrail.1', firstSeen: T0, failingSince: T1 }, fixed: null },
  { name: 'not evaluated: UNKNOWN keeps the streak', before: failing, reported: [result('UNKNOWN')], after: failing, fixed: null },
  { name: 'not evaluated: UNKNOWN does not restart a fixed one', before: passing, reported: [result('UNKNOWN')], after: passing, fixed: null },
  { name: 'not evaluated: check not run', before: failing, reported: [], scope: { ...FULL, checks: ['CloudTrail.2'] }, after: failing, fixed: null },
  { name: 'not evaluated: Region out of scope', before: failing, reported: [], scope: { ...FULL, regions: ['eu-west-1'] }, after: failing, fixed: null },
  { name: 'not evaluated: an account-wide UNKNOWN of the check', before: failing, reported: [result('UNKNOWN', { id: ACCOUNT, region: 'global' })], after: failing, fixed: null },
  { name: 'not evaluated: an UNKNOWN of the check in its Region', before: failing, reported: [result('UNKNOWN', { id: 'other' })], after: failing, fixed: null },
  { name: 'account not audited keeps its previous state', before: failing, reported: [result('PASS', { accountId: '210987654321' })], scope: { ...FULL, accounts: ['210987654321'] }, after: failing, fixed: null },
  { name: 'suppressed FAIL still fails (the engine keeps its status FAIL)', before: failing, reported: [result('FAIL')], after: failing, fixed: null },
  { name: 'resource gone from an evaluated cell: fixed', before: failing, reported: [result('PASS', { id: 'another-trail' })], after: passing, fixed: 'gone' },
  { name: 'resource gone, UNKNOWN of another check only: still fixed', before: failing, reported: [result('UNKNOWN', { checkId: 'CloudTrail.2' })], after: passing, fixed: 'gone' },
  { name: 'a scan result (no account) is not fixed by absence', before: failing, reported: [], after: failing, fixed: null },
  {
    name: 'not evaluated: the same resource UNKNOWN in Region unknown (a deleted bucket) keeps the streak',
    before: failing,
    reported: [result('UNKNOWN', { region: 'unknown' })],
    after: failing,
    fixed: null,
  },
  { name: 'not evaluated: an UNKNOWN of the check whose account could not be read', before: failing, reported: [result('UNKNOWN', { id: 'some-bucket', accountId: null, region: 'unknown' })], after: failing, fixed: null },
];

describe('history streak rules', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const scanRow = row.name.startsWith('a scan');
      const key = scanRow ? historyKey(result('FAIL', { accountId: null })) : KEY;
      const previous = row.before === undefined ? {} : { [key]: row.before };
      const update = updateStreaks(previous, row.reported, row.scope ?? FULL, T1);
      assert.deepEqual(update.results[key], row.after);
      assert.deepEqual(
        update.fixed.map((fix) => [fix.key, fix.how, fix.failingSince, fix.fixedAt]),
        row.fixed === null ? [] : [[key, row.fixed, T0, T1]],
      );
      if (row.reported.some((r) => historyKey(r) === key)) {
        assert.deepEqual(update.annotations.get(key), row.after);
      }
    });
  }
});
