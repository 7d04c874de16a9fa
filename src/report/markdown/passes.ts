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
/** Shorter than a failure's evidence: a pass needs the fact that satisfied it, not the whole item. */
const PASS_EVIDENCE_CHARS = 160;

function isPass(finding: Finding): boolean {
  return finding.status === 'PASS' && finding.suppressed === null;
}

export function passesSection(controls: readonly ControlSummary[]): string {
  const out = ['## Passed, with evidence', ''];
  const passing = controls.filter((control) => control.findings.some(isPass));
  if (passing.length === 0) {
    out.push('No result passed.');
    return out.join('\n');
  }
  out.push('What each passing result rests on: the facts read for it, as in `trailaudit.json`.', '');
  for (const control of passing) {
    const own = control.findings.filter(isPass);
    const located = withLocation(own);
    const { shown, more } = firstRows(own, PASS_ROWS);
    const rows = shown.map((f) => [resourceCell(f), ...(located ? [locationCell(f) ?? ''] : []), accountCell(f), text(f.resource.region), evidenceCell(f, PASS_EVIDENCE_CHARS)]);
    out.push(
      ...folded(`${htmlText(control.control)} — ${htmlText(control.title)}: ${plural(own.length, 'result')} passed`, [
        table(['Resource', ...(located ? ['Location'] : []), 'Account', 'Region', 'Evidence'], rows),
        ...(more === null ? [] : ['', more]),
      ]),
      '',
    );
  }
  return out.join('\n').trimEnd();
}
