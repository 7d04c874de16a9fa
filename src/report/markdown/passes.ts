/**
 * The evidence of passes: a PASS is a claim too (which trail satisfies CloudTrail.1, which key
 * each trail uses), so the reader can check it without opening the JSON. One row per passing
 * result with its evidence in one cell, one folded block per control.
 */
import type { Finding } from '../../engine/types.js';
import type { ControlSummary } from '../common.js';
import { firstRows, folded, htmlText, plural, table, text } from './text.js';
import { accountCell, evidenceCell, locationCell, resourceCell, withLocation } from './findings.js';

/** Passing results shown per control; the JSON and HTML reports have all. */
const PASS_ROWS = 10;
/**
 * Shorter than a failure's evidence: the finding's message names what satisfied the check (the
 * trail, the key) and the evidence backs it; the JSON report has the whole item.
 */
const PASS_EVIDENCE_CHARS = 120;

function isPass(finding: Finding): boolean {
  return finding.status === 'PASS' && finding.suppressed === null;
}

/** `accounts`: show the Account column (a report over several accounts). */
export function passesSection(controls: readonly ControlSummary[], accounts: boolean): string {
  const out = ['## Passed, with evidence', ''];
  const passing = controls.filter((control) => control.findings.some(isPass));
  if (passing.length === 0) {
    out.push('No result passed.');
    return out.join('\n');
  }
  out.push('What each passing result rests on: what satisfied the check and the facts read for it (all of them in `trailaudit.json`).', '');
  for (const control of passing) {
    const own = control.findings.filter(isPass);
    const located = withLocation(own);
    const { shown, more } = firstRows(own, PASS_ROWS);
    const rows = shown.map((f) => [
      resourceCell(f),
      ...(located ? [locationCell(f) ?? ''] : []),
      ...(accounts ? [accountCell(f)] : []),
      text(f.resource.region),
      text(f.message),
      evidenceCell(f, PASS_EVIDENCE_CHARS),
    ]);
    out.push(
      ...folded(`${htmlText(control.control)} — ${htmlText(control.title)}: ${plural(own.length, 'result')} passed`, [
        table(['Resource', ...(located ? ['Location'] : []), ...(accounts ? ['Account'] : []), 'Region', 'Finding', 'Evidence'], rows),
        ...(more === null ? [] : ['', more]),
      ]),
      '',
    );
  }
  return out.join('\n').trimEnd();
}
