/** The Markdown report's "Changes since last audit", rendered from the baseline diff's data. */
import type { Finding } from '../../engine/types.js';
import { diffFailures, type BaselineFinding, type Change } from '../baselineDiff.js';
import type { BaselineReport } from '../types.js';
import { codeCell, codeSpan, table, text } from './text.js';

/** A scanned resource is named with its file: two templates may declare one logical id. */
function resourceCell(resource: { readonly id: string; readonly location?: { readonly file: string } }): string {
  return resource.location === undefined ? codeCell(resource.id) : `${codeCell(resource.id)} in ${codeCell(resource.location.file)}`;
}

/** What became of a previous failure that is no longer an unsuppressed FAIL. */
function nowCell(change: Change): string {
  const { now } = change;
  if (now.suppressed !== null) {
    return `${now.status}, suppressed`;
  }
  return now.status;
}

export function changesSection(findings: readonly Finding[], baseline: BaselineReport): string {
  const { newFailures, stillFailing, fixed, unconfirmed, gone } = diffFailures(findings, baseline.findings);
  const extra = [
    // UNKNOWN now, or failing with the risk accepted: not an unsuppressed failure, and not fixed.
    ...(unconfirmed.length > 0 ? [`${unconfirmed.length} not fixed but no longer counted (UNKNOWN now, or accepted by a suppression)`] : []),
    ...(gone.length > 0 ? [`${gone.length} no longer reported`] : []),
  ];
  const out = [
    '## Changes since last audit',
    '',
    `Compared with ${codeSpan(baseline.file)} (finished ${text(baseline.finishedAt)}), unsuppressed failures matched by control, resource and region (and, in a scan, file): ` +
      `**${newFailures.length} new**, **${fixed.length} fixed**, **${stillFailing.length} still failing**` +
      (extra.length > 0 ? `, ${extra.join(', ')}.` : '.'),
  ];
  const currentRows = (list: readonly Finding[]): string[][] =>
    list.map((f) => [text(f.control), resourceCell(f.resource), text(f.resource.region), text(f.message)]);
  const oldRows = (list: readonly (readonly [BaselineFinding, string])[]): string[][] =>
    list.map(([f, now]) => [text(f.control), resourceCell(f.resource), text(f.resource.region), text(now), text(f.message)]);
  const changeRows = (list: readonly Change[]): string[][] => oldRows(list.map((change) => [change.before, nowCell(change)] as const));
  const sub = (title: string, rows: string[][], header: string[]): void => {
    out.push('', `### ${title}`, '');
    out.push(rows.length === 0 ? 'None.' : table(header, rows));
  };
  sub('New failures', currentRows(newFailures), ['Control', 'Resource', 'Region', 'Finding']);
  sub('Fixed', changeRows(fixed), ['Control', 'Resource', 'Region', 'Now', 'Was']);
  sub('Still failing', currentRows(stillFailing), ['Control', 'Resource', 'Region', 'Finding']);
  if (unconfirmed.length > 0) {
    sub('Not confirmed fixed', changeRows(unconfirmed), ['Control', 'Resource', 'Region', 'Now', 'Was']);
  }
  if (gone.length > 0) {
    // Not "fixed": nothing was seen to pass.
    sub('No longer reported (resource removed, or outside this audit)', oldRows(gone.map((f) => [f, 'not reported (resource removed or out of scope)'] as const)), ['Control', 'Resource', 'Region', 'Now', 'Was']);
  }
  return out.join('\n');
}
