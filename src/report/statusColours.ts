/**
 * Each status's colour, one set for every picture: the HTML report's stylesheet and charts, and the
 * Markdown report's mermaid charts, so FAIL is the same red wherever a reader meets it.
 */
export const STATUS_COLOURS = {
  FAIL: '#c62828',
  /** A FAIL accepted by a suppression (HTML only: mermaid charts count it under FAIL). */
  ACCEPTED: '#8e24aa',
  UNKNOWN: '#e6a100',
  PASS: '#2e7d32',
  NOT_APPLICABLE: '#9e9e9e',
} as const;
