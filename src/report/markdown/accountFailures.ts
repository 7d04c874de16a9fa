/**
 * The Failures section of an organization report, grouped by account: the people who fix a
 * failure are the account's owners, so each account gets its list (control, resource, Region,
 * finding, the evidence in short), and each failing control's fix is given once below, not once per
 * account. Full evidence and the fix for each resource are in trailaudit.json.
 */
import type { Finding } from '../../engine/types.js';
import { formatEvidenceValue, isAccountKeyed, type ControlSummary } from '../common.js';
import type { ReportContext } from '../types.js';
import { controlRemediation } from './findings.js';
import { DASH, codeCell, plural, table, text } from './text.js';

/** Evidence in one cell, cut at this many characters: the JSON report has all of it. */
const EVIDENCE_CHARS = 240;

function evidenceCell(finding: Finding): string {
  const entries = Object.entries(finding.evidence);
  if (entries.length === 0) {
    return DASH;
  }
  const full = entries.map(([key, value]) => `${key}: ${formatEvidenceValue(value)}`).join('; ');
  return codeCell(full.length > EVIDENCE_CHARS ? `${full.slice(0, EVIDENCE_CHARS - 1)}…` : full);
}

function resourceCell(finding: Finding): string {
  // An account- or Region-level finding's resource is the account itself: the heading names it.
  return isAccountKeyed(finding) ? 'account' : codeCell(finding.resource.id);
}

function isOpenFailure(finding: Finding): boolean {
  return finding.status === 'FAIL' && finding.suppressed === null;
}

export function failuresByAccountSection(findings: readonly Finding[], controls: readonly ControlSummary[], context: ReportContext): string {
  const out = ['## Failures', ''];
  const failing = findings.filter(isOpenFailure);
  if (failing.length === 0) {
    out.push('No unsuppressed failures.');
    return out.join('\n');
  }
  const byAccount = new Map<string, Finding[]>();
  for (const finding of failing) {
    const key = finding.resource.accountId ?? DASH;
    const list = byAccount.get(key);
    if (list === undefined) {
      byAccount.set(key, [finding]);
    } else {
      list.push(finding);
    }
  }
  const accounts = [...byAccount.keys()].sort();
  out.push(`${plural(failing.length, 'unsuppressed failure')} in ${plural(accounts.length, 'account')}, by account; each control's fix follows under *How to fix*.`, '');
  for (const account of accounts) {
    const own = byAccount.get(account) ?? [];
    const name = context.scope.organization?.accountNames[account];
    out.push(
      `### ${codeCell(account)}${name === undefined ? '' : ` (${text(name)})`} ${DASH} ${plural(own.length, 'failure')}`,
      '',
      table(
        ['Control', 'Severity', 'Resource', 'Region', 'Finding', 'Evidence'],
        own.map((f) => [text(f.control), f.severity, resourceCell(f), text(f.resource.region), text(f.message), evidenceCell(f)]),
      ),
      '',
    );
  }
  out.push('### How to fix', '');
  for (const control of controls) {
    if (control.check === null || !control.findings.some(isOpenFailure)) {
      continue;
    }
    const count = control.findings.filter(isOpenFailure).length;
    out.push(`#### ${text(control.control)} ${DASH} ${text(control.title)} (${control.severity})`, '', `${plural(count, 'resource')} failing.`, '', ...controlRemediation(control.check), '');
  }
  return out.join('\n').trimEnd();
}
