/**
 * CONTRACT STUB (issue 14, part A implements): the import of one run's findings into Security Hub.
 * Reads the previous findings of every (account, Region) in scope with GetFindings (paged, filters
 * sent and applied again here), plans with planSecurityHubImport, then sends imports and archives
 * with BatchImportFindings in batches of at most 100 findings and 6 MB, paced under 10 calls/s
 * per account and Region, FailedFindings retried with backoff.
 */
import type { ImportOutcome, ImportRequest } from './types.js';

export function importToSecurityHub(request: ImportRequest): Promise<ImportOutcome> {
  return Promise.reject(new Error(`importToSecurityHub is not implemented yet (${String(request.findings.length)} findings)`));
}
