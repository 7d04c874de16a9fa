import { formatAsff } from '../../src/report/asff.js';
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { REPORT_FORMATS } from '../../src/report/formats.js';
import { FORMATTERS, REPORT_FILE_NAMES, formatHtml, formatJson, formatJunit, formatMarkdown, formatSarif } from '../../src/report/index.js';
import { formatSummary } from '../../src/report/summary.js';
import { ACCOUNT, FINDINGS, makeContext, makeFinding } from './fixtures.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe('stderr summary', () => {
  const plain = formatSummary(FINDINGS, makeContext(), { color: false });

  it('gives the counts by status, suppressed included', () => {
    assert.match(plain, /^trailaudit: 11 findings across 5 checks — 3 PASS, 4 FAIL, 3 UNKNOWN, 1 N\/A, 1 suppressed\n/);
  });

  it('says when --framework narrowed the checks', () => {
    const scope = { ...makeContext().scope, framework: 'cis-5.0' };
    assert.match(formatSummary(FINDINGS, makeContext({ scope }), { color: false }), /^trailaudit: 11 findings across 5 checks of --framework cis-5\.0 — /);
  });

  it('lists failing controls with the number of unsuppressed failing resources', () => {
    const lines = plain.split('\n');
    const start = lines.indexOf('Failing controls:');
    assert.ok(start >= 0);
    const listed = lines.slice(start + 1).filter((l) => l.startsWith('  CloudTrail.'));
    assert.equal(listed.length, 3);
    assert.match(listed[0]!, /^ {2}CloudTrail\.1\s+HIGH\s+1 resource\s+CloudTrail should be enabled/);
    // CloudTrail.4 has two FAILs, one of them suppressed.
    assert.match(listed[2]!, /^ {2}CloudTrail\.4\s+LOW\s+1 resource\s+/);
    assert.ok(!plain.includes('CloudTrail.6  '), 'a control with only UNKNOWN is not listed as failing');
  });

  it('counts UNKNOWN verdicts and says how to resolve them', () => {
    // Three: the one matched by a suppression stays open.
    assert.match(plain, /\n3 verdicts could not be determined \(UNKNOWN\)\.\n/);
    assert.match(plain, /Missing permissions: s3:GetBucketAcl, s3:GetBucketPolicy\n/);
    assert.match(plain, /Needs credentials for account: 444455556666\n/);
    assert.match(plain, /--allow-unknown/);
  });

  it('lists failed calls apart from missing permissions', () => {
    const failed = makeFinding({
      checkId: 'CloudTrail.10',
      status: 'UNKNOWN',
      reason: 'error',
      resource: { type: 'AWS::CloudTrail::EventDataStore', id: 'eds/*', accountId: ACCOUNT, region: 'us-east-1' },
      unknowns: [{ reason: 'error', message: 'HTTP 500', operation: 'cloudtrail:ListEventDataStores', region: 'us-east-1' }],
    });
    const text = formatSummary([failed], makeContext(), { color: false });
    assert.match(text, /Calls that failed: cloudtrail:ListEventDataStores \(error\)\n/);
    assert.ok(!text.includes('Missing permissions'));
  });

  it('mentions expired and unused suppressions, and UNKNOWNs a suppression matched but cannot accept', () => {
    assert.match(plain, /Suppressions: 1 expired, 2 unused/);
    assert.match(plain, /Suppressions matched 1 UNKNOWN finding: a suppression accepts a known failure, never an undetermined verdict, so it stays open\.\n/);
  });

  it('never ends with a plain PASS while suppressed failures stand', () => {
    const acceptedOnly = FINDINGS.filter((f) => f.status === 'PASS' || f.suppressed !== null);
    const text = formatSummary(acceptedOnly, makeContext(), { color: false });
    assert.match(text, /Result: PASS WITH ACCEPTED RISKS — no unsuppressed failure at or above --fail-on low; 1 failure accepted by a suppression\.\n$/);
    // Not painted green (ANSI 32) either.
    assert.ok(!formatSummary(acceptedOnly, makeContext(), { color: true }).includes('\u001b[32mResult'));
  });

  it('ends with the result against the fail threshold', () => {
    // The fixtures' suppressed failure is named under any result line, as in the reports.
    assert.match(plain, /Result: FAIL — 3 failures at or above --fail-on low\.\n {2}\(1 failure accepted by a suppression\.\)\n$/);
    const critical = formatSummary(FINDINGS, makeContext({ failOn: 'critical' }), { color: false });
    assert.match(critical, /Result: INCOMPLETE — no unsuppressed failure at or above --fail-on critical/);
    assert.match(critical, /3 failures below the threshold not counted/);
    assert.match(critical, /1 failure accepted by a suppression/);
    const passing = formatSummary(FINDINGS.filter((f) => f.status === 'PASS'), makeContext({ suppressions: [] }), { color: false });
    assert.match(passing, /Result: PASS/);
    assert.ok(!passing.includes('Failing controls'));
    assert.ok(!passing.includes('UNKNOWN)'));
    assert.ok(!passing.includes('Suppressions:'));
  });

  it('says when --allow-unknown accepted an incomplete audit, instead of suggesting it', () => {
    const accepted = formatSummary(FINDINGS.filter((f) => f.status !== 'FAIL'), makeContext({ allowUnknown: true }), { color: false });
    assert.match(accepted, /Accepted as an incomplete audit \(--allow-unknown\)/);
    assert.match(accepted, /Result: INCOMPLETE \(accepted with --allow-unknown\)/);
    assert.doesNotMatch(accepted, /pass --allow-unknown/);
    const refused = formatSummary(FINDINGS.filter((f) => f.status !== 'FAIL'), makeContext(), { color: false });
    assert.match(refused, /pass --allow-unknown to accept an incomplete audit/);
  });

  it('uses ANSI colours only when asked', () => {
    assert.doesNotMatch(plain, ANSI);
    const coloured = formatSummary(FINDINGS, makeContext(), { color: true });
    assert.match(coloured, ANSI);
    assert.ok(coloured.includes('\u001b[31m4 FAIL\u001b[0m'), 'FAIL count in red');
    assert.equal(coloured.replace(new RegExp(ANSI.source, 'g'), ''), plain);
  });

  it('stays on one screen', () => {
    assert.ok(plain.split('\n').length < 25);
  });
});

describe('report registry', () => {
  it('maps every report format to its formatter', () => {
    assert.equal(FORMATTERS.json(FINDINGS, makeContext()), formatJson(FINDINGS, makeContext()));
    assert.equal(FORMATTERS.junit, formatJunit);
    assert.equal(FORMATTERS.markdown, formatMarkdown);
    assert.equal(FORMATTERS.sarif, formatSarif);
    assert.equal(FORMATTERS.asff, formatAsff);
    assert.equal(FORMATTERS.html, formatHtml);
  });

  it('names a report file for every format', () => {
    assert.deepEqual(Object.keys(REPORT_FILE_NAMES).sort(), [...REPORT_FORMATS].sort());
    assert.deepEqual(REPORT_FILE_NAMES, {
      json: 'trailaudit.json',
      junit: 'trailaudit.junit.xml',
      markdown: 'trailaudit.md',
      sarif: 'trailaudit.sarif',
      asff: 'trailaudit.asff.json',
      html: 'trailaudit.html',
    });
  });
});
