/**
 * Contexts for the HTML report's tests: a history built by the real history code (two runs: the
 * baseline fixture's findings, then FINDINGS), a scan, and helpers to read the page back.
 */
import { decode } from './markdownHtml.js';

export { decode };
import type { Finding } from '../../src/engine/types.js';
import { EMPTY_INDEX } from '../../src/history/model.js';
import { planRun } from '../../src/history/record.js';
import type { ReportContext } from '../../src/report/types.js';
import { ACCOUNT, FINDINGS, PREVIOUS_FINDINGS, makeContext } from './fixtures.js';

export const FIRST_RUN = '2025-01-10T10:00:00.000Z';
export const SECOND_RUN = '2025-01-15T10:00:00.000Z';

/** FINDINGS as the second run of a history whose first run reported PREVIOUS_FINDINGS. */
export function historyContext(findings: readonly Finding[] = FINDINGS): ReportContext {
  const scope = { accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1', 'us-west-2'], checks: ['CloudTrail.1', 'CloudTrail.3', 'CloudTrail.4', 'CloudTrail.6', 'CloudTrail.10'] };
  const first = planRun(EMPTY_INDEX, PREVIOUS_FINDINGS, scope, FIRST_RUN, FIRST_RUN);
  const second = planRun(first.indexWith(1000), findings, scope, SECOND_RUN, SECOND_RUN);
  return makeContext({ startedAt: SECOND_RUN, collectedAt: SECOND_RUN, history: second.annotations });
}

/** A CloudFormation scan: no account list, no caller, findings located in files. */
export function scanContext(): ReportContext {
  return makeContext({ scope: { source: 'cloudformation', accounts: [], regions: [], inputs: ['templates/trail.yaml'] }, suppressions: [] });
}

export function scanFindings(): Finding[] {
  return FINDINGS.filter((f) => f.checkId === 'CloudTrail.4').map((f) => ({
    ...f,
    resource: { ...f.resource, accountId: null, id: `Trail${f.resource.name ?? ''}` },
    location: { file: 'templates/trail.yaml', line: 12, column: 3 },
  }));
}

/** The HTML of `<section id="…">` (sections do not nest), or undefined. */
export function sectionOf(html: string, id: string): string | undefined {
  const start = html.indexOf(`<section id="${id}"`);
  if (start < 0) {
    return undefined;
  }
  return html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}


/** The findings table's body rows: each row's category and decoded cells. */
export function findingRows(html: string): { category: string; cells: string[]; raw: string }[] {
  const table = /<table id="findings-table"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr data-k="([a-z]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    category: m[1]!,
    raw: m[2]!,
    // The result cell's folded details are left out of its text.
    cells: [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!.replace(/<details>[\s\S]*<\/details>/, '')).trim()),
  }));
}
