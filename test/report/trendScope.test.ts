/** Trend presentation shared by the Markdown and HTML reports: distinct axis labels, scope marks. */
import { strict as assert } from 'node:assert';
import { scopeFingerprint } from '../../src/history/record.js';
import { trendAxisLabels, trendEvaluatedCell, trendScopeLabel, trendScopeNote } from '../../src/report/trendScope.js';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const scopeOf = (accounts: readonly string[], regions: readonly string[]): { accounts: number; regions: number; checks: number; fingerprint: string } => ({
  accounts: accounts.length,
  regions: regions.length,
  checks: 31,
  fingerprint: scopeFingerprint({ accounts, regions, checks: ['CloudTrail.1'] }),
});
const FULL = scopeOf(ACCOUNTS, ['us-east-1', 'eu-west-1']);
const run = (startedAt: string, scope = FULL): { startedAt: string; scope: typeof FULL } => ({ startedAt, scope });

describe('trend labels and scope', () => {
  it('labels runs as briefly as keeps them distinct (mermaid merges equal labels into one point)', () => {
    assert.deepEqual(trendAxisLabels([run('2026-12-05T10:00:00.000Z'), run('2026-12-06T10:00:00.000Z')]), ['12-05', '12-06']);
    // One day: the time alone.
    assert.deepEqual(trendAxisLabels([run('2026-12-06T08:00:00.000Z'), run('2026-12-06T20:30:00.000Z')]), ['08:00', '20:30']);
    assert.deepEqual(trendAxisLabels([run('2026-12-06T20:50:02.431Z'), run('2026-12-06T20:50:03.231Z')]), ['20:50:02', '20:50:03']);
    assert.deepEqual(trendAxisLabels([run('2026-12-05T20:50:02.100Z'), run('2026-12-06T20:50:02.100Z'), run('2026-12-06T21:00:00.000Z')]), ['12-05 20:50', '12-06 20:50', '12-06 21:00']);
    assert.deepEqual(trendAxisLabels([run('2026-12-06T20:50:02.100Z'), run('2026-12-06T20:50:02.900Z')]), ['#1 12-06', '#2 12-06']);
    // Across a new year the year is shown, so the axis never seems to run backwards.
    assert.deepEqual(trendAxisLabels([run('2025-12-06T10:00:00.000Z'), run('2026-01-06T10:00:00.000Z')]), ['2025-12-06', '2026-01-06']);
  });

  it('marks runs whose scope differs from this run, by the sets, not only their sizes', () => {
    const narrow = scopeOf(ACCOUNTS, ['us-east-1']);
    // Three accounts each, but not the same three: the counts alone would call them equal.
    const otherThree = scopeOf(['111111111111', '222222222222', '444444444444'], ['us-east-1', 'eu-west-1']);
    const trend = [run('2026-12-03T10:00:00.000Z', otherThree), run('2026-12-04T10:00:00.000Z'), run('2026-12-05T10:00:00.000Z', narrow), run('2026-12-06T10:00:00.000Z')];
    assert.deepEqual(trendAxisLabels(trend), ['12-03 *', '12-04', '12-05 *', '12-06']);
    assert.equal(trendScopeLabel(trend[2]!), '3 accounts, 1 Region, 31 checks');
    assert.equal(trendEvaluatedCell(trend[0]!, trend[3]), "3 accounts, 2 Regions, 31 checks (* not this run's scope)");
    assert.equal(trendEvaluatedCell(trend[1]!, trend[3]), '3 accounts, 2 Regions, 31 checks');
    assert.match(trendScopeNote(trend) ?? '', /not all evaluate the same scope/u);
    assert.equal(trendScopeNote([run('2026-12-04T10:00:00.000Z'), run('2026-12-05T10:00:00.000Z')]), null);
  });
});
