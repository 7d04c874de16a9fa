/**
 * The HTML report (`--format html`) as a pure function: same input, same bytes; everything
 * escaped; the answer first; the sections each context calls for; a policy that loads nothing;
 * valid HTML (html-validate, recommended preset).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { HtmlValidate } from 'html-validate';
import { describe, it } from 'mocha';
import { loadChecks } from '../../src/load/loadChecks.js';
import { formatHtml } from '../../src/report/html.js';
import { heatmap, stackedBars, trendChart } from '../../src/report/html/charts.js';
import { esc } from '../../src/report/html/escape.js';
import { jsonEvidenceSha256 } from '../../src/report/evidence.js';
import { ACCOUNT, FINDINGS, makeContext } from './fixtures.js';
import { EMPTY_INDEX } from '../../src/history/model.js';
import { planRun } from '../../src/history/record.js';
import { FIRST_RUN, SECOND_RUN, decode, findingRows, historyContext, scanContext, scanFindings, sectionOf } from './htmlFixtures.js';
import { LOG_ARCHIVE, MEMBER, MGMT, ORG_FINDINGS, generatedOrganization, orgContext } from './organizationFixtures.js';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

async function assertValid(html: string): Promise<void> {
  const report = await validator.validateString(html);
  const messages = report.results.flatMap((r) => r.messages.map((m) => `${String(m.line)}:${String(m.column)} ${m.ruleId}: ${m.message}`));
  assert.deepEqual(messages, [], 'html-validate (recommended) found problems');
}

describe('HTML report', () => {
  const html = formatHtml(FINDINGS, makeContext({ scope: { ...makeContext().scope, principalArn: `arn:aws:iam::${ACCOUNT}:role/Auditor` } }));

  it('is a pure function: the same input gives the same bytes, charts included', () => {
    assert.equal(formatHtml(FINDINGS, makeContext()), formatHtml(FINDINGS, makeContext()));
    const rows = [{ label: 'A', counts: { fail: 1, accepted: 0, unknown: 2, pass: 3, na: 0 } }];
    assert.equal(stackedBars('t', rows), stackedBars('t', rows));
    const points = [{ at: FIRST_RUN, values: { fail: 3, pass: 1 } }];
    assert.equal(trendChart('t', points, ['fail', 'pass']), trendChart('t', points, ['fail', 'pass']));
  });

  it('draws bars in proportion and the trend on a round scale', () => {
    const svg = stackedBars('t', [{ label: 'A', counts: { fail: 1, accepted: 0, unknown: 0, pass: 3, na: 0 } }]);
    // 420 px of bar: one FAIL in four is 105 px, the PASSes 315 px after it.
    assert.match(svg, /<rect class="c-fail" x="150" y="4" width="105" height="20">/);
    assert.match(svg, /<rect class="c-pass" x="255" y="4" width="315" height="20">/);
    assert.match(svg, /<text x="576" y="18">4<\/text>/);
    const trend = trendChart('t', [{ at: '2025-01-01T00:00:00Z', values: { fail: 7 } }, { at: '2025-01-02T00:00:00Z', values: { fail: 0 } }], ['fail']);
    // Seven rounds up to an axis of 10; first point at the left edge, last at the right.
    assert.match(trend, />10<\/text>/);
    assert.match(trend, /<polyline class="line c-fail" points="48,\d+(\.\d+)? 624,200"\/>/);
    assert.match(trend, /text-anchor="start">01-01<\/text>[\s\S]*text-anchor="end">01-02<\/text>/, 'one run a day: dates, the edge labels inside the chart');
    const sameDay = trendChart('t', [{ at: '2025-01-01T08:00:00Z', values: { fail: 1 } }, { at: '2025-01-01T20:30:00Z', values: { fail: 0 } }], ['fail']);
    assert.match(sameDay, />01-01 08:00<\/text>[\s\S]*>01-01 20:30<\/text>/, 'two runs on one day: with the time');
    // A long account label gets the room it needs left of the cells.
    const label = '123456789012 workloads-production-sandbox';
    const grid = heatmap('h', [label], ['CloudTrail.1'], [[{ category: 'pass', title: 'x' }]]);
    const x = Number(/<text x="(\d+)" y="\d+" text-anchor="end">123456789012/.exec(grid)?.[1]);
    assert.ok(x >= label.length * 6, `row label ends at ${String(x)}`);
    assert.match(grid, new RegExp(`<rect class="c-pass" x="${String(x + 6)}"`));
  });

  it('escapes every interpolated value (ids with <&>"\' from AWS and templates)', () => {
    assert.equal(esc(`a<&>"b'`), 'a&lt;&amp;&gt;&quot;b&#39;');
    assert.ok(!html.includes('a<&>"b"'), 'a raw id with markup reached the page');
    assert.ok(html.includes('a&lt;&amp;&gt;&quot;b&quot;'));
    assert.ok(!html.includes('| <b>'), 'evidence text was not escaped');
    const cells = heatmap('x<y', ['r"1'], ['c&1'], [[{ category: 'fail', title: '<script>' }]]);
    assert.ok(!/<script>|x<y|r"1|c&1/.test(cells), cells);
  });

  it('leads with the answer: result, scope, when, who, tool and the SHA-256 of the JSON evidence', () => {
    const answer = html.slice(0, html.indexOf('<section'));
    assert.match(answer, /<h1>Result: <span class="result">FAIL<\/span><\/h1>/);
    assert.match(decode(answer), /3 unsuppressed failures at or above LOW \(exit code 1\)/);
    assert.ok(answer.includes(jsonEvidenceSha256(FINDINGS, makeContext({ scope: { ...makeContext().scope, principalArn: `arn:aws:iam::${ACCOUNT}:role/Auditor` } }))));
    assert.ok(answer.includes(`arn:aws:iam::${ACCOUNT}:role/Auditor`));
    assert.ok(answer.includes('trailaudit 0.1.0'));
    assert.ok(answer.includes('2025-01-15 10:00 UTC'));
    // Pass rate over PASS + FAIL only: 3 / 7; the 3 UNKNOWNs are not in it.
    assert.match(decode(answer), /Pass rate: 42\.9% of the 7 evaluated results/);
    // The most severe failure first.
    const top = /<ol class="top">([\s\S]*?)<\/ol>/.exec(answer)?.[1] ?? '';
    assert.match(decode(top), /^HIGH CloudTrail\.1/);
  });

  it('says a suppressed failure is a failure, never a pass', () => {
    const legacy = findingRows(html).find((r) => r.raw.includes('legacy-1'));
    assert.ok(legacy);
    assert.equal(legacy.category, 'accepted');
    assert.equal(legacy.cells[0], 'FAIL, suppressed until 2027-06-30');
    const control = /<tr><td><a href="#fix-2">CloudTrail\.4<\/a>[\s\S]*?<\/tr>/.exec(sectionOf(html, 'controls') ?? '')?.[0] ?? '';
    assert.match(control, /FAIL<\/span>/);
  });

  it('lists every finding, failures first, the most severe first', () => {
    const rows = findingRows(html);
    assert.equal(rows.length, FINDINGS.length);
    assert.deepEqual(
      rows.map((r) => r.category),
      ['fail', 'fail', 'fail', 'accepted', 'unknown', 'unknown', 'unknown', 'pass', 'pass', 'pass', 'na'],
    );
    assert.deepEqual(rows.slice(0, 3).map((r) => `${r.cells[1] ?? ''} ${r.cells[2] ?? ''}`), ['HIGH CloudTrail.1', 'HIGH CloudTrail.3', 'LOW CloudTrail.4']);
    const pipe = rows.find((r) => r.raw.includes('main|prod'));
    assert.ok(pipe);
    assert.ok(pipe.raw.includes('logFileValidationEnabled'), 'the evidence is folded into the row');
    assert.ok(pipe.raw.includes(esc(`aws cloudtrail update-trail --name 'main|prod' --enable-log-file-validation`)), 'the fix is folded into the row');
  });

  it('names what each audit gap needs and keeps gaps out of the pass rate', () => {
    const gaps = sectionOf(html, 'gaps') ?? '';
    assert.match(gaps, /access_denied: permission <code>s3:GetBucketAcl<\/code>/);
    assert.match(gaps, /cross_account: permission <code>s3:GetBucketAcl<\/code>, credentials for account <code>444455556666<\/code>/);
    assert.match(decode(gaps), /3 results could not be determined/);
  });

  it('shows the suppression register with expiry and state', () => {
    const register = decode(sectionOf(html, 'suppressions') ?? '');
    assert.match(register, /migration window \(SEC-99\)\s*2024-01-31\s*expired/);
    assert.match(register, /1 UNKNOWN left open/);
  });

  it('loads nothing: a policy of default-src none with our script and style named by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'") ?? '';
    assert.match(csp, /^default-src 'none'; /);
    assert.ok(!csp.includes('unsafe-inline'));
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    assert.ok(csp.includes(`script-src ${hash(script)}`));
    assert.ok(csp.includes(`style-src ${hash(style)}`));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.doesNotMatch(html, /<(link|img|iframe|object|embed)\b|\bsrc=|url\(|@import/);
    assert.doesNotMatch(html, / style="/);
  });

  it('has no account heatmap, history or failing-since column for a single account without history', () => {
    assert.equal(sectionOf(html, 'organization'), undefined);
    assert.equal(sectionOf(html, 'history'), undefined);
    assert.ok(!html.includes('Failing since'));
    assert.ok(sectionOf(html, 'regions')?.includes('<svg'));
  });

  it('names the accounts left out of an organization audit, with the reason', () => {
    const page = formatHtml(ORG_FINDINGS, orgContext());
    const gaps = decode(sectionOf(page, 'gaps') ?? '');
    assert.match(gaps, /left out of this audit[\s\S]*\d{12}\s*closed-sandbox\s*suspended\s*SUSPENDED in organization/u);
    assert.match(page, /<a href="#gaps">1 left out<\/a>/u);
  });

  it('draws the control × account heatmap for an organization audit', () => {
    const org = formatHtml(ORG_FINDINGS, orgContext());
    const section = sectionOf(org, 'organization') ?? '';
    const svg = /<svg class="chart heatmap"[\s\S]*?<\/svg>/.exec(section)?.[0] ?? '';
    for (const account of [MGMT, LOG_ARCHIVE, MEMBER]) {
      assert.ok(svg.includes(`>${account}`), `${account} has no row`);
    }
    const columns = [...svg.matchAll(/rotate\(-60\)">([^<]+)</g)].length;
    assert.equal((svg.match(/<rect /g) ?? []).length, 3 * columns);
    assert.match(decode(org), /could not be entered/);
  });

  it('with a history: the trend, what was fixed, the mean time to fix and failing since', () => {
    const page = formatHtml(FINDINGS, historyContext());
    const history = sectionOf(page, 'history') ?? '';
    assert.match(history, /<svg class="chart trend"/);
    // Two runs: two points per line (FAIL, UNKNOWN, PASS).
    assert.equal((history.match(/<circle /g) ?? []).length, 6);
    const text = decode(history);
    assert.match(text, /2 runs in the history/);
    assert.match(text, /CloudTrail\.4\s*111122223333\s*us-east-1\s*arn:aws:cloudtrail:us-east-1:111122223333:trail\/a<&>"b"\s*2025-01-10\s*2025-01-15\s*passes now/);
    // Failures per control and run: CloudTrail.4 failed on four trails in the first run (one
    // suppressed), on two in the second.
    assert.match(text, /CloudTrail\.4\s*4\s*2\s/);
    assert.match(text, /Mean time to fix: \d+(\.\d+)? days over \d+ fixes/);
    // CloudTrail.1 failed in both runs: failing since the first, five days.
    assert.match(text, /2025-01-10\s*5\s*FAIL\s*CloudTrail\.1/);
    // The suppressed failure's streak goes on, and it says it is suppressed.
    assert.match(text, /2025-01-10\s*5\s*FAIL, suppressed until 2027-06-30\s*CloudTrail\.4/);
    const row = findingRows(page).find((r) => r.cells[2] === 'CloudTrail.1');
    assert.equal(row?.cells.at(-1), '2025-01-10');
    // A new failure fails since this run.
    const newOne = findingRows(page).find((r) => r.cells[2] === 'CloudTrail.3' && r.cells[4] === 'us-east-1');
    assert.equal(newOne?.cells.at(-1), '2025-01-15');
    // Each run says what it evaluated; the same scope twice needs no warning.
    assert.match(text, /2025-01-15 10:00:00 UTC\s*\d+\s*\d+\s*\d+\s*\d+\s*1 account, 3 Regions, 5 checks/);
    assert.doesNotMatch(text, /did not all evaluate the same scope/);
  });

  it('with a history whose runs evaluated different scopes: says a narrower run is not an improvement', () => {
    const scope = { accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1', 'us-west-2'], checks: ['CloudTrail.1', 'CloudTrail.3', 'CloudTrail.4', 'CloudTrail.6', 'CloudTrail.10'] };
    const first = planRun(EMPTY_INDEX, FINDINGS, scope, FIRST_RUN, FIRST_RUN);
    const narrow = FINDINGS.filter((f) => f.checkId === 'CloudTrail.1');
    const second = planRun(first.indexWith(1000), narrow, { ...scope, checks: ['CloudTrail.1'] }, SECOND_RUN, SECOND_RUN);
    const text = decode(sectionOf(formatHtml(narrow, makeContext({ startedAt: SECOND_RUN, collectedAt: SECOND_RUN, history: second.annotations })), 'history') ?? '');
    assert.match(text, /1 account, 3 Regions, 5 checks \(\* not this run's scope\)[\s\S]*1 account, 3 Regions, 1 check\b/);
    assert.match(text, /did not all evaluate the same scope/);
  });

  it('reports a scan: inputs, file positions, no account heatmap and no caller', () => {
    const page = formatHtml(scanFindings(), scanContext());
    assert.equal(sectionOf(page, 'organization'), undefined);
    assert.match(decode(page), /Inputs\s*templates\/trail\.yaml/);
    assert.match(page, /templates\/trail\.yaml:12/);
    assert.match(decode(page), /Run by\s*not applicable/);
  });

  it('is valid HTML (html-validate, recommended preset) for each kind of report', async () => {
    await assertValid(html);
    await assertValid(formatHtml(ORG_FINDINGS, orgContext()));
    await assertValid(formatHtml(FINDINGS, historyContext()));
    await assertValid(formatHtml(scanFindings(), scanContext()));
    await assertValid(formatHtml([], makeContext({ suppressions: [] })));
    // Real checks (their remediation snippets, evidence projections) over a small organization.
    const org = generatedOrganization(loadChecks(), 12);
    await assertValid(formatHtml(org.findings, org.context));
  });

  it('lists the control filter in natural order and prints with page margins, without sort glyphs', () => {
    const org = generatedOrganization(loadChecks(), 3);
    const page = formatHtml(org.findings, org.context);
    const select = /<select id="f-control"[\s\S]*?<\/select>/u.exec(page)?.[0] ?? '';
    const controls = [...select.matchAll(/<option value="([^"]+)"/gu)].map((m) => m[1] ?? '');
    assert.ok(controls.indexOf('CloudTrail.2') >= 0 && controls.indexOf('CloudTrail.2') < controls.indexOf('CloudTrail.10'), controls.join(' '));
    assert.match(page, /@page \{ margin: [^}]+\}/u);
    assert.match(page, /@media print \{[^@]*th button::after \{ content: none; \}/u);
  });
});
