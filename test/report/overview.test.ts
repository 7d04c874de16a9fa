/** The answer Markdown and HTML lead with: one computation, consistent with the exit code. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { exitCodeFor, EXIT } from '../../src/cli/exitCode.js';
import { formatJson } from '../../src/report/json.js';
import { reportOverview } from '../../src/report/overview.js';
import { ACCOUNT, EXPECTED_SUMMARY, FINDINGS, makeContext, makeFinding } from './fixtures.js';

describe('report overview', () => {
  it('counts, orders failures most severe first, keeps gaps and accepted risks apart', () => {
    const context = makeContext();
    const overview = reportOverview(FINDINGS, context);
    assert.deepEqual(overview.counts, EXPECTED_SUMMARY);
    assert.equal(overview.failures.length + overview.acceptedRisks.length, EXPECTED_SUMMARY.FAIL);
    assert.equal(overview.acceptedRisks.length, EXPECTED_SUMMARY.suppressed);
    assert.equal(overview.gaps.length, EXPECTED_SUMMARY.UNKNOWN);
    const ranks = overview.failures.map((f) => ['informational', 'low', 'medium', 'high', 'critical'].indexOf(f.severity.toLowerCase()));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a));
    assert.equal(overview.result, 'FAIL');
    assert.equal(exitCodeFor(FINDINGS, context.failOn, false), EXIT.failures);
  });

  it('hashes the JSON evidence exactly as written', () => {
    const context = makeContext();
    const expected = createHash('sha256').update(formatJson(FINDINGS, context)).digest('hex');
    assert.equal(reportOverview(FINDINGS, context).evidenceSha256, expected);
  });

  it('INCOMPLETE on an open UNKNOWN without failures; PASS_WITH_ACCEPTED_RISKS on suppressed failures only; PASS otherwise', () => {
    const context = makeContext();
    const pass = makeFinding({ checkId: 'CloudTrail.1', status: 'PASS', resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'us-east-1' } });
    const unknown = makeFinding({ checkId: 'CloudTrail.3', status: 'UNKNOWN', resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'us-east-1' } });
    const accepted = { ...makeFinding({ checkId: 'CloudTrail.4', status: 'FAIL', resource: { type: 'AWS::CloudTrail::Trail', id: 'trail', accountId: ACCOUNT, region: 'us-east-1' } }), suppressed: { reason: 'r', expires: '2099-01-01', resource: 'trail' } };
    assert.equal(reportOverview([pass, unknown], context).result, 'INCOMPLETE');
    assert.equal(reportOverview([pass, accepted], context).result, 'PASS_WITH_ACCEPTED_RISKS');
    assert.equal(reportOverview([pass], context).result, 'PASS');
    assert.equal(reportOverview([pass], context).passRate, 100);
    assert.equal(reportOverview([], context).passRate, null);
  });
});
