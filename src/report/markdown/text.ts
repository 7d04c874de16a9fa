/**
 * Markdown building blocks. Resource ids and messages come from AWS and from templates, so
 * everything interpolated is escaped for the place it lands in: table cells, inline text, code
 * spans, fenced blocks.
 */

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * Plain text in a paragraph, list item or table cell. CommonMark lets any ASCII punctuation be
 * backslash-escaped; only the characters that can start markup (emphasis, links, HTML, code, table
 * cell breaks, strikethrough, entities) are escaped, so ARNs stay readable in the raw file.
 */
export function text(value: string): string {
  return oneLine(value).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** A code span that survives backticks in the content (CommonMark: a longer fence, padded). */
export function codeSpan(value: string): string {
  const content = oneLine(value);
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A code span inside a table row: GFM splits cells on `|` before parsing inline code, so the pipe
 * must be backslash-escaped even there (the escape is removed when the cell is parsed).
 */
export function codeCell(value: string): string {
  return codeSpan(value).replace(/\|/g, '\\|');
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function fenced(content: string, lang: string): string {
  const longestRun = Math.max(0, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${lang}\n${content.replace(/\s+$/, '')}\n${fence}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    lines.push(`| ${row.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`);
  }
  return lines.join('\n');
}

export const DASH = '—';

export function listOrDash(values: readonly string[], render: (v: string) => string): string {
  return values.length === 0 ? DASH : values.map(render).join(', ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
