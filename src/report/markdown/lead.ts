/**
 * The top of the Markdown report: the answer first. The result (the same {@link reportOverview}
 * the HTML report and the exit code agree with), the counts, who ran the audit, when, with which
 * tool and the SHA-256 of the JSON evidence, then the most severe failures.
 */
import type { Finding } from '../../engine/types.js';
import { isAccountKeyed } from '../common.js';
import type { ReportOverview } from '../overview.js';
import type { ReportContext } from '../types.js';
import { DASH, codeCell, codeSpan, plural, table, text } from './text.js';

/** Failures named in the lead; the Failures table lists them all. */
const LEAD_FAILURES = 5;

function resultLine(overview: ReportOverview, context: ReportContext): string {
  const failOn = text(context.failOn);
  const unknown = overview.gaps.length;
  const parts: string[] = [];
  switch (overview.result) {
    case 'FAIL':
      parts.push(`**Result: FAIL** ${DASH} ${plural(overview.blocking, 'unsuppressed failure')} at or above ${failOn}.`);
      break;
    case 'INCOMPLETE':
      parts.push(
        `**Result: INCOMPLETE** ${DASH} no unsuppressed failure at or above ${failOn}, but ${plural(unknown, 'verdict')} could not be determined.` +
          (context.allowUnknown ? ' The incomplete audit was accepted with `--allow-unknown`.' : ''),
      );
      break;
    case 'PASS_WITH_ACCEPTED_RISKS':
      // Never a plain PASS while failures stand, even accepted ones.
      parts.push(`**Result: PASS WITH ACCEPTED RISKS** ${DASH} no unsuppressed failure at or above ${failOn}; ${plural(overview.acceptedRisks.length, 'failure')} accepted by a suppression (see *Suppression register*).`);
      break;
    case 'PASS':
      parts.push(`**Result: PASS** ${DASH} no unsuppressed failure at or above ${failOn}.`);
      break;
  }
  const below = overview.belowThreshold;
  if (below > 0) {
    parts.push(`${plural(below, 'failure')} below the threshold ${below === 1 ? 'is' : 'are'} reported but do${below === 1 ? 'es' : ''} not fail the audit.`);
  }
  if (unknown > 0 && overview.result === 'FAIL') {
    parts.push(`${plural(unknown, 'verdict')} could not be determined.`);
  }
  const accepted = overview.acceptedRisks.length;
  if (accepted > 0 && overview.result !== 'PASS_WITH_ACCEPTED_RISKS') {
    // Accepted risks are failures too: never left unsaid because something else leads.
    parts.push(`${plural(accepted, 'failure')} ${accepted === 1 ? 'is' : 'are'} accepted by a suppression.`);
  }
  return parts.join(' ');
}

/** The counts in one line; the pass rate leaves UNKNOWNs out and says so (they are gaps, not passes). */
function countsLine(overview: ReportOverview): string {
  const { counts } = overview;
  const accepted = overview.acceptedRisks.length;
  const fail = accepted === 0 ? `**${counts.FAIL} FAIL**` : `**${counts.FAIL} FAIL** (${accepted} of them suppressed: accepted risks)`;
  const rate =
    overview.passRate === null
      ? 'no pass rate (no verdict was determined)'
      : `pass rate ${overview.passRate}% of the ${counts.PASS + counts.FAIL} determined verdicts (UNKNOWNs are not in it: see *Audit gaps*)`;
  return `${fail} · **${counts.UNKNOWN} UNKNOWN** · ${counts.PASS} PASS · ${counts.NOT_APPLICABLE} N/A · ${rate}.`;
}

/** What was audited in one cell: the full lists are in *Scope* at the end. */
function scopeCell(context: ReportContext): string {
  const { accounts, regions, inputs, source } = context.scope;
  if (source !== 'live') {
    return `${plural(inputs.length, 'file')} scanned`;
  }
  const who = accounts.length === 1 ? `account ${codeCell(accounts[0] ?? '')}` : plural(accounts.length, 'account');
  const where = regions.length <= 3 ? regions.map((region) => codeCell(region)).join(', ') : plural(regions.length, 'Region');
  return where === '' ? who : `${who}, ${where}`;
}

function runTable(overview: ReportOverview, context: ReportContext): string {
  const principal = context.scope.principalArn;
  return table(
    ['Run', 'Value'],
    [
      ['Audited by', principal === undefined ? `not recorded (${text(context.scope.source === 'live' ? 'no caller identity in this run' : 'a scan of files has no AWS caller')})` : codeCell(principal)],
      ['Scope', scopeCell(context)],
      ['When', `${text(context.startedAt)} to ${text(context.finishedAt)}`],
      ['Tool', text(`${context.tool.name} ${context.tool.version}`)],
      ['Evidence', `${codeCell('trailaudit.json')} SHA-256 ${codeCell(overview.evidenceSha256)}`],
    ],
  );
}

/** `id` (account, Region), or (file:line) when scanned: as short as the finding allows. */
export function whereLine(finding: Finding): string {
  const { resource } = finding;
  // A scanned resource has no account and a placeholder Region: its file and line place it.
  const location = finding.location ?? resource.location;
  if (location !== undefined) {
    return `${codeSpan(resource.id)} (${codeSpan(`${location.file}:${location.line}`)})`;
  }
  const place = [resource.accountId, resource.region].filter((part): part is string => part !== null && part !== '' && part !== 'global').map(text);
  const what = isAccountKeyed(finding) ? 'account' : codeSpan(resource.id);
  return place.length === 0 ? what : `${what} (${place.join(', ')})`;
}

function mostSevere(overview: ReportOverview): string[] {
  if (overview.failures.length === 0) {
    return [];
  }
  const shown = overview.failures.slice(0, LEAD_FAILURES);
  const more = overview.failures.length - shown.length;
  return [
    '',
    `**Most severe failures**${more > 0 ? ` (${shown.length} of ${overview.failures.length}; all under *Failures*)` : ''}:`,
    '',
    ...shown.map((f) => `- **${f.severity}** ${text(f.control)} ${DASH} ${whereLine(f)}: ${text(f.message)}`),
  ];
}

export function leadSection(overview: ReportOverview, context: ReportContext): string {
  return [`# CloudTrail compliance report (${text(context.tool.name)})`, '', resultLine(overview, context), '', countsLine(overview), '', runTable(overview, context), ...mostSevere(overview)].join('\n');
}
