/**
 * `trailaudit diff`'s sorting, table-driven: one previous and one current result per row, and the
 * list it must land in. "Not evaluated is not fixed" is the rule most rows guard.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import type { Finding, Status } from '../../src/engine/types.js';
import type { EvaluatedScope } from '../../src/report/baselineDiff.js';
import { DIFF_MARKDOWN_ROWS, formatDiffMarkdown } from '../../src/report/diff/markdown.js';
import { buildDiff, type DiffResult } from '../../src/report/diff/result.js';
import { ACCOUNT, CHECKS, OTHER_ACCOUNT, makeFinding } from './fixtures.js';

const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
const FULL: EvaluatedScope = {
  checkIds: new Set(CHECKS.map((c) => c.id)),
  live: true,
  accounts: new Set([ACCOUNT]),
  regions: new Set(['eu-west-1', 'us-east-1']),
};
const SUPPRESSION = { reason: 'accepted', expires: '2027-03-01', resource: TRAIL };

function trail(status: Status, suppressed = false): Finding {
  return makeFinding({
    checkId: 'CloudTrail.4',
    status,
    resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL, accountId: ACCOUNT, region: 'us-east-1' },
    ...(suppressed ? { suppressed: SUPPRESSION } : {}),
  });
}

function diff(before: Finding | null, after: Finding | null, scope: EvaluatedScope = FULL): DiffResult {
  return buildDiff(
    { name: 'trailaudit', version: 'test' },
    { side: { file: 'old.json', finishedAt: '2026-12-01T00:00:00Z' }, findings: before === null ? [] : [before] },
    { side: { file: 'new.json', finishedAt: '2026-12-02T00:00:00Z' }, findings: after === null ? [] : [after] },
    scope,
  );
}

type List = 'newFailures' | 'fixed' | 'stillFailing' | 'notEvaluated' | 'none';
const LISTS = ['newFailures', 'fixed', 'stillFailing', 'notEvaluated'] as const;

interface Row {
  readonly name: string;
  readonly before: Finding | null;
  readonly after: Finding | null;
  readonly scope?: EvaluatedScope;
  readonly list: List;
  readonly reason?: string;
}

const ROWS: readonly Row[] = [
  { name: 'fixed: FAIL then PASS', before: trail('FAIL'), after: trail('PASS'), list: 'fixed' },
  { name: 'fixed: FAIL then NOT_APPLICABLE', before: trail('FAIL'), after: trail('NOT_APPLICABLE'), list: 'fixed' },
  { name: 'resource gone where its check ran: fixed', before: trail('FAIL'), after: null, list: 'fixed', reason: 'resource_gone' },
  { name: 'regressed: PASS then FAIL', before: trail('PASS'), after: trail('FAIL'), list: 'newFailures' },
  { name: 'new resource failing', before: null, after: trail('FAIL'), list: 'newFailures' },
  { name: 'UNKNOWN then FAIL: a new failure', before: trail('UNKNOWN'), after: trail('FAIL'), list: 'newFailures' },
  { name: 'still failing', before: trail('FAIL'), after: trail('FAIL'), list: 'stillFailing' },
  { name: 'UNKNOWN now: not evaluated', before: trail('FAIL'), after: trail('UNKNOWN'), list: 'notEvaluated', reason: 'unknown' },
  {
    name: 'check not run now: not evaluated',
    before: trail('FAIL'),
    after: null,
    scope: { ...FULL, checkIds: new Set(['CloudTrail.1']) },
    list: 'notEvaluated',
    reason: 'check_not_run',
  },
  {
    name: 'Region out of scope now: not evaluated',
    before: trail('FAIL'),
    after: null,
    scope: { ...FULL, regions: new Set(['eu-west-1']) },
    list: 'notEvaluated',
    reason: 'region_not_in_scope',
  },
  {
    name: 'account not audited now: not evaluated',
    before: trail('FAIL'),
    after: null,
    scope: { ...FULL, accounts: new Set([OTHER_ACCOUNT]) },
    list: 'notEvaluated',
    reason: 'account_not_in_scope',
  },
  { name: 'suppressed now: still failing, never fixed', before: trail('FAIL'), after: trail('FAIL', true), list: 'stillFailing' },
  { name: 'suppressed then and now: still failing', before: trail('FAIL', true), after: trail('FAIL', true), list: 'stillFailing' },
  { name: 'a new failure already suppressed: new', before: trail('PASS'), after: trail('FAIL', true), list: 'newFailures' },
  { name: 'suppression lapsed: a new (unsuppressed) failure', before: trail('FAIL', true), after: trail('FAIL'), list: 'newFailures' },
  { name: 'suppressed FAIL then PASS: fixed', before: trail('FAIL', true), after: trail('PASS'), list: 'fixed' },
  { name: 'suppressed FAIL then UNKNOWN: not evaluated', before: trail('FAIL', true), after: trail('UNKNOWN'), list: 'notEvaluated', reason: 'unknown' },
  { name: 'suppressed FAIL, resource gone: fixed', before: trail('FAIL', true), after: null, list: 'fixed', reason: 'resource_gone' },
  { name: 'a scanned resource not in NEW: not evaluated (only a PASS fixes it)', before: trail('FAIL'), after: null, list: 'notEvaluated', reason: 'not_scanned', scope: { ...FULL, live: false } },
  { name: 'PASS then PASS: nowhere', before: trail('PASS'), after: trail('PASS'), list: 'none' },
  { name: 'PASS then UNKNOWN: nowhere (nothing was failing)', before: trail('PASS'), after: trail('UNKNOWN'), list: 'none' },
];

describe('trailaudit diff: sorting two runs', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const result = diff(row.before, row.after, row.scope);
      for (const list of LISTS) {
        assert.equal(result[list].length, list === row.list ? 1 : 0, `${list}: ${JSON.stringify(result[list])}`);
      }
      if (row.list === 'none') {
        return;
      }
      const item = result[row.list][0]!;
      assert.equal(item.before, row.before?.status ?? null);
      assert.equal(item.after, row.after?.status ?? null);
      assert.equal(item.reason, row.reason);
      assert.equal(item.control, 'CloudTrail.4');
      assert.equal(item.checkId, 'CloudTrail.4');
      assert.equal(item.accountId, ACCOUNT);
      assert.equal(item.region, 'us-east-1');
      assert.equal(item.resourceId, TRAIL);
      assert.deepEqual(item.suppressedAfter, row.after?.suppressed ? { reason: 'accepted', expires: '2027-03-01' } : undefined);
      assert.deepEqual(item.suppressedBefore, row.before?.suppressed ? { reason: 'accepted', expires: '2027-03-01' } : undefined);
    });
  }

  it('counts only unsuppressed new failures for --fail-on-new', () => {
    assert.equal(diff(trail('PASS'), trail('FAIL', true)).summary.newUnsuppressedFailures, 0);
    assert.equal(diff(trail('PASS'), trail('FAIL')).summary.newUnsuppressedFailures, 1);
  });

  it('a region-less previous failure (account-wide) is not "Region out of scope"', () => {
    const account = makeFinding({ checkId: 'CloudTrail.1', status: 'FAIL', resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' } });
    const result = diff(account, null, { ...FULL, regions: new Set(['eu-west-1']) });
    assert.equal(result.fixed[0]?.reason, 'resource_gone');
  });

  it('orders items most severe first and writes the Markdown sections in reading order', () => {
    const bucket = makeFinding({
      checkId: 'CloudTrail.6',
      status: 'FAIL',
      resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::logs', accountId: ACCOUNT, region: 'us-east-1' },
    });
    const result = buildDiff(
      { name: 'trailaudit', version: 'test' },
      { side: { file: 'old.json', finishedAt: '2026-12-01T00:00:00Z' }, findings: [] },
      { side: { file: 'new.json', finishedAt: '2026-12-02T00:00:00Z' }, findings: [trail('FAIL'), bucket] },
      FULL,
    );
    assert.deepEqual(result.newFailures.map((i) => i.severity), ['CRITICAL', 'LOW']);
    const md = formatDiffMarkdown(result);
    const order = ['## New failures (2)', '## Fixed (0)', '## Still failing (0)', '## Not evaluated (0)'].map((h) => md.indexOf(h));
    assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!)), md);
    assert.match(md, /\*\*2 new failures\*\*/);
    const suppressed = formatDiffMarkdown(diff(trail('FAIL'), trail('FAIL', true)));
    assert.match(suppressed, /FAIL, suppressed until 2027-03-01/);
  });

  it('lists at most DIFF_MARKDOWN_ROWS rows per section in the Markdown and says where the rest are', () => {
    const many = Array.from({ length: DIFF_MARKDOWN_ROWS + 7 }, (_, n) =>
      makeFinding({ checkId: 'CloudTrail.4', status: 'FAIL', resource: { type: 'AWS::CloudTrail::Trail', id: `trail-${String(n).padStart(4, '0')}`, accountId: ACCOUNT, region: 'us-east-1' } }),
    );
    const result = buildDiff(
      { name: 'trailaudit', version: 'test' },
      { side: { file: 'old.json', finishedAt: '2026-12-01T00:00:00Z' }, findings: [] },
      { side: { file: 'new.json', finishedAt: '2026-12-02T00:00:00Z' }, findings: many },
      FULL,
    );
    assert.equal(result.newFailures.length, DIFF_MARKDOWN_ROWS + 7, 'the JSON keeps every item');
    const md = formatDiffMarkdown(result);
    assert.equal((md.match(/\| `trail-\d{4}` \|/gu) ?? []).length, DIFF_MARKDOWN_ROWS);
    assert.match(md, new RegExp(`… and 7 more \\(the first ${String(DIFF_MARKDOWN_ROWS)} of ${String(DIFF_MARKDOWN_ROWS + 7)}, most severe first, are shown\\): every one is in \`trailaudit-diff\\.json\``, 'u'));
  });
});
