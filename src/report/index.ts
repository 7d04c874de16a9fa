import type { ReportFormat } from '../engine/types.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import type { FormatterRegistry } from './types.js';

export { formatJson, parseBaseline, REPORT_SCHEMA_VERSION } from './json.js';
export { formatJunit } from './junit.js';
export { formatMarkdown } from './markdown.js';
export { formatSummary } from './summary.js';
export type { SummaryOptions } from './summary.js';
export { countFindings, isBlocking, summariseControls, suppressionRegister } from './common.js';
export type { ControlSummary, StatusCounts, SuppressionEntry, Verdict } from './common.js';

/** SARIF and ASFF are planned formats; `undefined` lets the CLI say "not available yet" by format. */
export const FORMATTERS: FormatterRegistry = {
  json: formatJson,
  junit: formatJunit,
  markdown: formatMarkdown,
  sarif: undefined,
  asff: undefined,
};

export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  json: 'trailaudit.json',
  junit: 'trailaudit.junit.xml',
  markdown: 'trailaudit.md',
  sarif: 'trailaudit.sarif',
  asff: 'trailaudit.asff.json',
};
