/**
 * The one list of report formats, with the file each is written to. The CLI's `--format` help
 * and validation, the rules schema's `reports` enum (a parity test keeps it equal), the formatter
 * registry's keys and the stale-report check all come from here.
 *
 * Kept apart from the formatters (no import of them) so the CLI can parse `--format` and name
 * report files without loading xmlbuilder2 and the rest: they are imported on demand.
 */

export const REPORT_FILE_NAMES = {
  json: 'trailaudit.json',
  junit: 'trailaudit.junit.xml',
  markdown: 'trailaudit.md',
  sarif: 'trailaudit.sarif',
  asff: 'trailaudit.asff.json',
  html: 'trailaudit.html',
} as const satisfies Readonly<Record<string, string>>;

export type ReportFormat = keyof typeof REPORT_FILE_NAMES;

/** In the order of REPORT_FILE_NAMES, which is the order help texts and errors list them in. */
export const REPORT_FORMATS: readonly ReportFormat[] = Object.keys(REPORT_FILE_NAMES) as ReportFormat[];
