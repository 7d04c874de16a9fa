/**
 * reduce's Security Hub step: the run's findings imported from each finding's own account (the
 * caller's credentials for its own account, the import role — by default the audit role — in the
 * others) with the import of src/securityhub/, which archives only inside the scope the run fully
 * evaluated. Failures are returned, not thrown: the reports are written already, and the
 * execution's output lists what could not be imported.
 */
import { resolveDefaultRegion } from '../collect/live/clients.js';
import type { Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';
import { createHubAccess } from '../securityhub/access.js';
import { importToSecurityHub } from '../securityhub/importRun.js';
import type { ImportFailure } from '../securityhub/types.js';
import type { SecurityHubSettings } from './settings.js';
import { logNotice } from './log.js';

export interface SecurityHubResult {
  readonly imported: number;
  readonly archived: number;
  /** (account, Region) pairs written to. */
  readonly targets: number;
  /** The first failures (a state's output is limited to 256 KB); each with at most 20 finding ids. */
  readonly failures: readonly ImportFailure[];
  /** Every failure counted. */
  readonly failureCount: number;
}

/** At most this many failures in the state's output (256 KB payload limit); the count is always exact. */
const MAX_FAILURES_LISTED = 50;

export async function importFindings(request: {
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
  readonly settings: SecurityHubSettings;
  readonly auditRoleName: string;
  /**
   * The run's external id (TRAILAUDIT_EXTERNAL_ID), passed with every AssumeRole as the audit
   * passes it (and as `audit --org --external-id X --security-hub` does): member roles whose trust
   * policy requires it (member-role.yaml's ExternalId) refuse an AssumeRole without it.
   */
  readonly externalId?: string;
  readonly endpointUrl?: string;
}): Promise<SecurityHubResult> {
  const region = request.settings.region ?? (await resolveDefaultRegion(undefined));
  const access = await createHubAccess({
    roleName: request.settings.roleName ?? request.auditRoleName,
    ...(request.externalId === undefined ? {} : { externalId: request.externalId }),
    region,
    ...(request.endpointUrl === undefined ? {} : { endpointUrl: request.endpointUrl }),
  });
  try {
    const outcome = await importToSecurityHub({
      findings: request.findings,
      context: request.context,
      accountLevelRegion: region,
      now: new Date(),
      dryRun: false,
      access,
      onNotice: logNotice,
    });
    return {
      imported: outcome.imported,
      archived: outcome.archived,
      targets: outcome.targets.length,
      failures: outcome.failures.slice(0, MAX_FAILURES_LISTED).map((failure) => ({ ...failure, findingIds: failure.findingIds.slice(0, 20) })),
      failureCount: outcome.failures.length,
    };
  } finally {
    access.close();
  }
}
