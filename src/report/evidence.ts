/**
 * The JSON report as the evidence the human-readable reports point at: Markdown and HTML print its
 * SHA-256 so that an auditor holding `trailaudit.json` can check it is the run the page describes.
 *
 * Formatters are pure functions of (findings, context), so the JSON text is too; it is rendered
 * once per (findings, context) pair and shared (the JSON formatter, the digest and the history's
 * copy all use this one rendering of what can be a 100 MB string).
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../engine/types.js';
import { formatJson } from './json.js';
import type { Formatter, ReportContext } from './types.js';

const rendered = new WeakMap<readonly Finding[], WeakMap<ReportContext, string>>();

/** `formatJson`, memoised on the identity of its two arguments (both are treated as immutable). */
export const jsonReport: Formatter = (findings, context) => {
  let byContext = rendered.get(findings);
  if (byContext === undefined) {
    byContext = new WeakMap();
    rendered.set(findings, byContext);
  }
  let json = byContext.get(context);
  if (json === undefined) {
    json = formatJson(findings, context);
    byContext.set(context, json);
  }
  return json;
};

/** Hex SHA-256 of the UTF-8 bytes of `trailaudit.json` as this run writes it. */
export function jsonEvidenceSha256(findings: readonly Finding[], context: ReportContext): string {
  return createHash('sha256').update(jsonReport(findings, context), 'utf8').digest('hex');
}
