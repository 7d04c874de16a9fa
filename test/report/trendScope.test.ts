/** Trend presentation shared by the Markdown and HTML reports: distinct axis labels, scope marks. */
import { strict as assert } from 'node:assert';
import { trendAxisLabels, trendScopeLabel, trendScopeNote } from '../../src/report/trendScope.js';

const FULL = { accounts: 2, regions: 3, checks: 31 };
const run = (startedAt: string, scope = FULL): { startedAt: string; scope: typeof FULL } => ({ startedAt, scope });

describe('trend labels and scope', () => {
  it('labels runs as briefly as keeps them distinct (mermaid merges equal labels into one point)', () => {
    assert.deepEqual(trendAxisLabels([run('2026-12-05T10:00:00.000Z'), run('2026-12-06T10:00:00.000Z')]), ['12-05', '12-06']);
    assert.deepEqual(trendAxisLabels([run('2026-12-06T08:00:00.000Z'), run('2026-12-06T20:30:00.000Z')]), ['12-06 08:00', '12-06 20:30']);
    assert.deepEqual(trendAxisLabels([run('2026-12-06T20:50:02.431Z'), run('2026-12-06T20:50:03.231Z')]), ['12-06 20:50:02', '12-06 20:50:03']);
    assert.deepEqual(trendAxisLabels([run('2026-12-06T20:50:02.100Z'), run('2026-12-06T20:50:02.900Z')]), ['#1 12-06', '#2 12-06']);
    // Across a new year the year is shown, so the axis never seems to run backwards.
    assert.deepEqual(trendAxisLabels([run('2025-12-06T10:00:00.000Z'), run('2026-01-06T10:00:00.000Z')]), ['2025-12-06', '2026-01-06']);
  });

  it('marks runs whose scope differs from this run, and says why once', () => {
    const narrow = { accounts: 2, regions: 1, checks: 31 };
    const trend = [run('2026-12-04T10:00:00.000Z'), run('2026-12-05T10:00:00.000Z', narrow), run('2026-12-06T10:00:00.000Z')];
    assert.deepEqual(trendAxisLabels(trend), ['12-04', '12-05 *', '12-06']);
    assert.equal(trendScopeLabel(trend[1]!), '2 accounts, 1 Region, 31 checks');
    assert.match(trendScopeNote(trend) ?? '', /not all evaluate the same scope/u);
    assert.equal(trendScopeNote([run('2026-12-04T10:00:00.000Z'), run('2026-12-05T10:00:00.000Z')]), null);
  });
});
