/** The Markdown report's suppression register, with expired and unused entries flagged. */
import type { SuppressionEntry } from '../common.js';
import { codeCell, codeSpan, plural, table, text } from './text.js';

function stateCell(entry: SuppressionEntry): string {
  switch (entry.state) {
    case 'expired':
      return '**EXPIRED** (ignored)';
    case 'unused':
      return entry.matched === 0 ? 'unused (matched nothing)' : 'unused (accepted no failure)';
    case 'active':
      return 'active';
  }
}

/** What a suppression matched but could not accept, said in the register (UNKNOWNs stay open). */
function refusedUnknownsNote(entry: SuppressionEntry): string | null {
  if (entry.unknownMatched === 0) {
    return null;
  }
  const which = `${text(entry.check)} ${codeSpan(entry.resource)}`;
  return `- ${which} matched ${plural(entry.unknownMatched, 'UNKNOWN finding')}, which a suppression cannot accept: ${entry.unknownMatched === 1 ? 'it stays' : 'they stay'} open until the verdict can be determined.`;
}

export function registerSection(register: readonly SuppressionEntry[]): string {
  const out = ['## Suppression register', ''];
  if (register.length === 0) {
    out.push('No suppressions configured.');
    return out.join('\n');
  }
  const expired = register.filter((s) => s.state === 'expired').length;
  const unused = register.filter((s) => s.state === 'unused').length;
  if (expired > 0) {
    out.push(`> **Warning:** ${plural(expired, 'suppression')} ${expired === 1 ? 'has' : 'have'} expired and no longer ${expired === 1 ? 'applies' : 'apply'}; the findings ${expired === 1 ? 'it' : 'they'} covered count again. Renew or remove ${expired === 1 ? 'it' : 'them'}.`, '');
  }
  if (unused > 0) {
    out.push(`${plural(unused, 'suppression')} accepted no failure; check the resource pattern or remove ${unused === 1 ? 'it' : 'them'}.`, '');
  }
  const refused = register.map(refusedUnknownsNote).filter((note): note is string => note !== null);
  if (refused.length > 0) {
    out.push('A suppression accepts a known failure; it never closes an UNKNOWN:', '', ...refused, '');
  }
  const rows = register.map((s) => [
    text(s.check),
    s.file === undefined ? codeCell(s.resource) : `${codeCell(s.resource)} in ${codeCell(s.file)}`,
    s.region === undefined ? 'any' : codeCell(s.region),
    text(s.reason),
    text(s.expires),
    stateCell(s),
    String(s.matched),
  ]);
  out.push(table(['Check', 'Resource pattern', 'Region', 'Reason', 'Expires', 'State', 'Matched'], rows));
  return out.join('\n');
}
