/**
 * `trailaudit-compare.md`: the comparison for people (pure). Disagreements first, each with the
 * known reason and our evidence; then what could not be compared (Security Hub unreadable, a side
 * that could not decide, a side with no finding); then the agreements as one compact table.
 */
import type { CompareResult, CompareRow } from '../../securityhub/compareTypes.js';
import { codeCell, codeSpan, fenced, plural, table, text } from '../markdown/text.js';

export const COMPARE_MARKDOWN_FILE = 'trailaudit-compare.md';

const status = (value: string | null): string => (value === null ? 'no finding' : value);

function where(row: CompareRow): string {
  return `${codeSpan(row.resourceId)} in account ${text(row.accountId)}, ${text(row.region)}`;
}

function disagreement(row: CompareRow): string {
  const lines = [
    `### ${text(row.control)}: ${where(row)}`,
    '',
    `trailaudit **${status(row.trailaudit)}**, Security Hub **${status(row.securityHub)}**` +
      (row.securityHubUpdatedAt === null ? '' : ` (Security Hub updated it at ${text(row.securityHubUpdatedAt)})`) +
      '.',
    '',
    row.knownReason === null ? 'Known reason: none found in the evidence.' : `Known reason (${codeSpan(row.knownReason.code)}): ${text(row.knownReason.explanation)}`,
  ];
  if (row.message !== null) {
    lines.push('', `trailaudit: ${text(row.message)}`);
  }
  if (row.evidence !== null && Object.keys(row.evidence).length > 0) {
    lines.push('', fenced(JSON.stringify(row.evidence, null, 2), 'json'));
  }
  if (row.securityHubFindingId !== null) {
    lines.push('', `Security Hub finding: ${codeSpan(row.securityHubFindingId)}`);
  }
  if (row.otherSecurityHubFindings.length > 0) {
    lines.push('', `Security Hub also holds: ${otherCopies(row)}.`);
  }
  return lines.join('\n');
}

/** Security Hub's other findings of the row's control and resource, each with its status. */
function otherCopies(row: CompareRow, code: (value: string) => string = codeSpan): string {
  return row.otherSecurityHubFindings.map((other) => `${other.status} in ${text(other.region)} (${code(other.id)})`).join(', ');
}

/** A table cell naming the other copies, or '' when Security Hub holds only the compared one. */
const otherCopiesCell = (row: CompareRow): string => (row.otherSecurityHubFindings.length === 0 ? '' : `also ${otherCopies(row, codeCell)}`);

function rowTable(rows: readonly CompareRow[], detail: (row: CompareRow) => string): string {
  return table(
    ['Control', 'Account', 'Region', 'Resource', 'trailaudit', 'Security Hub', 'Detail'],
    rows.map((row) => [text(row.control), text(row.accountId), text(row.region), codeCell(row.resourceId), status(row.trailaudit), status(row.securityHub), detail(row)]),
  );
}

function section(title: string, rows: readonly CompareRow[], body: (rows: readonly CompareRow[]) => string): string[] {
  return rows.length === 0 ? [] : [`## ${title} (${String(rows.length)})`, body(rows)];
}

const reasonCell = (row: CompareRow): string =>
  [text([row.reason === null ? '' : `UNKNOWN: ${row.reason}`, row.knownReason?.explanation ?? ''].filter((part) => part !== '').join('; ')), otherCopiesCell(row)]
    .filter((part) => part !== '')
    .join('; ');

export function formatCompareMarkdown(result: CompareResult): string {
  const of = (comparison: CompareRow['comparison']): CompareRow[] => result.rows.filter((row) => row.comparison === comparison);
  const { summary, scope } = result;
  const sections = [
    '# trailaudit and Security Hub compared',
    [
      `Report ${codeSpan(result.report.file)}, audit finished ${text(result.report.finishedAt)}; Security Hub read at ${text(result.readAt)}.`,
      `Accounts: ${text(scope.accounts.join(', '))}. Regions read: ${text([...new Set(scope.targets.map((target) => target.region))].join(', '))}. Controls: ${text(scope.controls.join(', '))}.`,
    ].join('\n'),
    table(
      ['Rows', 'Agree', 'Disagree', 'Inconclusive', 'Only trailaudit', 'Only Security Hub', 'Unreadable'],
      [[summary.rows, summary.agree, summary.disagree, summary.inconclusive, summary.onlyTrailaudit, summary.onlySecurityHub, summary.unreadable].map(String)],
    ),
  ];
  if (scope.unreadable.length > 0) {
    sections.push(
      `## Security Hub could not be read (${plural(scope.unreadable.length, 'place')})`,
      'Rows there are neither agreements nor disagreements; fix access and compare again.',
      scope.unreadable.map((target) => `- account ${text(target.accountId)}, ${text(target.region)}: ${codeSpan(target.code)} ${text(target.message)}`).join('\n'),
    );
  }
  if (scope.withoutResourceId.length > 0) {
    sections.push(
      `## Security Hub findings without a resource id (${String(scope.withoutResourceId.length)})`,
      'Their Resources[0].Id is empty: they cannot be matched with a resource and are not compared.',
      scope.withoutResourceId.map((id) => `- ${codeSpan(id)}`).join('\n'),
    );
  }
  const disagreements = of('disagree');
  sections.push(...(disagreements.length === 0 ? ['## Disagreements (0)', 'None: wherever both sides have a verdict, they agree.'] : [`## Disagreements (${String(disagreements.length)})`, ...disagreements.map(disagreement)]));
  sections.push(
    ...section('Inconclusive: one side could not decide', of('inconclusive'), (rows) => rowTable(rows, reasonCell)),
    ...section('Unreadable: Security Hub was not read there', of('unreadable'), (rows) => rowTable(rows, (row) => text(row.unreadable?.code ?? ''))),
    ...section('Only trailaudit has a finding', of('only_trailaudit'), (rows) => rowTable(rows, reasonCell)),
    ...section('Only Security Hub has a finding', of('only_security_hub'), (rows) => rowTable(rows, reasonCell)),
    ...section('Agreements', of('agree'), (rows) =>
      table(
        ['Control', 'Account', 'Region', 'Resource', 'Verdict', 'Other Security Hub findings'],
        rows.map((row) => [text(row.control), text(row.accountId), text(row.region), codeCell(row.resourceId), status(row.trailaudit), otherCopiesCell(row)]),
      ),
    ),
  );
  return `${sections.join('\n\n')}\n`;
}
