/**
 * CONTRACT STUB (issue 14, part B implements first): a `trailaudit.json` report read back as the
 * findings and report context that produced it, for `security-hub import` and `security-hub
 * compare`. The enabled checks are the report's `controls`, resolved against the loaded check
 * definitions (the shipped ones, or `--checks-dir`). A malformed report is an InputError naming
 * the file and the JSON path (exit 2), like a bad baseline.
 */
import type { CheckDefinition, Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';

export interface LoadedReport {
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
}

export function loadReport(file: string, checks: readonly CheckDefinition[]): LoadedReport {
  throw new Error(`loadReport is not implemented yet (${file}, ${String(checks.length)} checks)`);
}
