/**
 * `trailaudit.md` as a user gets it from the built CLI on moto, two audits with `--history` and a
 * fix between them: the answer first (principal, the SHA-256 of the trailaudit.json actually
 * written), the mermaid pie with the JSON summary's numbers, and in the second run the trend, the
 * fixed result and "failing since", all checked against the JSON report of the same run.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutBucketAclCommand } from '@aws-sdk/client-s3';
import MarkdownIt from 'markdown-it';
import { useMoto } from '../../support/moto/mocha.js';
import { decode, section, tables } from '../report/markdownHtml.js';
import { runCli } from './runCli.js';
import { MAIN_TRAIL, PUBLIC_LOG_BUCKET, useSeededWorkspace } from '../helpers/publicLogTrail.js';

interface Report {
  scope: { principalArn?: string };
  summary: Record<string, number>;
  findings: { control: string; status: string; resource: { id: string }; failingSince?: string }[];
  history?: { trend: { startedAt: string }[]; fixedSinceLastRun: { control: string; resourceId: string; fixedAt: string }[] };
}

const md = new MarkdownIt();
const TRAIL = MAIN_TRAIL;
const BUCKET = PUBLIC_LOG_BUCKET;

describe('trailaudit.md (built CLI, moto, --history)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  const space = useSeededWorkspace(moto, 'trailaudit-markdown-');

  async function audit(out: string): Promise<{ report: Report; json: string; markdown: string }> {
    const result = await runCli(
      ['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--checks', 'CloudTrail.1,CloudTrail.4,CloudTrail.6', '--format', 'json,markdown', '--output-dir', out, '--history', 'hist', '--quiet'],
      { cwd: space.work },
    );
    assert.equal(result.code, 1, result.stderr);
    const json = readFileSync(join(space.work, out, 'trailaudit.json'), 'utf8');
    return { report: JSON.parse(json) as Report, json, markdown: readFileSync(join(space.work, out, 'trailaudit.md'), 'utf8') };
  }

  function pie(markdown: string): Record<string, number> {
    // After the init directive that colours the slices by status.
    const block = /^```mermaid\n%%\{init: [^\n]*\}%%\npie [^\n]*\n([\s\S]*?)\n```$/mu.exec(markdown);
    assert.ok(block, 'a mermaid pie');
    return Object.fromEntries(block[1]!.split('\n').map((line) => {
      const m = /^\s+"([^"]+)" : (\d+)$/u.exec(line);
      assert.ok(m, line);
      return [m[1]!, Number(m[2])];
    }));
  }

  it('leads with the answer and draws the trend, the fix and "failing since" once there is a history', async () => {
    const first = await audit('run1');
    const top = first.markdown.slice(0, first.markdown.indexOf('\n## '));
    assert.match(top, /^\*\*Result: FAIL\*\*/mu);
    assert.ok(first.report.scope.principalArn !== undefined);
    assert.ok(top.includes(`| Audited by | \`${first.report.scope.principalArn}\` |`), top);
    const sha = createHash('sha256').update(readFileSync(join(space.work, 'run1', 'trailaudit.json'))).digest('hex');
    assert.ok(top.includes(`SHA-256 \`${sha}\``), 'the SHA-256 of the trailaudit.json written');
    // The only CRITICAL failure is named first.
    assert.match(top, /^- \*\*CRITICAL\*\* CloudTrail\.6 — `arn:aws:s3:::public-logs`/mu);
    const { PASS = 0, FAIL = 0, UNKNOWN = 0, NOT_APPLICABLE = 0 } = first.report.summary;
    const expected = Object.fromEntries(Object.entries({ PASS, FAIL, UNKNOWN, 'N/A': NOT_APPLICABLE }).filter(([, n]) => n > 0));
    assert.deepEqual(pie(first.markdown), expected);
    // A first run has a trend table of one run, and no chart (one point draws no line).
    assert.doesNotMatch(first.markdown, /^xychart-beta$/mu);
    assert.match(first.markdown, /The chart starts with the second run of the history\./u);

    await space.s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'private' }));
    const second = await audit('run2');
    const html = md.render(second.markdown);
    const trend = section(html, 'Trend');
    const runs = tables(trend)[0]!;
    assert.deepEqual(runs.rows.map((r) => r[0]), second.report.history?.trend.map((t) => t.startedAt));
    assert.equal(runs.rows.length, 2);
    const fixed = tables(trend)[1]!;
    const fix = second.report.history?.fixedSinceLastRun.find((f) => f.resourceId === BUCKET);
    assert.ok(fix, 'the JSON history has the bucket fixed');
    assert.deepEqual(fixed.rows.map((r) => [r[0], r[3], r[5]]), [['CloudTrail.6', BUCKET, fix.fixedAt]]);
    const failures = tables(section(html, 'Failures'))[0]!;
    const trail = failures.rows.find((r) => r[2] === 'CloudTrail.4' && r[5] === TRAIL);
    const failingSince = second.report.findings.find((f) => f.control === 'CloudTrail.4' && f.resource.id === TRAIL)?.failingSince;
    assert.ok(trail && failingSince !== undefined);
    assert.equal(trail.at(-1), failingSince);
    assert.equal(failingSince, runs.rows[0]![0], 'failing since the first run');
    assert.ok(!failures.rows.some((r) => r[5] === BUCKET), 'the fixed bucket is no longer a failure');
    assert.match(decode(trend), /Mean time to fix: (?:[\d.]+ (?:days?|hours?|minutes?)|under a minute) over 1 fix/u);
  });
});
