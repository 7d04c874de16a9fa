/**
 * What the page leads with: the result (the same one the exit code gives), the counts, who ran
 * what, over which scope and when, and the SHA-256 of the JSON evidence, then the most severe
 * failures, so a reader who stops after the first screen has the answer.
 */
import type { Finding } from '../../engine/types.js';
import type { ReportOverview } from '../overview.js';
import type { ReportContext } from '../types.js';
import { CATEGORY_LABELS } from './charts.js';
import { esc, when } from './escape.js';
import { categoryCounts, plural } from './parts.js';

const RESULT_TEXT: Readonly<Record<ReportOverview['result'], string>> = {
  FAIL: 'FAIL',
  INCOMPLETE: 'INCOMPLETE',
  PASS_WITH_ACCEPTED_RISKS: 'PASS with accepted risks',
  PASS: 'PASS',
};

function resultSentence(overview: ReportOverview, context: ReportContext): string {
  const threshold = context.failOn.toUpperCase();
  const gaps = overview.gaps.length;
  const parts: string[] = [];
  switch (overview.result) {
    case 'FAIL':
      parts.push(`${plural(overview.blocking, 'unsuppressed failure')} at or above ${threshold} (exit code 1).`);
      break;
    case 'INCOMPLETE':
      parts.push(`No unsuppressed failure at or above ${threshold}, but ${plural(gaps, 'result')} could not be determined (UNKNOWN): the audit is incomplete (exit code ${context.allowUnknown ? '0 with --allow-unknown' : '3'}).`);
      break;
    case 'PASS_WITH_ACCEPTED_RISKS':
      parts.push(`No open failure; ${plural(overview.acceptedRisks.length, 'failure')} suppressed as accepted risk.`);
      break;
    case 'PASS':
      parts.push(`No unsuppressed failure at or above ${threshold}.`);
      break;
  }
  if (overview.result === 'FAIL' && gaps > 0) {
    parts.push(`${plural(gaps, 'result')} could not be determined (UNKNOWN).`);
  }
  if (overview.belowThreshold > 0) {
    parts.push(`${plural(overview.belowThreshold, 'failure')} below ${threshold} reported, not failing the run.`);
  }
  if (overview.result !== 'PASS_WITH_ACCEPTED_RISKS' && overview.acceptedRisks.length > 0) {
    parts.push(`${plural(overview.acceptedRisks.length, 'failure')} suppressed as accepted risk.`);
  }
  return parts.join(' ');
}

function listed(values: readonly string[], limit = 12): string {
  const shown = values.slice(0, limit).map((v) => `<code>${esc(v)}</code>`).join(', ');
  return values.length > limit ? `${shown} and ${String(values.length - limit)} more` : shown || 'none';
}

function scopeRows(context: ReportContext): [string, string][] {
  const { scope } = context;
  const rows: [string, string][] = [];
  const org = scope.organization;
  if (org !== undefined) {
    rows.push(['Organization', `${esc(org.id ?? 'unknown id')}: ${esc(plural(scope.accounts.length, 'account'))} audited of ${String(org.accountsInScope)} in scope (role ${esc(org.roleName)})${org.unreachable.length > 0 ? `, <strong>${esc(plural(org.unreachable.length, 'account'))} could not be entered</strong>` : ''}${org.skipped.length > 0 ? `, <a href="#gaps">${esc(String(org.skipped.length))} left out</a>` : ''}`]);
  }
  rows.push(['Source', esc(scope.source === 'live' ? 'live AWS audit' : `${scope.source} scan`)]);
  if (scope.accounts.length > 0) {
    rows.push([scope.accounts.length === 1 ? 'Account' : 'Accounts', `${esc(String(scope.accounts.length))}: ${listed(scope.accounts)}`]);
  }
  if (scope.regions.length > 0) {
    rows.push(['Regions', `${esc(String(scope.regions.length))}: ${listed(scope.regions)}`]);
  }
  if (scope.inputs.length > 0) {
    rows.push(['Inputs', listed(scope.inputs)]);
  }
  if (scope.framework !== undefined) {
    rows.push(['Framework', `<code>${esc(scope.framework)}</code> (only its controls were evaluated)`]);
  }
  rows.push(['Controls', esc(String(context.checks.length))]);
  const times = [context.collectedAt === undefined ? '' : `facts collected ${esc(when(context.collectedAt))}; `, `run ${esc(when(context.startedAt))} – ${esc(when(context.finishedAt))}`];
  rows.push(['When', `<time datetime="${esc(context.collectedAt ?? context.startedAt)}">${times.join('')}</time>`]);
  // A snapshot saved before the caller was recorded has none: say so, rather than "not applicable".
  const caller = scope.source === 'live' ? 'not recorded in the facts evaluated' : 'not applicable (a scan has no AWS caller)';
  rows.push(['Run by', scope.principalArn === undefined ? caller : `<code>${esc(scope.principalArn)}</code>`]);
  rows.push(['Tool', `${esc(context.tool.name)} ${esc(context.tool.version)}`]);
  return rows;
}

function topFailures(failures: readonly Finding[], limit: number): string {
  if (failures.length === 0) {
    return '';
  }
  const items = failures.slice(0, limit).map((f) => `<li><span class="sev sev-${esc(f.severity.toLowerCase())}">${esc(f.severity)}</span> <strong>${esc(f.control)}</strong> ${esc(f.resource.accountId ?? '')} ${esc(f.resource.region)} <code>${esc(f.resource.name ?? f.resource.id)}</code>: ${esc(f.message)}</li>`);
  const more = failures.length > limit ? `<p>${esc(String(failures.length - limit))} more in <a href="#findings">the findings</a>.</p>` : '';
  return `<h2 id="top-h">Most severe failures</h2><ol class="top">${items.join('')}</ol>${more}`;
}

export function answerSection(findings: readonly Finding[], context: ReportContext, overview: ReportOverview): string {
  const counts = categoryCounts(findings);
  const tiles = (['fail', 'accepted', 'unknown', 'pass', 'na'] as const)
    .map((c) => `<div class="tile k-${c}"><span class="n">${String(counts[c])}</span> ${esc(CATEGORY_LABELS[c])}</div>`)
    .join('');
  const passRate = overview.passRate === null ? 'no evaluated result' : `${String(overview.passRate)}% of the ${String(overview.counts.PASS + overview.counts.FAIL)} evaluated results (PASS + FAIL; UNKNOWNs are not counted)`;
  const rows = scopeRows(context)
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`)
    .join('\n');
  return [
    `<header class="answer result-${overview.result.toLowerCase()}">`,
    `<p class="kicker">CloudTrail compliance report</p>`,
    `<h1>Result: <span class="result">${esc(RESULT_TEXT[overview.result])}</span></h1>`,
    `<p class="sentence">${esc(resultSentence(overview, context))}</p>`,
    `<div class="tiles">${tiles}</div>`,
    `<p>Pass rate: ${esc(passRate)}.</p>`,
    `<table class="scope"><caption>Scope</caption><tbody>\n${rows}\n`,
    `<tr><th scope="row">Evidence</th><td>SHA-256 of <code>trailaudit.json</code>: <code class="sha">${esc(overview.evidenceSha256)}</code></td></tr>`,
    `</tbody></table>`,
    topFailures(overview.failures, 10),
    `</header>`,
  ].join('\n');
}

