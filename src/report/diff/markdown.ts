/**
 * `trailaudit-diff.md`, for people: the counts first, then new failures (what this change broke),
 * fixed, still failing and not evaluated, one compact row per item. Pure.
 */
import { codeCell, codeSpan, table, text } from '../markdown/text.js';
import { DIFF_JSON_FILE } from './json.js';
import type { DiffItem, DiffResult } from './result.js';

export const DIFF_MARKDOWN_FILE = 'trailaudit-diff.md';

const REASONS: Readonly<Record<string, string>> = {
  resource_gone: 'resource gone (its check ran there)',
  unknown: 'UNKNOWN now',
  check_not_run: 'check not run',
  account_not_in_scope: 'account not audited',
  region_not_in_scope: 'Region not audited',
  not_scanned: 'not in this scan (only a PASS fixes a scanned resource)',
};

function statusCell(status: string | null, suppressed: DiffItem['suppressedBefore']): string {
  if (status === null) {
    return 'not reported';
  }
  return suppressed === undefined ? status : `${status}, suppressed until ${text(suppressed.expires)}`;
}

function resourceCell(i: DiffItem): string {
  return i.file === undefined ? codeCell(i.resourceId) : `${codeCell(i.resourceId)} in ${codeCell(i.file)}`;
}

/** Why an item is listed where it is: the change's reason, or for a new failure, OLD's gap. */
function whyCell(i: DiffItem): string {
  if (i.notEvaluatedBefore !== undefined) {
    return text(`new to this comparison: OLD did not evaluate it (${REASONS[i.notEvaluatedBefore] ?? i.notEvaluatedBefore})`);
  }
  return text(i.reason === undefined ? '' : (REASONS[i.reason] ?? i.reason));
}

/**
 * Rows per list: the diff of two 200-account audits can list thousands of items, and the Markdown
 * is made for a pull request or $GITHUB_STEP_SUMMARY (1 MB); `trailaudit-diff.json` has them all.
 */
export const DIFF_MARKDOWN_ROWS = 300;

function section(title: string, items: readonly DiffItem[], withReason: boolean): string {
  const shown = items.slice(0, DIFF_MARKDOWN_ROWS);
  const more =
    items.length > shown.length
      ? `… and ${String(items.length - shown.length)} more (the first ${String(shown.length)} of ${String(items.length)}, most severe first, are shown): every one is in \`${DIFF_JSON_FILE}\`.`
      : null;
  const header = ['Severity', 'Control', 'Account', 'Region', 'Resource', 'Before', 'After', ...(withReason ? ['Why'] : [])];
  const rows = shown.map((i) => [
    text(i.severity),
    text(i.control),
    text(i.accountId ?? '-'),
    text(i.region),
    resourceCell(i),
    statusCell(i.before, i.suppressedBefore),
    statusCell(i.after, i.suppressedAfter),
    ...(withReason ? [whyCell(i)] : []),
  ]);
  return [`## ${title} (${String(items.length)})`, '', rows.length === 0 ? 'None.' : table(header, rows), ...(more === null ? [] : ['', more])].join('\n');
}

export function formatDiffMarkdown(result: DiffResult): string {
  const { summary } = result;
  const suppressedNew = summary.newFailures - summary.newUnsuppressedFailures;
  const out = [
    '# trailaudit diff',
    '',
    `**${String(summary.newFailures)} new failures**${suppressedNew > 0 ? ` (${String(suppressedNew)} suppressed)` : ''}, ` +
      `**${String(summary.fixed)} fixed**, **${String(summary.stillFailing)} still failing**, **${String(summary.notEvaluated)} not evaluated** (not evaluated is not fixed).`,
    '',
    `Old: ${codeSpan(result.old.file)} (finished ${text(result.old.finishedAt)}). New: ${codeSpan(result.new.file)} (finished ${text(result.new.finishedAt)}).`,
    '',
    ...(summary.newFailuresNotEvaluatedBefore > 0
      ? [
          `${String(summary.newFailuresNotEvaluatedBefore)} of the new failures were not evaluated by OLD (check not run, account or Region not audited): they count as new, since nothing shows they failed before.`,
          '',
        ]
      : []),
    section('New failures', result.newFailures, result.newFailures.some((i) => i.notEvaluatedBefore !== undefined)),
    '',
    section('Fixed', result.fixed, true),
    '',
    section('Still failing', result.stillFailing, false),
    '',
    section('Not evaluated', result.notEvaluated, true),
    '',
  ];
  return out.join('\n');
}
