/**
 * Escaping for everything interpolated into the HTML report. Resource ids come from AWS and from
 * templates and may hold `<&>"'`: every value goes through {@link esc}, in text and in attributes
 * alike (one function, so no call site has to know which context it writes into).
 */
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/gu, (c) => ENTITIES[c] ?? c);
}

/** A CSS class or id fragment from free text (control ids like `CloudTrail.1`, statuses). */
export function token(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/gu, '-');
}

/**
 * `2026-12-06T19:00:05.123Z` → `2026-12-06 19:00 UTC`: what a reader scans for, no milliseconds;
 * with `seconds`, `2026-12-06 19:00:05 UTC`, so runs a few seconds apart are told apart.
 */
export function when(iso: string, seconds = false): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/u.exec(iso);
  return match === null ? iso : `${match[1] ?? ''} ${match[2] ?? ''}${seconds ? (match[3] ?? '') : ''} UTC`;
}

/** The date part of an ISO time, for compact columns. */
export function day(iso: string): string {
  return iso.slice(0, 10);
}
