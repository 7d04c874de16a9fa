/**
 * `security-hub import` of a saved report: is Security Hub already holding a newer verdict for the
 * report's scope? A previous ACTIVE finding of ours in one of the report's accounts last observed
 * after the report finished means a later run imported there; importing the older report would
 * turn those verdicts back (and archive what the later run found). The import refuses it.
 *
 * Only ACTIVE findings of our generator under the default product, observed after the report, are
 * asked for (few or none on AWS); the filters are applied again here because moto ignores them
 * (test/MOTO_GAPS.md). A target that cannot be read is skipped: the import's own read of the same
 * target fails too and is reported as an import failure (exit 2), with nothing sent there.
 */
import { paginateGetFindings, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import pLimit from 'p-limit';
import type { LoadedReport } from '../load/loadReport.js';
import { defaultProductArn } from '../report/asff.js';
import { GENERATOR_PREFIX, ownFinding } from '../securityhub/findingIdentity.js';
import type { HubAccess } from '../securityhub/types.js';

export interface NewerFinding {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly lastObservedAt: string;
}

/** Targets read at once; each reads its pages one after another, at most 10 calls a second. */
const TARGET_CONCURRENCY = 8;
/** Security Hub's GetFindings quota is 10 requests a second per account and Region (SCALE §6.1). */
const MIN_CALL_INTERVAL_MS = 100;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The targets of a report: each account it audited × its Regions and the account-level Region. */
function targets(report: LoadedReport, accountLevelRegion: string): { accountId: string; region: string }[] {
  const regions = [...new Set([...report.context.scope.regions, accountLevelRegion])];
  return report.context.scope.accounts.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
}

async function newerIn(access: HubAccess, accountId: string, region: string, observed: number): Promise<NewerFinding[]> {
  const hub = await access.client(accountId, region);
  if (!hub.ok) {
    return [];
  }
  const productArn = defaultProductArn(accountId, region);
  const pages = paginateGetFindings(
    { client: hub.client, pageSize: 100 },
    {
      Filters: {
        ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
        GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
        AwsAccountId: [{ Value: accountId, Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        // 1 ms after the report: a finding observed when the report finished is the report's own.
        LastObservedAt: [{ Start: new Date(observed + 1).toISOString(), End: '9999-12-31T23:59:59.999Z' }],
      },
    },
  );
  const found: NewerFinding[] = [];
  try {
    for await (const page of pages) {
      found.push(...(page.Findings ?? []).filter((f) => isNewer(f, productArn, accountId, observed)).map((f) => toNewer(f, accountId, region)));
      if (page.NextToken !== undefined) {
        await sleep(MIN_CALL_INTERVAL_MS);
      }
    }
  } catch {
    // Reported by the import itself (read_previous / not_enabled), which sends nothing there.
    return found;
  }
  return found;
}

function isNewer(finding: AwsSecurityFinding, productArn: string, accountId: string, observed: number): boolean {
  const last = Date.parse(finding.LastObservedAt ?? '');
  return (
    ownFinding(finding) !== null && finding.ProductArn === productArn && finding.AwsAccountId === accountId && finding.RecordState === 'ACTIVE' && last > observed
  );
}

function toNewer(finding: AwsSecurityFinding, accountId: string, region: string): NewerFinding {
  return { id: finding.Id ?? '', accountId, region, lastObservedAt: finding.LastObservedAt ?? '' };
}

/** Our ACTIVE findings in the report's accounts observed after it finished, sorted by id. */
export async function newerFindings(report: LoadedReport, access: HubAccess, accountLevelRegion: string): Promise<NewerFinding[]> {
  const observed = Date.parse(report.context.finishedAt);
  const limit = pLimit(TARGET_CONCURRENCY);
  const perTarget = await Promise.all(targets(report, accountLevelRegion).map(({ accountId, region }) => limit(() => newerIn(access, accountId, region, observed))));
  return perTarget.flat().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
