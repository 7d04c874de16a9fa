import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import MarkdownIt from 'markdown-it';
import { describe, it } from 'mocha';
import type { Finding } from '../../src/engine/types.js';
import { formatJson, parseBaseline } from '../../src/report/json.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import type { ReportContext } from '../../src/report/types.js';
import { decode, section, sections, subsections, tables, type Table } from './markdownHtml.js';
import {
  ACCOUNT,
  BUCKET_CROSS,
  BUCKET_DENIED,
  BUCKET_SUPPRESSED,
  CHECKS,
  FINDINGS,
  PREVIOUS_FINDINGS,
  SUPPRESSION_EXPIRED,
  SUPPRESSION_UNUSED,
  TRAIL_LEGACY,
  TRAIL_ORG,
  TRAIL_PIPE,
  TRAIL_SPECIAL,
  makeContext,
  makeFinding,
  SUPPRESSION_SANDBOX,
} from './fixtures.js';

const md = new MarkdownIt();
/** As GitHub renders it: raw HTML passed through, so `<details>` blocks and their Markdown bodies show. */
const gfm = new MarkdownIt({ html: true });

/** The report before its first level-2 heading: the answer. */
function lead(markdown: string): string {
  return markdown.slice(0, markdown.indexOf('\n## '));
}

/** The inner HTML of each `<details>` block of the rendered report, by its summary text. */
function folds(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<details>\s*<summary>([\s\S]*?)<\/summary>([\s\S]*?)<\/details>/gu)) {
    out.set(decode(m[1]!), m[2]!);
  }
  return out;
}

function render(findings: readonly Finding[] = FINDINGS, context: ReportContext = makeContext()): { markdown: string; html: string } {
  const markdown = formatMarkdown(findings, context);
  return { markdown, html: md.render(markdown) };
}

function baselineContext(): ReportContext {
  const previous = formatJson(PREVIOUS_FINDINGS, makeContext({ finishedAt: '2025-01-01T00:00:00.000Z' }));
  return makeContext({ baseline: parseBaseline(previous, 'reports/previous.json') });
}

/** [control, resource id, region] of each body row of a table whose first three columns are those. */
function keys(table: Table | undefined): string[][] {
  return (table?.rows ?? []).map((r) => r.slice(0, 3));
}

/* ------------------------------------------------------------------ tests */

