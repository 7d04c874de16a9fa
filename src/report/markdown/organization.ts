/**
 * The Markdown report's Organization section, for a report over several accounts: the
 * organization and who entered it, the coverage line, the accounts left out (skipped, or whose
 * role could not be assumed) and the accounts × controls matrix. Every list here grows with the
 * accounts, never with findings × accounts, so a 200-account organization stays small.
 */
import type { Finding } from '../../engine/types.js';
import type { ControlSummary } from '../common.js';
import type { ReportContext } from '../types.js';
import { accountMatrix, accountLabel } from './accountMatrix.js';
import { COVERAGE_CONTROL, coverageSentence, isBatchFailure, organizationCoverage, type Coverage } from '../coverage.js';
import { DASH, codeCell, codeSpan, plural, table, text } from './text.js';

/** A report over an organization (or several accounts): the sections below are added. */
export function isOrganizationReport(context: ReportContext): boolean {
  return context.scope.organization !== undefined || context.scope.accounts.length > 1;
}

/** The coverage line, bold label and the trail ARNs as code. */
export function coverageLine(coverage: Coverage): string {
  return `**Coverage (${COVERAGE_CONTROL}):** ${coverageSentence(coverage, codeSpan)}`;
}

function shardRow(context: ReportContext): string[][] {
  const org = context.scope.organization;
  if (org?.shards !== undefined && org.shards.length > 0) {
    const count = org.shards[0]?.count ?? 0;
    const have = [...new Set(org.shards.map((shard) => shard.index))].sort((a, b) => a - b);
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !have.includes(index));
    const note = missing.length === 0 ? `all ${count}` : `**shards ${missing.join(', ')} of ${count} missing**: their accounts are not in this report`;
    return [['Shards evaluated together', `${have.map((index) => `${index}/${count}`).join(', ')} (${note})`]];
  }
  if (org?.shard !== undefined) {
    return [['Shard', `${org.shard.index}/${org.shard.count} (this report covers only this part of the account list)`]];
  }
  return [];
}

function factsTable(context: ReportContext): string {
  const org = context.scope.organization;
  const rows: string[][] = [];
  if (org !== undefined) {
    rows.push(
      ['Organization', org.id === null ? 'unknown (DescribeOrganization could not be read)' : codeCell(org.id)],
      ['Management account', org.managementAccountId === null ? DASH : codeCell(org.managementAccountId)],
      ['Audited from', `${codeCell(org.callerAccountId)} (its own credentials), role ${codeCell(org.roleName)} in the other accounts`],
      ['Accounts in scope', String(org.accountsInScope)],
    );
  }
  const notEntered = org?.unreachable.length ?? 0;
  rows.push(['Accounts audited', `${String(context.scope.accounts.length)}${notEntered === 0 ? '' : ` (${String(notEntered)} of them not entered, below)`}`]);
  if (org !== undefined) {
    const batches = org.unreachable.filter(isBatchFailure).length;
    rows.push(
      ['Skipped', String(org.skipped.length)],
      ['Not entered (role failed)', String(org.unreachable.length - batches)],
      ...(batches === 0 ? [] : [['Not entered (batch failed)', String(batches)]]),
      ...shardRow(context),
    );
  }
  return table(['Item', 'Value'], rows);
}

function skippedTable(context: ReportContext): string[] {
  const skipped = context.scope.organization?.skipped ?? [];
  if (skipped.length === 0) {
    return [];
  }
  return [
    '',
    '### Skipped accounts',
    '',
    `${plural(skipped.length, 'account')} of the organization ${skipped.length === 1 ? 'was' : 'were'} not audited:`,
    '',
    table(
      ['Account', 'Name', 'Reason', 'Detail'],
      skipped.map((entry) => [codeCell(entry.accountId), entry.name === undefined ? DASH : text(entry.name), text(entry.reason), text(entry.message)]),
    ),
  ];
}

function notEnteredSentences(roleName: string, unreachable: readonly { readonly message: string }[]): string[] {
  const batches = unreachable.filter(isBatchFailure).length;
  const roles = unreachable.length - batches;
  const sentences: string[] = [];
  if (roles > 0) {
    sentences.push(`The role ${codeSpan(roleName)} could not be assumed in ${plural(roles, 'account')}: ${roles === 1 ? 'its' : 'their'} account and Region controls are UNKNOWN (never PASS), and the audit is incomplete until the role can be assumed.`);
  }
  if (batches > 0) {
    sentences.push(`${sentences.length > 0 ? '\n' : ''}The batch auditing ${plural(batches, 'account')} failed or left no snapshot (Detail says which): ${batches === 1 ? 'its' : 'their'} account and Region controls are UNKNOWN (never PASS), and the audit is incomplete until a run audits ${batches === 1 ? 'it' : 'them'}.`);
  }
  return sentences;
}

function unreachableTable(context: ReportContext): string[] {
  const org = context.scope.organization;
  const unreachable = org?.unreachable ?? [];
  if (org === undefined || unreachable.length === 0) {
    return [];
  }
  return [
    '',
    '### Accounts not entered',
    '',
    ...notEnteredSentences(org.roleName, unreachable),
    '',
    table(
      ['Account', 'Name', 'Reason', 'Detail'],
      unreachable.map((entry) => [codeCell(entry.accountId), accountLabel(entry.accountId, context), text(entry.reason), text(entry.message)]),
    ),
  ];
}

export function organizationSection(findings: readonly Finding[], controls: readonly ControlSummary[], context: ReportContext): string {
  return [
    '## Organization',
    '',
    factsTable(context),
    '',
    coverageLine(organizationCoverage(findings, context)),
    ...skippedTable(context),
    ...unreachableTable(context),
    '',
    '### Accounts and controls',
    '',
    accountMatrix(findings, controls, context),
  ].join('\n');
}
