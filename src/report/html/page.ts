/**
 * The page shell: one file with its stylesheet and script inline, and a Content-Security-Policy
 * that lets the page load nothing at all (no script, style, font, image, frame or connection from
 * anywhere) and run only our own style and script, named by their SHA-256 rather than allowed by
 * 'unsafe-inline', so that a value which escaped our escaping still could not run.
 */
import { createHash } from 'node:crypto';
import { esc } from './escape.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';

export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * `default-src 'none'` covers every fetch (img, font, connect, media, frame, worker…);
 * `base-uri` and `form-action` are not fetches and need their own 'none'. frame-ancestors is
 * not allowed in a `<meta>` policy (browsers warn), so it is left out.
 */
export function contentSecurityPolicy(): string {
  return [`default-src 'none'`, `style-src ${cspHash(STYLE)}`, `script-src ${cspHash(SCRIPT)}`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

export interface PageParts {
  readonly title: string;
  readonly nav: readonly { readonly id: string; readonly label: string }[];
  readonly body: string;
}

export function page(parts: PageParts): string {
  const nav = parts.nav.map((item) => `<li><a href="#${esc(item.id)}">${esc(item.label)}</a></li>`).join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy())}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(parts.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<nav aria-label="Sections"><ul>${nav}</ul></nav>`,
    '<main>',
    parts.body,
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
