/**
 * `security-hub compare`'s run (issue 14): read Security Hub's control findings where the report
 * was audited, then compare (compare.ts). Talks to AWS only through the HubAccess it is given, so
 * the CLI and tests choose the credentials; writes nothing.
 */
import type { Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';
import { compareWithSecurityHub } from './compare.js';
import { comparedControls, compareTargets } from './compareTargets.js';
import type { CompareResult } from './compareTypes.js';
import { readControlFindings } from './controlFindings.js';
import type { HubAccess } from './types.js';

export interface CompareRequest {
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
  readonly access: HubAccess;
  /** The credential chain's Region (or `--security-hub-region`): read too, for account-level controls. */
  readonly accountLevelRegion: string;
  readonly now: () => Date;
}

export interface CompareOutcome {
  readonly result: CompareResult;
  /** GetFindings calls made. */
  readonly calls: number;
}

export async function compareReport(request: CompareRequest): Promise<CompareOutcome> {
  const controls = comparedControls(request.context);
  const targets = controls.length === 0 ? [] : compareTargets(request.findings, request.context, request.accountLevelRegion);
  const read = await readControlFindings(request.access, targets, controls);
  const result = compareWithSecurityHub({
    file: request.file,
    findings: request.findings,
    context: request.context,
    hub: read.findings,
    targets,
    controls,
    unreadable: read.unreadable,
    readAt: request.now().toISOString(),
  });
  return { result, calls: read.calls };
}
