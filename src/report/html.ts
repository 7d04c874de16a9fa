/**
 * `trailaudit.html` (issue 15): one self-contained file, no external anything. STUB until the HTML
 * report lands: a minimal valid page with the answer, so the format is registered end to end.
 */
import { reportOverview } from './overview.js';
import type { Formatter } from './types.js';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/gu, (c) => `&#${String(c.charCodeAt(0))};`);
}

export const formatHtml: Formatter = (findings, context) => {
  const overview = reportOverview(findings, context);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`,
    `<title>${escapeHtml(context.tool.name)} report</title></head>`,
    `<body><h1>Result: ${overview.result}</h1></body>`,
    '</html>',
    '',
  ].join('\n');
};
