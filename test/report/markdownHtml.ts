/** Reading a Markdown report back from the HTML the CommonMark parser (markdown-it) renders. */
import { strict as assert } from 'node:assert';

export function decode(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

export interface Table {
  readonly header: string[];
  readonly rows: string[][];
  /** Raw HTML of each body cell, to look at markup (code, strong). */
  readonly rawRows: string[][];
}

export function tables(html: string): Table[] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => {
    const body = m[1]!;
    const rowsHtml = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => r[1]!);
    const cells = (row: string): string[] => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!);
    const [head = '', ...rest] = rowsHtml;
    return { header: cells(head).map(decode), rows: rest.map((r) => cells(r).map(decode)), rawRows: rest.map(cells) };
  });
}

/** Rendered HTML split by level-2 heading text. */
export function sections(html: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = html.split(/<h2>/).slice(1);
  for (const part of parts) {
    const end = part.indexOf('</h2>');
    out.set(decode(part.slice(0, end)), part.slice(end + 5));
  }
  return out;
}

export function subsections(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of html.split(/<h3>/).slice(1)) {
    const end = part.indexOf('</h3>');
    out.set(decode(part.slice(0, end)), part.slice(end + 5));
  }
  return out;
}

export function section(html: string, title: string): string {
  const found = sections(html).get(title);
  assert.ok(found !== undefined, `section "${title}" present; have: ${[...sections(html).keys()].join(', ')}`);
  return found;
}
