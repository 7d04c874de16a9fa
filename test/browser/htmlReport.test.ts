/**
 * The HTML report in real headless Chromium (test/browser/chromium.ts), opened from disk as a
 * reader would: no console error or warning (a CSP violation is one), no request but the file
 * itself, charts and findings present, the filter and the sort work, the page reads without
 * JavaScript, and it prints.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'mocha';
import { loadChecks } from '../../src/load/loadChecks.js';
import { formatHtml } from '../../src/report/html.js';
import { FINDINGS } from '../report/fixtures.js';
import { historyContext } from '../report/htmlFixtures.js';
import { generatedOrganization } from '../report/organizationFixtures.js';
import { assertChromium, openReport, type OpenedPage } from './chromium.js';

/** Rows of the findings table a reader can see. */
async function visibleRows(opened: OpenedPage): Promise<string[]> {
  const rows = await opened.page.locator('#findings-table tbody tr:visible').all();
  return Promise.all(rows.map(async (row) => (await row.getAttribute('data-k')) ?? ''));
}

async function column(opened: OpenedPage, index: number): Promise<string[]> {
  return opened.page.locator(`#findings-table tbody tr > td:nth-child(${String(index + 1)})`).allTextContents();
}

describe('HTML report in headless Chromium', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;

  before(() => {
    assertChromium();
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-html-'));
    file = join(dir, 'trailaudit.html');
    writeFileSync(file, formatHtml(FINDINGS, historyContext()));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders from disk with its charts and findings, no console problem and no request but the file', async () => {
    const opened = await openReport(file);
    try {
      assert.deepEqual(opened.problems, []);
      assert.deepEqual(opened.requests, [pathToFileURL(file).href]);
      const charts = await Promise.all(
        (await opened.page.locator('svg.chart').all()).map(async (svg) => ({ cls: await svg.getAttribute('class'), width: (await svg.boundingBox())?.width ?? 0 })),
      );
      assert.ok(charts.length >= 3, JSON.stringify(charts));
      assert.ok(charts.some((c) => c.cls === 'chart trend'), 'no trend chart');
      assert.ok(charts.every((c) => c.width > 100), 'a chart did not render');
      assert.equal((await visibleRows(opened)).length, FINDINGS.length);
      assert.equal(await opened.page.textContent('h1'), 'Result: FAIL');
      // The script ran: the filter form is shown and counts the rows.
      assert.equal(await opened.page.isVisible('#filters'), true);
      assert.equal(await opened.page.textContent('#f-count'), `${String(FINDINGS.length)} of ${String(FINDINGS.length)} findings shown`);
    } finally {
      await opened.close();
    }
  });

  it('filters by status, by account and by free text', async () => {
    const opened = await openReport(file);
    try {
      await opened.page.selectOption('#f-status', 'fail');
      assert.deepEqual(await visibleRows(opened), ['fail', 'fail', 'fail']);
      await opened.page.selectOption('#f-status', '');
      await opened.page.selectOption('#f-account', '444455556666');
      assert.deepEqual(await visibleRows(opened), ['unknown', 'na']);
      await opened.page.selectOption('#f-account', '');
      await opened.page.fill('#f-text', 'SEC-123');
      // The suppression's reason is in the folded details of the legacy trail only.
      assert.deepEqual(await visibleRows(opened), ['accepted']);
      assert.equal(await opened.page.textContent('#f-count'), `1 of ${String(FINDINGS.length)} findings shown`);
      await opened.page.fill('#f-text', '');
      assert.equal((await visibleRows(opened)).length, FINDINGS.length);
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  });

  it('sorts by a column, ascending then descending; severity and status put what matters most first', async () => {
    const opened = await openReport(file);
    try {
      const before = await column(opened, 4);
      assert.notDeepEqual(before, [...before].sort(), 'the fixture must start unsorted by Region');
      await opened.page.click('#findings-table thead th:nth-child(5) button');
      const regions = await column(opened, 4);
      assert.deepEqual(regions, [...before].sort());
      await opened.page.click('#findings-table thead th:nth-child(5) button');
      assert.deepEqual(await column(opened, 4), [...regions].sort().reverse());
      assert.equal(await opened.page.getAttribute('#findings-table thead th:nth-child(5)', 'aria-sort'), 'descending');
      await opened.page.click('#findings-table thead th:nth-child(2) button');
      const severities = await column(opened, 1);
      const rank = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
      assert.deepEqual(severities, [...severities].sort((a, b) => rank.indexOf(b) - rank.indexOf(a)));
      assert.equal(severities[0], 'CRITICAL');
      await opened.page.click('#findings-table thead th:nth-child(1) button');
      const statuses = await column(opened, 0);
      const order = (status: string): number => ['FAIL', 'FAIL, suppressed', 'UNKNOWN', 'PASS', 'NOT_APPLICABLE'].findIndex((prefix) => status.startsWith(prefix) && (prefix !== 'FAIL' || !status.includes('suppressed')));
      assert.ok(statuses.every((status) => order(status) >= 0), statuses.join(' / '));
      assert.deepEqual(statuses.map(order), [...statuses.map(order)].sort((a, b) => a - b), statuses.join(' / '));
    } finally {
      await opened.close();
    }
  });

  it('wraps a 128-character trail name instead of widening the page past the window', async () => {
    const name = `L${'o'.repeat(127)}`;
    const long = FINDINGS.map((f, i) => (i === 0 ? { ...f, message: `Trail ${name} does not validate its log files: ${name}.`, resource: { ...f.resource, name } } : f));
    const wide = join(dir, 'long-name.html');
    writeFileSync(wide, formatHtml(long, historyContext(long)));
    const opened = await openReport(wide);
    try {
      // A string: the tests compile without the DOM's types.
      const widths = await opened.page.evaluate<{ page: number; window: number; table: number }>(
        "({ page: document.documentElement.scrollWidth, window: window.innerWidth, table: document.getElementById('findings-table').getBoundingClientRect().width })",
      );
      assert.ok(widths.page <= widths.window, `page ${String(widths.page)} px wide in a ${String(widths.window)} px window`);
      assert.ok(widths.table <= widths.window, `findings table ${String(widths.table)} px wide`);
    } finally {
      await opened.close();
    }
  });

  it('reads without JavaScript: every row visible, no filter form', async () => {
    const opened = await openReport(file, { javaScript: false });
    try {
      assert.equal((await visibleRows(opened)).length, FINDINGS.length);
      assert.equal(await opened.page.isVisible('#filters'), false);
      assert.ok((await opened.page.locator('svg.chart').count()) >= 3);
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  });

  it('prints: no navigation or filter, folded details shown, a PDF', async () => {
    const opened = await openReport(file);
    try {
      await opened.page.emulateMedia({ media: 'print' });
      assert.equal(await opened.page.isVisible('nav'), false);
      assert.equal(await opened.page.isVisible('#filters'), false);
      // Evidence folded in a closed <details> on screen is on the paper.
      const evidence = opened.page.locator('#findings-table dl.evidence').first();
      assert.equal(await evidence.isVisible(), true);
      const pdf = await opened.page.pdf({ format: 'A4' });
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(pdf.length > 10_000, `PDF of ${String(pdf.length)} bytes`);
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  });

  it('renders a 200-account organization (31 checks) and filters it', async () => {
    const org = generatedOrganization(loadChecks(), 200);
    const big = join(dir, 'organization.html');
    const html = formatHtml(org.findings, org.context);
    writeFileSync(big, html);
    const started = Date.now();
    const opened = await openReport(big);
    try {
      const loadMs = Date.now() - started;
      assert.deepEqual(opened.problems, []);
      assert.equal(opened.requests.length, 1);
      assert.equal(await opened.page.locator('#findings-table tbody tr').count(), org.findings.length);
      const labels = await opened.page.locator('svg.heatmap text').allTextContents();
      assert.equal(labels.filter((t) => /^1000000001\d\d\b/.test(t)).length, 100);
      await opened.page.selectOption('#f-account', '100000000042');
      const shown = await opened.page.locator('#findings-table tbody tr:visible').count();
      assert.equal(shown, org.findings.filter((f) => f.resource.accountId === '100000000042').length);
      console.log(`      200 accounts: ${String(org.findings.length)} findings, ${String(Buffer.byteLength(html))} bytes, opened in ${String(loadMs)} ms`);
    } finally {
      await opened.close();
    }
  });
});