describe('Markdown report', () => {
  it('renders every table with a full header and no broken rows, even with | in ids and messages', () => {
    const { markdown, html } = render(FINDINGS, baselineContext());
    // As a renderer without raw HTML shows it, and as GitHub does (the folded tables inside <details>).
    for (const rendered of [html, gfm.render(markdown)]) {
      const all = tables(rendered);
      assert.ok(all.length >= 15, `expected many tables, got ${all.length}`);
      for (const table of all) {
        for (const row of table.rows) {
          assert.equal(row.length, table.header.length, `row ${JSON.stringify(row)} under ${JSON.stringify(table.header)}`);
        }
      }
    }
  });

  it('leads with the answer: result, counts, who ran it, when, tool version and the JSON evidence\'s SHA-256', () => {
    const context = makeContext({ scope: { ...makeContext().scope, principalArn: 'arn:aws:sts::111122223333:assumed-role/Audit|er/jo`e' } });
    const { markdown } = render(FINDINGS, context);
    assert.match(markdown, /^# CloudTrail compliance report/);
    const top = md.render(lead(markdown));
    assert.match(decode(top), /^Result: FAIL — 3 unsuppressed failures at or above low\./mu);
    assert.match(decode(top), /4 FAIL \(1 of them suppressed: accepted risks\) · 3 UNKNOWN · 3 PASS · 1 N\/A · pass rate 42\.9% of the 7 determined verdicts/u);
    const run = new Map(tables(top)[0]!.rows.map((r): [string, string] => [r[0] ?? '', r[1] ?? '']));
    assert.equal(run.get('Audited by'), 'arn:aws:sts::111122223333:assumed-role/Audit|er/jo`e');
    assert.equal(run.get('When'), '2025-01-15T10:00:00.000Z to 2025-01-15T10:00:02.500Z');
    assert.equal(run.get('Tool'), 'trailaudit 0.1.0');
    assert.equal(run.get('Scope'), 'account 111122223333, eu-west-1, us-east-1, us-west-2');
    const sha = createHash('sha256').update(formatJson(FINDINGS, context), 'utf8').digest('hex');
    assert.equal(run.get('Evidence'), `trailaudit.json SHA-256 ${sha}`);
    assert.match(tables(render().html)[0]!.rows[0]![1]!, /^not recorded/u, 'no principal: said, not left blank');
  });

  it('puts the answer and the most severe failures first, scope and API calls at the end', () => {
    const { markdown, html } = render(FINDINGS, makeContext());
    const headings = [...sections(html).keys()];
    assert.deepEqual(headings.slice(0, 3), ['Status', 'Failures', 'Audit gaps']);
    assert.deepEqual(headings.slice(-2), ['Scope', 'Framework mapping']);
    assert.ok(markdown.indexOf('**Result: FAIL**') < markdown.indexOf('API calls'));
    assert.ok(!lead(markdown).includes('API calls'));
  });

  it('orders failures by severity: CRITICAL before MEDIUM before LOW, in the lead and in the table', () => {
    const bucket = { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::open-logs', accountId: ACCOUNT, region: 'us-east-1' };
    const low = makeFinding({ checkId: 'CloudTrail.4', status: 'FAIL', resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_PIPE, accountId: ACCOUNT, region: 'us-east-1' }, message: 'low one' });
    const medium = makeFinding({ checkId: 'CloudTrail.10', status: 'FAIL', resource: { type: 'AWS::CloudTrail::EventDataStore', id: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x', accountId: ACCOUNT, region: 'us-east-1' }, message: 'medium one' });
    const critical = makeFinding({ checkId: 'CloudTrail.6', status: 'FAIL', resource: bucket, message: 'critical one' });
    const { markdown, html } = render([low, medium, critical], makeContext());
    const top = lead(markdown);
    assert.ok(top.indexOf('critical one') < top.indexOf('medium one') && top.indexOf('medium one') < top.indexOf('low one'), top);
    const table = tables(section(html, 'Failures'))[0]!;
    assert.deepEqual(table.rows.map((r) => [r[1], r[2]]), [['CRITICAL', 'CloudTrail.6'], ['MEDIUM', 'CloudTrail.10'], ['LOW', 'CloudTrail.4']]);
    // The folded blocks follow the same order.
    assert.deepEqual([...folds(gfm.render(markdown)).keys()].slice(0, 3).map((k) => k.split(' ')[0]), ['CloudTrail.6', 'CloudTrail.10', 'CloudTrail.4']);
  });

  it('keeps scope, threshold and API-call counts in the Scope section at the end', () => {
    const { html } = render();
    const scope = tables(section(html, 'Scope'))[0]!;
    const values = new Map(scope.rows.map((r): [string, string] => [r[0] ?? '', r[1] ?? '']));
    assert.equal(values.get('Source'), 'live');
    assert.equal(values.get('Accounts'), ACCOUNT);
    assert.equal(values.get('Regions'), 'eu-west-1, us-east-1, us-west-2');
    assert.match(values.get('Fail threshold') ?? '', /^low/);
    assert.equal(values.get('Duration'), '2.5 s');
    assert.match(values.get('API calls') ?? '', /^9 \(cloudtrail:DescribeTrails 3, cloudtrail:GetTrailStatus 2, s3:GetBucketAcl 4\)$/);
    assert.equal(values.get('Checks evaluated'), '5 (CloudTrail.1, CloudTrail.3, CloudTrail.4, CloudTrail.6, CloudTrail.10)');
  });

  it('names the --framework in the scope, with its key and pattern set, and only when one was given', () => {
    const rows = (context: ReportContext): Map<string, string> => new Map(tables(section(render(FINDINGS, context).html, 'Scope'))[0]!.rows.map((r): [string, string] => [r[0] ?? '', r[1] ?? '']));
    const scope = { ...makeContext().scope, framework: 'cis-1.4' };
    assert.equal(
      rows(makeContext({ scope })).get('Framework'),
      'cis-1.4 (CIS 1.4.0: only the enabled checks mapped to frameworks.cis-aws-1.4.0; metric-filter pattern set cis-1.4)',
    );
    assert.equal(rows(makeContext()).has('Framework'), false);
  });

  it('says a re-evaluated snapshot made no calls of its own', () => {
    const { html } = render(FINDINGS, makeContext({ scope: { source: 'live', accounts: [ACCOUNT], regions: ['us-east-1'], inputs: ['/tmp/facts.json'] } }));
    const values = new Map(tables(section(html, 'Scope'))[0]!.rows.map((r): [string, string] => [r[0] ?? '', r[1] ?? '']));
    assert.equal(values.get('Source'), 'live (re-evaluated from a saved snapshot, no AWS calls in this run)');
    assert.equal(values.get('Inputs'), '/tmp/facts.json');
    assert.match(values.get('API calls (when the snapshot was collected)') ?? '', /^9 /);
    assert.equal(values.has('API calls'), false);
  });

  it('has a per-control table with one row per enabled check plus a total', () => {
    const { html } = render();
    const summary = section(html, 'Controls');
    const table = tables(summary)[0]!;
    assert.deepEqual(table.header, ['Control', 'Title', 'Severity', 'PASS', 'FAIL', 'UNKNOWN', 'N/A', 'Suppressed', 'Verdict']);
    assert.equal(table.rows.length, CHECKS.length + 1);
    assert.deepEqual(
      table.rows.slice(0, -1).map((r) => r[0]),
      CHECKS.map((c) => c.id),
    );
    assert.deepEqual(table.rows.find((r) => r[0] === 'CloudTrail.4'), [
      'CloudTrail.4', 'CloudTrail log file validation should be enabled', 'LOW', '1', '2', '0', '1', '1', 'FAIL',
    ]);
    assert.equal(table.rows.find((r) => r[0] === 'CloudTrail.6')![8], 'UNKNOWN');
    assert.equal(table.rows.find((r) => r[0] === 'CloudTrail.10')![8], 'N/A');
    assert.deepEqual(table.rows.at(-1), ['Total', '', '', '3', '4', '3', '1', '1', '']);
  });

  it('lists every failure in one row, a suppressed one as "FAIL, suppressed until …", never as PASS', () => {
    const { html } = render();
    const table = tables(section(html, 'Failures'))[0]!;
    assert.deepEqual(table.header, ['Status', 'Severity', 'Control', 'Account', 'Region', 'Resource']);
    assert.deepEqual(table.rows, [
      ['FAIL', 'HIGH', 'CloudTrail.1', ACCOUNT, 'global', 'account'],
      ['FAIL', 'HIGH', 'CloudTrail.3', ACCOUNT, 'us-east-1', 'account'],
      ['FAIL', 'LOW', 'CloudTrail.4', ACCOUNT, 'us-east-1', TRAIL_PIPE],
      ['FAIL, suppressed until 2027-06-30', 'LOW', 'CloudTrail.4', ACCOUNT, 'us-east-1', TRAIL_LEGACY],
    ]);
    assert.doesNotMatch(formatMarkdown(FINDINGS, makeContext()), /\bPASS\b[^\n]*legacy-1/u, 'the suppressed failure is nowhere called a pass');
  });

  it('folds each failing control\'s evidence and its fix, given once per control with the snippets folded', () => {
    const html = gfm.render(formatMarkdown(FINDINGS, makeContext()));
    const blocks = folds(section(html, 'Failures'));
    const key = [...blocks.keys()].find((k) => k.startsWith('CloudTrail.4'))!;
    assert.equal(key, 'CloudTrail.4 — CloudTrail log file validation should be enabled (LOW): 1 failing, 1 accepted (suppressed)');
    const block = blocks.get(key)!;
    const rows = tables(block)[0]!.rows;
    assert.deepEqual(rows.map((r) => [r[0], r[1]]), [['FAIL', TRAIL_PIPE], ['FAIL, suppressed until 2027-06-30', TRAIL_LEGACY]]);
    assert.deepEqual(tables(block)[0]!.header, ['Status', 'Resource', 'Region', 'Finding', 'Evidence', 'Fix for this resource'], 'one account: no Account column');
    assert.deepEqual(rows[0]!.slice(3), [
      'Trail main|prod does not have `log file validation` enabled.',
      'logFileValidationEnabled: false; note: line one line two | <b>',
      "aws cloudtrail update-trail --name 'main|prod' --enable-log-file-validation",
    ]);
    assert.equal((block.match(/How to fix:/gu) ?? []).length, 1, 'the fix once per control, not once per resource');
    const failures = section(html, 'Failures');
    assert.equal((failures.match(/<code class="language-sh">aws cloudtrail update-trail --name &lt;trail&gt; --enable-log-file-validation/gu) ?? []).length, 1);
    assert.match(failures, /<summary>AWS CLI, CloudFormation, Terraform<\/summary>\s*<p>AWS CLI:<\/p>\s*<pre><code class="language-sh">/u);
    assert.match(failures, /<code class="language-yaml">Type: AWS::CloudTrail::Trail/);
    assert.match(failures, /<code class="language-hcl">resource &quot;aws_cloudtrail&quot;/);
    assert.match(failures, /<a href="https:\/\/docs\.aws\.amazon\.com\/securityhub/);
    assert.ok(!decode(failures).includes(TRAIL_SPECIAL), 'a passing trail is not under Failures');
  });

  it('shows the evidence of passes too, folded per control', () => {
    const html = gfm.render(formatMarkdown(FINDINGS, makeContext()));
    const blocks = folds(section(html, 'Passed, with evidence'));
    assert.deepEqual([...blocks.keys()].map((k) => k.split(' ')[0]), ['CloudTrail.3', 'CloudTrail.4', 'CloudTrail.6']);
    const trail = tables(blocks.get('CloudTrail.4 — CloudTrail log file validation should be enabled: 1 result passed')!)[0]!;
    assert.deepEqual(trail.rows, [[TRAIL_SPECIAL, 'us-east-1', 'Trail a<&>"b" has log file validation enabled.', 'logFileValidationEnabled: true']]);
  });

  it('lists every UNKNOWN with its reason and the permission or account needed', () => {
    const { html } = render();
    const table = tables(section(html, 'Audit gaps'))[0]!;
    assert.deepEqual(table.header, ['Control', 'Severity', 'Account', 'Resource', 'Region', 'Reason', 'What could not be read', 'Needed']);
    assert.deepEqual(table.rows, [
      ['CloudTrail.6', 'CRITICAL', ACCOUNT, BUCKET_DENIED, 'us-east-1', 'access_denied', 'GetBucketAcl was denied.', 'permission s3:GetBucketAcl, in us-east-1'],
      ['CloudTrail.6', 'CRITICAL', ACCOUNT, BUCKET_DENIED, 'us-east-1', 'access_denied', 'GetBucketPolicy was denied.', 'permission s3:GetBucketPolicy, in us-east-1'],
      // Matched by a suppression, still listed: a suppression never closes an UNKNOWN.
      ['CloudTrail.6', 'CRITICAL', ACCOUNT, BUCKET_SUPPRESSED, 'us-west-2', 'access_denied', 'GetBucketAcl was denied.', 'permission s3:GetBucketAcl, in us-west-2'],
      ['CloudTrail.6', 'CRITICAL', '444455556666', BUCKET_CROSS, 'us-east-1', 'cross_account', 'The bucket ACL belongs to another account.', 'permission s3:GetBucketAcl, credentials for account 444455556666, in us-east-1'],
    ]);
    assert.match(decode(section(html, 'Audit gaps')), /--allow-unknown/);
    assert.match(decode(section(html, 'Audit gaps')), /not in the pass rate/);
  });

  it('asks for a permission only when access was denied, not for a failed or throttled call', () => {
    const throttled = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'UNKNOWN',
      reason: 'throttled',
      resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_PIPE, accountId: ACCOUNT, region: 'us-east-1' },
      unknowns: [{ reason: 'throttled', message: 'Rate exceeded.', operation: 'cloudtrail:GetTrailStatus', region: 'us-east-1' }],
    });
    const { html } = render([throttled]);
    const row = tables(section(html, 'Audit gaps'))[0]!.rows[0]!;
    assert.deepEqual(row.slice(5), ['throttled', 'Rate exceeded.', 'cloudtrail:GetTrailStatus to succeed, in us-east-1']);
  });

  it('lists NOT_APPLICABLE findings in their own section', () => {
    const { html } = render();
    assert.deepEqual(keys(tables(section(html, 'Not applicable'))[0]), [['CloudTrail.4', TRAIL_ORG, 'us-east-1']]);
  });

  it('has a suppression register that flags expired and unused entries', () => {
    const { html } = render();
    const register = section(html, 'Suppression register');
    assert.match(register, /<blockquote>\s*<p><strong>Warning:<\/strong> 1 suppression has expired/);
    const table = tables(register)[0]!;
    assert.deepEqual(table.header, ['Check', 'Resource pattern', 'Region', 'Reason', 'Expires', 'State', 'Matched']);
    assert.equal(table.rows.length, 4);
    const expiredIndex = table.rows.findIndex((r) => r[1] === SUPPRESSION_EXPIRED.resource);
    assert.deepEqual(table.rows[expiredIndex], ['CloudTrail.4', SUPPRESSION_EXPIRED.resource, 'any', 'migration window (SEC-99)', '2024-01-31', 'EXPIRED (ignored)', '1']);
    assert.match(table.rawRows[expiredIndex]![5]!, /<strong>EXPIRED<\/strong>/);
    assert.deepEqual(table.rows.find((r) => r[1] === SUPPRESSION_UNUSED.resource)!.slice(2), ['eu-*', 'decommissioned account', '2030-12-31', 'unused (matched nothing)', '0']);
    assert.deepEqual(table.rows.filter((r) => r[5] === 'active').map((r) => r[6]), ['1']);
    assert.deepEqual(table.rows.find((r) => r[1] === SUPPRESSION_SANDBOX.resource)!.slice(5), ['unused (accepted no failure)', '1']);
    assert.match(decode(register), /CloudTrail\.6 arn:aws:s3:::sandbox-\* matched 1 UNKNOWN finding, which a suppression cannot accept: it stays open/);
  });

  it('shows in the scope the check parameters the rules file changed, and only when checks declare any', () => {
    const scopeRows = (context: ReportContext): string[][] => tables(section(render(FINDINGS, context).html, 'Scope'))[0]!.rows;
    assert.ok(!scopeRows(makeContext()).some((r) => r[0] === 'Check parameters'));
    const tagged = CHECKS.map((c) =>
      c.id === 'CloudTrail.4' ? { ...c, parameters: { keys: { type: 'string[]' as const, description: 'd', default: [] }, days: { type: 'integer' as const, description: 'd', default: 7 } } } : c,
    );
    const changed = scopeRows(makeContext({ checks: tagged, checkParameters: { 'CloudTrail.4': { keys: ['a|b'], days: 7 } } }));
    assert.deepEqual(changed.find((r) => r[0] === 'Check parameters'), ['Check parameters', 'CloudTrail.4 keys = ["a|b"] (default [])']);
    const defaults = scopeRows(makeContext({ checks: tagged, checkParameters: { 'CloudTrail.4': { keys: [], days: 7 } } }));
    assert.deepEqual(defaults.find((r) => r[0] === 'Check parameters'), ['Check parameters', 'all defaults']);
  });

  it('says so when no suppressions are configured', () => {
    const { html } = render(FINDINGS, makeContext({ suppressions: [] }));
    assert.match(decode(section(html, 'Suppression register')), /No suppressions configured\./);
  });

  describe('changes since last audit', () => {
    it('is absent without a baseline', () => {
      const { html } = render();
      assert.equal(sections(html).has('Changes since last audit'), false);
    });

    it('lists new, fixed and still failing by control + resource id + region', () => {
      const { html } = render(FINDINGS, baselineContext());
      const changes = section(html, 'Changes since last audit');
      assert.match(
        decode(changes),
        /Compared with reports\/previous\.json \(finished 2025-01-01T00:00:00\.000Z\).*1 new, 2 fixed, 2 still failing, 1 not fixed but no longer counted \(UNKNOWN now, or accepted by a suppression\), 1 no longer reported\./,
      );
      const subs = subsections(changes);
      assert.deepEqual(keys(tables(subs.get('New failures')!)[0]), [['CloudTrail.3', ACCOUNT, 'us-east-1']]);
      assert.deepEqual(keys(tables(subs.get('Fixed')!)[0]), [
        ['CloudTrail.3', ACCOUNT, 'eu-west-1'],
        ['CloudTrail.4', TRAIL_SPECIAL, 'us-east-1'],
      ]);
      assert.deepEqual(tables(subs.get('Fixed')!)[0]!.rows.map((r) => r[3]), ['PASS', 'PASS']);
      // Nothing was seen to pass, so a resource that is no longer reported is not "fixed".
      const gone = tables(subs.get('No longer reported (resource removed, or outside this audit)')!)[0]!;
      assert.deepEqual(keys(gone), [['CloudTrail.4', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/deleted`, 'us-east-1']]);
      assert.deepEqual(keys(tables(subs.get('Still failing')!)[0]), [
        ['CloudTrail.1', ACCOUNT, 'global'],
        ['CloudTrail.4', TRAIL_PIPE, 'us-east-1'],
      ]);
      assert.deepEqual(keys(tables(subs.get('Not confirmed fixed')!)[0]), [['CloudTrail.6', BUCKET_CROSS, 'us-east-1']]);
      // The baseline's suppressed FAIL (legacy) was not a failure, so it is neither fixed nor still failing.
      assert.ok(!decode(changes).includes(TRAIL_LEGACY));
    });

    it('matches a resource whose region could not be read this time (a deleted bucket) instead of calling it fixed', () => {
      const bucket = { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::gone-logs', accountId: ACCOUNT, region: 'eu-west-1' };
      const before = makeFinding({ checkId: 'CloudTrail.6', status: 'FAIL', resource: bucket });
      const now = makeFinding({ checkId: 'CloudTrail.6', status: 'UNKNOWN', reason: 'not_found', resource: { ...bucket, accountId: null, region: 'unknown' } });
      const previous = parseBaseline(formatJson([before], makeContext()), 'previous.json');
      const subs = subsections(section(render([now], makeContext({ baseline: previous })).html, 'Changes since last audit'));
      assert.match(decode(subs.get('Fixed')!), /None\./);
      assert.deepEqual(keys(tables(subs.get('Not confirmed fixed')!)[0]), [['CloudTrail.6', 'arn:aws:s3:::gone-logs', 'eu-west-1']]);
    });

    it('reports nothing new when the baseline is the same run', () => {
      const same = parseBaseline(formatJson(FINDINGS, makeContext()), 'same.json');
      const { html } = render(FINDINGS, makeContext({ baseline: same }));
      const subs = subsections(section(html, 'Changes since last audit'));
      assert.match(decode(subs.get('New failures')!), /None\./);
      assert.match(decode(subs.get('Fixed')!), /None\./);
      assert.equal(tables(subs.get('Still failing')!)[0]!.rows.length, 3);
    });
  });

  it('keeps ids with backticks, pipes and newlines inside one cell, rendered literally', () => {
    const weird = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'NOT_APPLICABLE',
      resource: { type: 'AWS::CloudTrail::Trail', id: 'Trail`one`|two', accountId: null, region: 'us-east-1' },
      message: 'first line\nsecond | line with `code` and *stars* and <script>',
    });
    const { html } = render([weird]);
    const table = tables(section(html, 'Not applicable'))[0]!;
    assert.equal(table.rows.length, 1);
    assert.deepEqual(table.rows[0], ['CloudTrail.4', 'Trail`one`|two', 'us-east-1', 'first line second | line with `code` and *stars* and <script>']);
    assert.match(table.rawRows[0]![1]!, /^<code>Trail`one`\|two<\/code>$/);
    assert.ok(!html.includes('<script>'), 'raw HTML in messages is not passed through');
    assert.ok(!table.rawRows[0]![3]!.includes('<em>'), 'markup in messages is not interpreted');
  });

  it('marks failures below the fail threshold and reports an incomplete audit', () => {
    const { markdown, html } = render(FINDINGS, makeContext({ failOn: 'critical' }));
    const summary = section(html, 'Controls');
    // The three UNKNOWNs (one matched by a suppression, which cannot close it) make the audit incomplete.
    assert.match(decode(md.render(lead(markdown))), /Result: INCOMPLETE — no unsuppressed failure at or above critical, but 3 verdicts could not be determined\. 3 failures below the threshold are reported but do not fail the audit\. 1 failure is accepted by a suppression\./);
    const row = tables(summary)[0]!.rows.find((r) => r[0] === 'CloudTrail.4')!;
    assert.equal(row[8], 'FAIL (below threshold)');
  });

  it('calls the audit incomplete for gaps below the fail threshold too (same rule as exit code 3), and says when that was accepted', () => {
    const lowUnknown = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'UNKNOWN',
      reason: 'throttled',
      resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_PIPE, accountId: ACCOUNT, region: 'us-east-1' },
    });
    const result = decode(md.render(lead(render([lowUnknown], makeContext({ failOn: 'critical' })).markdown)));
    assert.match(result, /Result: INCOMPLETE — no unsuppressed failure at or above critical, but 1 verdict could not be determined\./);
    assert.doesNotMatch(result, /Result: PASS|accepted/);
    const accepted = decode(md.render(lead(render([lowUnknown], makeContext({ failOn: 'critical', allowUnknown: true })).markdown)));
    assert.match(accepted, /Result: INCOMPLETE — .* 1 verdict could not be determined\. The incomplete audit was accepted with --allow-unknown\./);
  });

  it('shows a control whose only failures are suppressed as failing with an accepted risk, never PASS', () => {
    const trail = { type: 'AWS::CloudTrail::Trail', id: TRAIL_LEGACY, accountId: ACCOUNT, region: 'us-east-1' };
    const accepted = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: trail,
      suppressed: { reason: 'legacy', expires: '2099-01-01', resource: TRAIL_LEGACY },
    });
    const passing = makeFinding({ checkId: 'CloudTrail.4', status: 'PASS', resource: { ...trail, id: TRAIL_PIPE } });
    const { markdown, html } = render([accepted, passing], makeContext());
    const row = tables(section(html, 'Controls'))[0]!.rows.find((r) => r[0] === 'CloudTrail.4')!;
    assert.equal(row[8], 'FAIL, accepted risk (1 suppressed failure)');
    assert.deepEqual(tables(section(html, 'Failures'))[0]!.rows.map((r) => r[0]), ['FAIL, suppressed until 2099-01-01']);
    const result = decode(md.render(lead(markdown)));
    assert.match(result, /Result: PASS WITH ACCEPTED RISKS — no unsuppressed failure at or above low; 1 failure accepted by a suppression/);
    assert.doesNotMatch(result, /Result: PASS —/);
  });

  it('reports PASS when nothing fails and everything was evaluated', () => {
    const passing = FINDINGS.filter((f) => f.status === 'PASS');
    const { markdown, html } = render(passing);
    assert.match(decode(md.render(lead(markdown))), /Result: PASS —/);
    assert.match(decode(section(html, 'Failures')), /No failures\./);
    assert.match(decode(section(html, 'Audit gaps')), /Every verdict could be determined\./);
  });

  it('is deterministic and newline-terminated', () => {
    const a = formatMarkdown(FINDINGS, baselineContext());
    assert.equal(a, formatMarkdown(FINDINGS, baselineContext()));
    assert.ok(a.endsWith('\n') && !a.endsWith('\n\n'));
  });
});

describe('Markdown report of a scan', () => {
  const trailAt = (file: string, line: number): Finding =>
    makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: { type: 'AWS::CloudTrail::Trail', id: 'Trail', accountId: null, region: '(deployment region)', location: { file, line: 3, column: 3 } },
      location: { file, line, column: 7 },
    });
  const context = makeContext({
    scope: { source: 'iac', accounts: ['(scanned files)'], regions: [], inputs: ['stacks/a b.yaml', 'plans/prod.json'] },
    inputErrors: [{ file: 'stacks/bad|name.yaml', line: 7, column: 1, path: '', message: 'invalid YAML: <tab> indentation' }],
  });
  const markdown = formatMarkdown([trailAt('stacks/a b.yaml', 19)], context);
  const html = md.render(markdown);

  it('lists the scanned files with their counts and the files that could not be scanned', () => {
    assert.match(html, /<h2>Files<\/h2>/u);
    assert.match(html, /<td><code>stacks\/a b.yaml<\/code><\/td>\s*<td>1<\/td>\s*<td>1<\/td>\s*<td>0<\/td>/u);
    assert.match(html, /<td><code>plans\/prod.json<\/code><\/td>\s*<td>0<\/td>/u);
    assert.match(html, /<h3>Could not be scanned<\/h3>/u);
    // The pipe in the file name stays inside its cell; the message's markup is escaped.
    assert.match(html, /<td><code>stacks\/bad\|name.yaml<\/code><\/td>\s*<td>7:1<\/td>\s*<td>invalid YAML: &lt;tab&gt; indentation<\/td>/u);
    assert.match(html, /2 files scanned, <strong>1 file could not be scanned<\/strong>/u);
  });

  it('locates findings as file:line of the offending property, in the lead too', () => {
    assert.match(html, /<code>stacks\/a b.yaml:19<\/code>/u);
    assert.match(markdown.slice(0, markdown.indexOf('\n## ')), /^- \*\*LOW\*\* CloudTrail\.4 — `Trail` \(`stacks\/a b\.yaml:19`\): /mu);
  });

  it('has no Files section for a live audit', () => {
    assert.doesNotMatch(formatMarkdown(FINDINGS, makeContext()), /## Files/u);
  });
});
