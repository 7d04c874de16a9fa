import { jsonReport } from './evidence.js';
import { formatHtml } from './html.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatAsff } from './asff.js';
import { formatSarif } from './sarif.js';
import type { FormatterRegistry } from './types.js';

export { formatJson, parseBaseline, REPORT_SCHEMA_VERSION } from './json.js';
export { formatJunit } from './junit.js';
export { formatMarkdown } from './markdown.js';
export { formatAsff } from './asff.js';
export { formatSarif } from './sarif.js';
export { formatHtml } from './html.js';
export { jsonEvidenceSha256 } from './evidence.js';
export { reportOverview } from './overview.js';
export type { ReportOverview, ReportResult } from './overview.js';
export { formatSummary } from './summary.js';
export type { SummaryOptions } from './summary.js';
export { countFindings, isBlocking, summariseControls, suppressionRegister } from './common.js';
export type { ControlSummary, StatusCounts, SuppressionEntry, Verdict } from './common.js';

export { REPORT_FILE_NAMES, REPORT_FORMATS } from './formats.js';
export type { ReportFormat } from './formats.js';

export const FORMATTERS: FormatterRegistry = {
  // Memoised: the history's copy and the evidence digest reuse this rendering.
  json: jsonReport,
  junit: formatJunit,
  markdown: formatMarkdown,
  sarif: formatSarif,
  asff: formatAsff,
  html: formatHtml,
};

