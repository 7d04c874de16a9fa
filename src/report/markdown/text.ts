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

/**
 * Text inside raw HTML (`<summary>` of a `<details>` block): GFM passes an HTML block through
 * untouched, so Markdown escapes would show literally and only HTML escapes work there.
 */
export function htmlText(value: string): string {
  return oneLine(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A label inside a mermaid diagram, always written between double quotes: mermaid has no escape
 * for `"` inside a quoted string, and `#…;` is its entity syntax, so both are replaced.
 */
export function mermaidLabel(value: string): string {
  return oneLine(value).replace(/"/g, "'").replace(/#/g, '№').replace(/[<>]/g, '');
}

/** The first `limit` items, and a sentence saying how many more the full reports have. */
export function firstRows<T>(items: readonly T[], limit: number): { shown: readonly T[]; more: string | null } {
  if (items.length <= limit) {
    return { shown: items, more: null };
  }
  const rest = items.length - limit;
  return { shown: items.slice(0, limit), more: `… and ${plural(rest, 'more row')} (the first ${limit} of ${items.length} are shown): every one is in \`trailaudit.json\` and \`trailaudit.html\`.` };
}

/** A folded block: the summary line is HTML, the body Markdown (blank lines make GFM parse it). */
export function folded(summary: string, body: readonly string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}
