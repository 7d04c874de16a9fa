/**
 * `trailaudit diff` and `--baseline` must tell the same story (one implementation): for the same
 * pair of runs, the unsuppressed new / fixed / still failing failures of `diff` are the ones the
 * Markdown report's "Changes since last audit" counts and SARIF's baselineState marks. `diff`
 * adds only what `--baseline` leaves open: suppressed failures, and a verdict on failures no
 * longer reported (fixed when the resource is gone, else not evaluated).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import type { Finding } from '../../src/engine/types.js';
import { diffFailures, findingKey } from '../../src/report/baselineDiff.js';
import { buildDiff, type DiffItem } from '../../src/report/diff/result.js';
import { formatJson, parseBaseline } from '../../src/report/json.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatSarif } from '../../src/report/sarif.js';
import { CHECKS, FINDINGS, PREVIOUS_FINDINGS, makeContext } from './fixtures.js';

const context = makeContext();
const baseline = parseBaseline(formatJson(PREVIOUS_FINDINGS, context), 'reports/previous.json');
const result = buildDiff(
  context.tool,
  { side: { file: 'previous.json', finishedAt: context.finishedAt }, findings: PREVIOUS_FINDINGS },
  { side: { file: 'current.json', finishedAt: context.finishedAt }, findings: FINDINGS },
  { checkIds: new Set(CHECKS.map((c) => c.id)), live: true, accounts: new Set(context.scope.accounts), regions: new Set(context.scope.regions) },
);

const itemKey = (i: DiffItem): string => JSON.stringify([i.control, i.resourceId, i.region, i.file ?? null]);
const keys = (items: readonly DiffItem[]): string[] => items.map(itemKey).sort();
const findingKeys = (items: readonly Pick<Finding, 'control' | 'resource'>[]): string[] => items.map(findingKey).sort();
const unsuppressedNow = (items: readonly DiffItem[]): DiffItem[] => items.filter((i) => i.suppressedAfter === undefined);

describe('trailaudit diff agrees with --baseline', () => {
  it('has the same unsuppressed new, still failing and fixed failures as the baseline comparison', () => {
    const core = diffFailures(FINDINGS, baseline.findings);
    assert.deepEqual(keys(unsuppressedNow(result.newFailures)), findingKeys(core.newFailures));
    assert.deepEqual(keys(unsuppressedNow(result.stillFailing)), findingKeys(core.stillFailing));
    // `diff` also calls a removed resource fixed (its check ran there); --baseline calls it "no longer reported".
    assert.deepEqual(keys(result.fixed.filter((i) => i.reason !== 'resource_gone' && i.suppressedBefore === undefined)), findingKeys(core.fixed.map((c) => c.before)));
    assert.deepEqual(keys(result.fixed.filter((i) => i.reason === 'resource_gone')), findingKeys(core.gone));
    // The fixture exercises every list, so the comparison above is not of empty lists.
    assert.ok(core.newFailures.length > 0 && core.stillFailing.length > 0 && core.fixed.length > 0 && core.gone.length > 0);
  });

  it("has the counts the Markdown report's \"Changes since last audit\" states", () => {
    const markdown = formatMarkdown(FINDINGS, makeContext({ baseline }));
    const counts = /\*\*(\d+) new\*\*, \*\*(\d+) fixed\*\*, \*\*(\d+) still failing\*\*/.exec(markdown);
    assert.ok(counts, 'the Markdown report has its changes line');
    assert.equal(unsuppressedNow(result.newFailures).length, Number(counts[1]));
    assert.equal(result.fixed.filter((i) => i.reason !== 'resource_gone' && i.suppressedBefore === undefined).length, Number(counts[2]));
    assert.equal(unsuppressedNow(result.stillFailing).length, Number(counts[3]));
  });

  it("puts SARIF's new and unchanged unsuppressed failures in diff's new failures and still failing", () => {
    const log = JSON.parse(formatSarif(FINDINGS, makeContext({ baseline }))) as {
      runs: { results: { ruleId: string; baselineState?: string; suppressions?: unknown[]; properties: { status: string; resourceId: string; region: string } }[] }[];
    };
    const failures = log.runs[0]!.results.filter((r) => r.properties.status === 'FAIL' && r.suppressions === undefined);
    const sarifKey = (r: (typeof failures)[number]): string => `${r.ruleId} ${r.properties.resourceId} ${r.properties.region}`;
    const diffKey = (i: DiffItem): string => `${i.control} ${i.resourceId} ${i.region}`;
    const isNew = failures.filter((r) => r.baselineState === 'new').map(sarifKey);
    const unchanged = failures.filter((r) => r.baselineState === 'unchanged').map(sarifKey);
    assert.ok(isNew.length > 0 && unchanged.length > 0);
    const newKeys = new Set(result.newFailures.map(diffKey));
    const stillKeys = new Set(result.stillFailing.map(diffKey));
    assert.deepEqual(isNew.filter((k) => !newKeys.has(k)), []);
    assert.deepEqual(unchanged.filter((k) => !stillKeys.has(k)), []);
    // Every unsuppressed FAIL of the current run is in exactly one of the two lists.
    assert.equal(failures.length, unsuppressedNow(result.newFailures).length + unsuppressedNow(result.stillFailing).length);
  });
});
