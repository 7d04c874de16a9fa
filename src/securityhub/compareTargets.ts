/**
 * Where `security-hub compare` reads Security Hub (pure): which control ids, and which (account,
 * Region) pairs. Every audited account in every audited Region, plus the credential chain's Region
 * (Security Hub writes account-level control findings in every Region, and a report of one Region
 * may be compared where the user's Security Hub lives), plus each Region holding one of our
 * resources (a trail homed outside the audited Regions is evaluated in its home Region).
 */
import type { Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';
import { accountOf, isRegion } from './compare.js';
import type { HubTarget } from './compareTypes.js';

/** Security Hub control ids the report's enabled checks map to (`frameworks.securityhub`). */
export function comparedControls(context: ReportContext): string[] {
  const controls = new Set(context.checks.flatMap((check) => check.frameworks.securityhub ?? []));
  return [...controls].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export function compareTargets(findings: readonly Finding[], context: ReportContext, accountLevelRegion: string): HubTarget[] {
  const accounts = new Set(context.scope.accounts);
  const regions = new Map([...accounts].map((accountId) => [accountId, new Set([...context.scope.regions, accountLevelRegion])]));
  for (const finding of findings) {
    const accountId = accountOf(finding);
    const region = finding.resource.region;
    if (accountId !== null && isRegion(region) && (finding.frameworks.securityhub ?? []).length > 0) {
      regions.get(accountId)?.add(region);
    }
  }
  return [...regions].flatMap(([accountId, set]) => [...set].sort().map((region) => ({ accountId, region })));
}
