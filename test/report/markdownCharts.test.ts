/**
 * The Markdown report's charts and history: the mermaid pie against the JSON summary, the trend
 * (only with a history) against its table and the history section, "failing since" from real
 * streaks (history/record.ts), and escaping of what lands in `<summary>` HTML and mermaid labels.
 */
import { strict as assert } from 'node:assert';
import MarkdownIt from 'markdown-it';
import { describe, it } from 'mocha';
import type { Finding } from '../../src/engine/types.js';
import { EMPTY_INDEX } from '../../src/history/model.js';
import { planRun } from '../../src/history/record.js';
import { formatHtml } from '../../src/report/html.js';
import { formatJson } from '../../src/report/json.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { htmlText, mermaidLabel } from '../../src/report/markdown/text.js';
import type { ReportContext } from '../../src/report/types.js';
import { decode, section, sections, tables } from './markdownHtml.js';
import { ACCOUNT, CHECKS, FINDINGS, TRAIL_PIPE, makeContext, makeFinding } from './fixtures.js';

const md = new MarkdownIt();
const gfm = new MarkdownIt({ html: true });

/** Each mermaid block's lines, without a leading `%%{init: …}%%` directive (see pieColours). */
function mermaidBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gmu)].map((m) => m[1]!.split('\n').filter((line) => !line.startsWith('%%{init:')));
}

/** The pie's init directive: its slice colours, pie1 first. */
function pieColours(markdown: string): string[] {
  const directive = /^%%\{init: (.*)\}%%$/mu.exec(markdown)?.[1];
  assert.ok(directive !== undefined, 'an init directive');
  const variables = (JSON.parse(directive) as { themeVariables: Record<string, string> }).themeVariables;
  return Object.keys(variables).filter((key) => /^pie\d+$/u.test(key)).sort().map((key) => variables[key]!);
}

function pieSlices(markdown: string): Map<string, number> {
  const pies = mermaidBlocks(markdown).filter((lines) => lines[0]!.startsWith('pie'));
  assert.equal(pies.length, 1, 'one pie');
  return new Map(pies[0]!.slice(1).map((line) => {
    const m = /^\s+"([^"]*)" : (\d+)$/u.exec(line);
    assert.ok(m, `slice line ${line}`);
    return [m[1]!, Number(m[2])];
  }));
}

const DAY1 = '2025-01-14T10:00:00.000Z';
const DAY2 = '2025-01-15T10:00:00.000Z';

