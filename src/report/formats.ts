import type { ReportFormat } from '../engine/types.js';

/** Kept apart from the formatters so the CLI can name report files without loading them. */
export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  json: 'trailaudit.json',
  junit: 'trailaudit.junit.xml',
  markdown: 'trailaudit.md',
  sarif: 'trailaudit.sarif',
  asff: 'trailaudit.asff.json',
};
