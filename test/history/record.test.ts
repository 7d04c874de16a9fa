/** The history section (src/history/record.ts): trend window, fixes since the last run, mean time to fix. */
import { strict as assert } from 'node:assert';
import type { Status } from '../../src/engine/types.js';
import { EMPTY_INDEX, TREND_RUNS, type HistoryIndex } from '../../src/history/model.js';
import { planRun } from '../../src/history/record.js';
import type { RunResult } from '../../src/history/streaks.js';

const scope = { accounts: ['111111111111'], regions: ['us-east-1'], checks: ['A.1', 'B.1'] };
const day = (n: number): string => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();
const result = (checkId: string, status: Status): RunResult => ({ checkId, control: checkId, status, resource: { id: `r-${checkId}`, accountId: '111111111111', region: 'us-east-1' } });

/** Runs day 0..n-1; `statuses(d)` gives A.1 and B.1 of day d. */
function history(n: number, statuses: (d: number) => [Status, Status]): { index: HistoryIndex; last: ReturnType<typeof planRun> } {
  let index = EMPTY_INDEX;
  let last: ReturnType<typeof planRun> | undefined;
  for (let d = 0; d < n; d += 1) {
    const [a, b] = statuses(d);
    last = planRun(index, [result('A.1', a), result('B.1', b)], scope, day(d), day(d));
    index = last.indexWith(100);
  }
  assert.ok(last !== undefined);
  return { index, last };
}

describe('history section', () => {
  it('trend keeps the last 30 runs, oldest first, with counts per control', () => {
    const { last } = history(TREND_RUNS + 5, (d) => [d % 2 === 0 ? 'FAIL' : 'PASS', 'PASS']);
    const trend = last.annotations.section.trend;
    assert.equal(trend.length, TREND_RUNS);
    assert.equal(trend[0]?.startedAt, day(5));
    assert.equal(trend.at(-1)?.startedAt, day(TREND_RUNS + 4));
    assert.deepEqual(trend.at(-1)?.controls['A.1'], { PASS: 0, FAIL: 1, UNKNOWN: 0, NOT_APPLICABLE: 0 });
    assert.deepEqual(last.annotations.section.runs, { count: TREND_RUNS + 5, first: day(0), last: day(TREND_RUNS + 4) });
  });

  it('each trend point says how much its run evaluated, so a narrower run is not read as an improvement', () => {
    const { index } = history(2, () => ['FAIL', 'FAIL']);
    const narrow = planRun(index, [result('A.1', 'FAIL')], { accounts: [], regions: ['us-east-1'], checks: ['A.1'] }, day(2), day(2));
    assert.deepEqual(
      narrow.annotations.section.trend.map(({ scope: { accounts, regions, checks } }) => ({ accounts, regions, checks })),
      [
        { accounts: 1, regions: 1, checks: 2 },
        { accounts: 1, regions: 1, checks: 2 },
        { accounts: 0, regions: 1, checks: 1 },
      ],
    );
    const [first, second, third] = narrow.annotations.section.trend.map((point) => point.scope.fingerprint);
    assert.equal(first, second, 'the same scope, the same fingerprint');
    assert.notEqual(second, third);
    assert.match(first ?? '', /^[0-9a-f]{12}$/u);
  });

  it('mean time to fix: the mean of fixedAt − failingSince over the window, in days', () => {
    // A.1 fails days 0-1, fixed day 2 (2 days); B.1 fails days 0-3, fixed day 4 (4 days).
    const { last } = history(5, (d) => [d < 2 ? 'FAIL' : 'PASS', d < 4 ? 'FAIL' : 'PASS']);
    assert.deepEqual(last.annotations.section.meanTimeToFix, { fixes: 2, days: 3, since: day(0) });
    assert.deepEqual(
      last.annotations.section.fixedSinceLastRun.map((fix) => [fix.control, fix.failingSince, fix.fixedAt, fix.how]),
      [['B.1', day(0), day(4), 'passed']],
    );
  });

  it('fixes older than the trend window leave the mean and the index', () => {
    const { index, last } = history(TREND_RUNS + 3, (d) => [d < 1 ? 'FAIL' : 'PASS', 'PASS']);
    assert.deepEqual(last.annotations.section.meanTimeToFix, { fixes: 0, days: null, since: day(3) });
    assert.deepEqual(index.fixes, []);
  });
});