/** Two real history runs: yesterday CloudTrail.3 in eu-west-1 failed too, today it passes (FINDINGS). */
function historyContext(): ReportContext {
  const scope = { accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1', 'us-west-2'], checks: CHECKS.map((c) => c.id) };
  const yesterday = FINDINGS.map((f) => (f.control === 'CloudTrail.3' && f.resource.region === 'eu-west-1' ? { ...f, status: 'FAIL' as const } : f));
  const first = planRun(EMPTY_INDEX, yesterday, scope, DAY1, DAY1);
  const second = planRun(first.indexWith(100), FINDINGS, scope, DAY2, DAY2);
  return makeContext({ startedAt: DAY2, history: second.annotations });
}

describe('Markdown report: charts', () => {
  it('draws a mermaid pie of the statuses with the JSON summary\'s numbers, then the same numbers in a table', () => {
    const context = makeContext();
    const markdown = formatMarkdown(FINDINGS, context);
    const summary = (JSON.parse(formatJson(FINDINGS, context)) as { summary: Record<string, number> }).summary;
    assert.deepEqual(Object.fromEntries(pieSlices(markdown)), { PASS: summary.PASS, FAIL: summary.FAIL, UNKNOWN: summary.UNKNOWN, 'N/A': summary.NOT_APPLICABLE });
    const table = new Map(tables(section(md.render(markdown), 'Status'))[0]!.rows.map((r): [string, number] => [r[0]!, Number(r[1])]));
    for (const [label, n] of pieSlices(markdown)) {
      assert.equal(table.get(label), n, label);
    }
    assert.equal(table.get('of which suppressed (FAIL, accepted risk)'), summary.suppressed);
  });

  it('colours each slice by its status, whichever slices are present', () => {
    assert.deepEqual(pieColours(formatMarkdown(FINDINGS, makeContext())), ['#2e7d32', '#c62828', '#e6a100', '#9e9e9e']);
    // Without passes, FAIL is the first slice: it keeps FAIL's red, not PASS's green.
    assert.deepEqual(pieColours(formatMarkdown(FINDINGS.filter((f) => f.status !== 'PASS'), makeContext())), ['#c62828', '#e6a100', '#9e9e9e']);
  });

  it('leaves zero slices out of the pie (the table keeps the zero)', () => {
    const passing = FINDINGS.filter((f) => f.status === 'PASS');
    const markdown = formatMarkdown(passing, makeContext());
    assert.deepEqual([...pieSlices(markdown).keys()], ['PASS']);
    const table = tables(section(md.render(markdown), 'Status'))[0]!;
    assert.deepEqual(table.rows.find((r) => r[0] === 'FAIL'), ['FAIL', '0']);
  });

  it('has no trend and no "Failing since" column without a history', () => {
    const markdown = formatMarkdown(FINDINGS, makeContext());
    assert.equal(sections(md.render(markdown)).has('Trend'), false);
    assert.equal(mermaidBlocks(markdown).some((lines) => lines[0] === 'xychart-beta'), false);
    assert.ok(!tables(section(md.render(markdown), 'Failures'))[0]!.header.includes('Failing since'));
  });

  it('says so when the runs of the trend evaluated different scopes (a narrower run is not an improvement)', () => {
    const wide = { accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1', 'us-west-2'], checks: CHECKS.map((c) => c.id) };
    const first = planRun(EMPTY_INDEX, FINDINGS, wide, DAY1, DAY1);
    const narrow = FINDINGS.filter((f) => f.resource.region === 'us-east-1');
    const second = planRun(first.indexWith(100), narrow, { ...wide, regions: ['us-east-1'] }, DAY2, DAY2);
    const trend = section(md.render(formatMarkdown(narrow, makeContext({ startedAt: DAY2, history: second.annotations }))), 'Trend');
    assert.deepEqual(tables(trend)[0]!.rows.map((r) => r[5]), ["1 account, 3 Regions, 5 checks (* not this run's scope)", '1 account, 1 Region, 5 checks']);
    assert.match(trend, /did not all evaluate the same scope/u);
  });

  it('on a history\'s first run, says there is no last run to compare with (not "none fixed")', () => {
    const scope = { accounts: [ACCOUNT], regions: ['us-east-1'], checks: CHECKS.map((c) => c.id) };
    const first = planRun(EMPTY_INDEX, FINDINGS, scope, DAY1, DAY1);
    const markdown = formatMarkdown(FINDINGS, makeContext({ startedAt: DAY1, history: first.annotations }));
    assert.match(markdown, /\*\*Fixed since the last run:\*\* this is the history's first run/u);
    // One run draws no line (mermaid shows empty axes): the table only, and a sentence saying so.
    assert.equal(mermaidBlocks(markdown).some((lines) => lines[0] === 'xychart-beta'), false);
    assert.match(markdown, /The chart starts with the second run of the history\./u);
    assert.equal(formatHtml(FINDINGS, makeContext({ startedAt: DAY1, history: first.annotations })).includes("this is the history's first run"), true);
  });

  it('numbers the runs on the axis past 10 runs (dates would not fit), as the table\'s first column does', () => {
    const scope = { accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1', 'us-west-2'], checks: CHECKS.map((c) => c.id) };
    let index = EMPTY_INDEX;
    let last: ReturnType<typeof planRun> | undefined;
    for (let day = 0; day < 12; day += 1) {
      const at = new Date(Date.parse(DAY1) + day * 86_400_000).toISOString();
      last = planRun(index, FINDINGS, day === 5 ? { ...scope, regions: ['us-east-1'] } : scope, at, at);
      index = last.indexWith(100);
    }
    assert.ok(last !== undefined);
    const markdown = formatMarkdown(FINDINGS, makeContext({ history: last.annotations }));
    const axis = mermaidBlocks(markdown).find((lines) => lines[0] === 'xychart-beta')?.find((line) => line.includes('x-axis'));
    assert.equal(axis, `    x-axis [${Array.from({ length: 12 }, (_, i) => `"${String(i + 1)}${i === 5 ? '*' : ''}"`).join(', ')}]`);
    const table = tables(section(md.render(markdown), 'Trend'))[0]!;
    assert.deepEqual(table.rows.map((r) => r[0]), Array.from({ length: 12 }, (_, i) => String(i + 1)));
    assert.equal(table.header[0], 'Run');
  });

  describe('with a history', () => {
    const context = historyContext();
    const markdown = formatMarkdown(FINDINGS, context);
    const html = md.render(markdown);

    it('draws the trend as an xychart whose lines equal the table that follows it and the history\'s counts', () => {
      const chart = mermaidBlocks(markdown).find((lines) => lines[0] === 'xychart-beta');
      assert.ok(chart, 'an xychart-beta block');
      // Its lines in the status colours, FAIL first (mermaid's default palette draws it pale).
      assert.match(markdown, /%%\{init: \{"themeVariables":\{"xyChart":\{"plotColorPalette":"#c62828, #e6a100, #2e7d32"\}\}\}\}%%\nxychart-beta/u);
      const lines = chart.filter((l) => l.trim().startsWith('line ')).map((l) => JSON.parse(l.trim().slice(5)) as number[]);
      assert.equal(lines.length, 3);
      assert.match(chart.find((l) => l.includes('x-axis'))!, /x-axis \["01-14", "01-15"\]/u);
      const trend = section(html, 'Trend');
      const table = tables(trend)[0]!;
      assert.deepEqual(table.header, ['Run started', 'FAIL', 'UNKNOWN', 'PASS', 'N/A', 'Evaluated']);
      assert.deepEqual(table.rows.map((r) => r[5]), ['1 account, 3 Regions, 5 checks', '1 account, 3 Regions, 5 checks']);
      assert.doesNotMatch(trend, /not all evaluate the same scope/u, 'same scope: no note');
      assert.deepEqual(table.rows.map((r) => r[0]), [DAY1, DAY2]);
      // FAIL, UNKNOWN, PASS in the chart's line order, column by column of the table.
      assert.deepEqual(lines, [1, 2, 3].map((col) => table.rows.map((r) => Number(r[col]))));
      // Today's row is this run's counts; yesterday one more FAIL and one less PASS.
      assert.deepEqual(table.rows[1]!.slice(1, 5), ['4', '3', '3', '1']);
      assert.deepEqual(table.rows[0]!.slice(1, 5), ['5', '3', '2', '1']);
    });

    it('lists what was fixed since the last run and the mean time to fix', () => {
      const trend = section(html, 'Trend');
      const fixed = tables(trend)[1]!;
      assert.deepEqual(fixed.rows, [['CloudTrail.3', ACCOUNT, 'eu-west-1', ACCOUNT, DAY1, DAY2, 'passes now']]);
      assert.match(decode(trend), /Mean time to fix: 1 day over 1 fix since 2025-01-14T10:00:00\.000Z\./u);
    });

    it('gives each failure its "failing since" from the history\'s streaks', () => {
      const table = tables(section(html, 'Failures'))[0]!;
      assert.equal(table.header.at(-1), 'Failing since');
      const pipe = table.rows.find((r) => r[5] === TRAIL_PIPE)!;
      assert.equal(pipe.at(-1), DAY1, 'failing in both runs: since the first');
    });
  });
});

describe('Markdown report: escaping for HTML and mermaid', () => {
  it('escapes a title in a <summary> as HTML, so it cannot open a tag or break the block', () => {
    const title = 'Trail <b>bold</b> & "quoted" \'single\' `tick` | pipe';
    const checks = CHECKS.map((c) => (c.id === 'CloudTrail.4' ? { ...c, title } : c));
    const failing: Finding = makeFinding({ checkId: 'CloudTrail.4', status: 'FAIL', resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_PIPE, accountId: ACCOUNT, region: 'us-east-1' } });
    const markdown = formatMarkdown([{ ...failing, title }], makeContext({ checks }));
    const html = gfm.render(markdown);
    assert.ok(!html.includes('<b>bold</b>'), 'no markup from a title');
    const summary = /<summary>(CloudTrail\.4[^<]*)<\/summary>/u.exec(html);
    assert.ok(summary, 'the summary is one text node');
    assert.equal(summary[1]!.replace(/&#(\d+);/gu, (_, n: string) => String.fromCharCode(Number(n))), `CloudTrail.4 — ${title} (LOW): 1 failing`);
    assert.equal(htmlText('<&>"\''), '&#60;&#38;&#62;&#34;&#39;');
  });

  it('keeps mermaid labels inside their quotes', () => {
    const label = mermaidLabel('a "quoted" #35; <tag>\nnext');
    assert.ok(!label.includes('"') && !label.includes('#') && !label.includes('<') && !label.includes('\n'), label);
  });
});
