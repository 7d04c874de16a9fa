/**
 * validate-logs' report formats and their file names, in one place, apart from the formatters so
 * the CLI can parse --format without loading them. The names differ from the audit's
 * (src/report/fileNames.ts) so that an audit and a log validation written to the same
 * --output-dir keep each other's reports.
 */
export const LOGS_REPORT_FORMATS = ['json', 'junit', 'markdown'] as const;
export type LogsReportFormat = (typeof LOGS_REPORT_FORMATS)[number];

export const LOGS_REPORT_FILE_NAMES: Readonly<Record<LogsReportFormat, string>> = {
  json: 'trailaudit-logs.json',
  junit: 'trailaudit-logs.junit.xml',
  markdown: 'trailaudit-logs.md',
};
