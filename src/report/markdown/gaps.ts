/**
 * The Markdown report's audit gaps (open UNKNOWNs, each with the permission or account that would
 * close it; never folded into a pass rate) and its not-applicable results.
 */
import type { Finding } from '../../engine/types.js';
import { unknownNeeds } from '../common.js';
import type { ReportOverview } from '../overview.js';
import { DASH, codeCell, firstRows, plural, table, text } from './text.js';
import { accountCell, locationCell, withLocation } from './findings.js';

/** Rows (one per thing that could not be read) shown; the JSON and HTML reports have all. */
const GAP_ROWS = 200;
const NOT_APPLICABLE_ROWS = 100;

export function gapsSection(overview: ReportOverview): string {
  const out = ['## Audit gaps', ''];
  const unknown = overview.gaps;
  if (unknown.length === 0) {
    out.push('Every verdict could be determined.');
    return out.join('\n');
  }
  out.push(
    `${plural(unknown.length, 'verdict')} could not be determined, most severe first. These are not passes and are not in the pass rate: grant the permissions or use the accounts listed, then run the audit again (or accept an incomplete audit with \`--allow-unknown\`).`,
    '',
  );
  const located = withLocation(unknown);
  const rows: string[][] = [];
  for (const f of unknown) {
    const base = [text(f.control), f.severity, accountCell(f), codeCell(f.resource.id), ...(located ? [locationCell(f) ?? DASH] : []), text(f.resource.region)];
    if (f.unknowns.length === 0) {
      rows.push([...base, text(f.reason ?? 'error'), text(f.message), DASH]);
      continue;
    }
    for (const detail of f.unknowns) {
      // Region names are [a-z0-9-] and reach unknownNeeds unescaped; everything else is code.
      const needs = unknownNeeds(detail, codeCell);
      rows.push([...base, text(detail.reason), text(detail.message), needs === '' ? DASH : needs]);
    }
  }
  const { shown, more } = firstRows(rows, GAP_ROWS);
  out.push(table(['Control', 'Severity', 'Account', 'Resource', ...(located ? ['Location'] : []), 'Region', 'Reason', 'What could not be read', 'Needed'], shown));
  if (more !== null) {
    out.push('', more);
  }
  return out.join('\n');
}

export function notApplicableSection(findings: readonly Finding[]): string {
  const out = ['## Not applicable', ''];
  const na = findings.filter((f) => f.status === 'NOT_APPLICABLE' && f.suppressed === null);
  if (na.length === 0) {
    out.push('None.');
    return out.join('\n');
  }
  const located = withLocation(na);
  const { shown, more } = firstRows(na, NOT_APPLICABLE_ROWS);
  out.push(
    table(
      ['Control', 'Resource', ...(located ? ['Location'] : []), 'Region', 'Why'],
      shown.map((f) => [text(f.control), codeCell(f.resource.id), ...(located ? [locationCell(f) ?? DASH] : []), text(f.resource.region), text(f.message)]),
    ),
    ...(more === null ? [] : ['', more]),
  );
  return out.join('\n');
}
