/**
 * Where a run saw everything (issue 14): the part of the Security Hub planner that decides, for a
 * finding of ours Security Hub holds and this run does not import, whether the run may archive it
 * (archivePlan.ts). A previous finding is kept, with the reason, when:
 * - `not_live`: an infrastructure-code scan says nothing about the account;
 * - `account_not_in_scope`: its account is not in `scope.accounts` (a shard lists only its own);
 * - `partial_organization`: the run saw part of an organization (one shard, or an evaluation of
 *   some shards): an organization trail and its log bucket may be judged in a part it did not see;
 * - `region_not_in_scope`: its resource Region is not in `scope.regions` — unless this run reported
 *   that resource (a multi-Region trail homed outside `--regions` is judged all the same);
 *   account-level resources (`global`, `unknown`) belong to their account, not to a Region: their
 *   copy in another Region (an earlier `--security-hub-region`) is archived once the new copy is in
 *   (importRun.ts archives only after the account's imports succeeded);
 * - `check_not_run`: its check is not among the enabled checks;
 * - `unknown_in_scope`: this run has an UNKNOWN for that check there. An UNKNOWN blocks its own
 *   (check, account, Region) when it names a real resource in a real Region, and its resource in
 *   any account (a bucket UNKNOWN under the trail's account is the owner's bucket too); it blocks
 *   the check in every Region of its account when it is account-wide (`global`), has no Region, or
 *   stands for resources that could not be listed (an id with `*`); an UNKNOWN with no account
 *   blocks the check in every account. An account the organization audit could not enter blocks
 *   every check there. A previous account-level finding is blocked by any UNKNOWN of its check in
 *   its account;
 * - `bucket_writers_not_seen`: a log bucket's finding this run does not report. A bucket is reported
 *   only because a trail writes to it, and that trail may be homed in any Region of any account of
 *   the organization: "no longer reported" means something only when the run saw every trail that
 *   could write there. So it is archived only when the report says the run audited every enabled
 *   Region (`scope.allRegions`, not a --regions selection; absent in older reports: kept) and, for
 *   an organization audit, the whole organization (`wholeOrganization`: --org without --ou or
 *   --accounts) with no account excluded, skipped (but suspended) or unreachable, no shard, and no
 *   UNKNOWN of its check standing for trails or buckets that could not be listed (an id with `*`).
 *   Trail and account findings keep the rules above.
 */
import type { Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';
import { isRegionName, type OwnFinding } from './findingIdentity.js';

export type KeepReason = 'not_live' | 'account_not_in_scope' | 'partial_organization' | 'region_not_in_scope' | 'check_not_run' | 'unknown_in_scope' | 'bucket_writers_not_seen';

/** What made a previous finding's check UNKNOWN here: its reason and message. */
export interface BlockingUnknown {
  readonly reason: string;
  readonly message: string;
}

export interface EvaluatedScope {
  keepReason(own: OwnFinding): KeepReason | null;
  /** For a finding kept as `unknown_in_scope`: the UNKNOWN (or unreachable account) that blocked it. */
  blockingUnknown(own: OwnFinding): BlockingUnknown | null;
}

const ANYWHERE = '*';

/** A log bucket's finding: its resource is an S3 bucket ARN (`arn:<partition>:s3:::name`). */
function isBucket(own: OwnFinding): boolean {
  return /^arn:aws[a-z-]*:s3:::/u.test(own.resourceId);
}

/**
 * Whether this run saw every trail that could write to a bucket of its accounts: every enabled
 * Region, and (organization audits) every account of the organization, each one entered.
 */
function sawEveryTrail(context: ReportContext, partial: boolean): boolean {
  const { allRegions, organization } = context.scope;
  if (allRegions !== true) {
    return false;
  }
  if (organization === undefined) {
    return true;
  }
  // A suspended account is closed: its trails deliver nothing. Any other skip leaves trails unseen.
  const leftOut = organization.skipped.some((skipped) => skipped.reason !== 'suspended');
  return organization.wholeOrganization === true && !partial && !leftOut && organization.unreachable.length === 0;
}

/**
 * Whether this run audited every account whose trails wrote to the bucket when its finding was
 * made. A single-account run of an organization member cannot see another member's trail writing
 * to its bucket; the finding recorded who wrote (WRITER_ACCOUNTS_FIELD). A finding without that
 * record (made by an older version) is archived only by a whole-organization run, never by a
 * single-account one: it cannot tell.
 */
function writersAudited(own: OwnFinding, context: ReportContext, audited: ReadonlySet<string>): boolean {
  if (own.writerAccounts === undefined) {
    return context.scope.organization !== undefined;
  }
  return own.writerAccounts.every((account) => audited.has(account));
}

function partOfOrganization(context: ReportContext): boolean {
  const organization = context.scope.organization;
  return organization !== undefined && (organization.shard !== undefined || organization.accountsInScope > context.scope.accounts.length);
}

export function evaluatedScope(findings: readonly Finding[], context: ReportContext): EvaluatedScope {
  const accounts = new Set(context.scope.accounts);
  const regions = new Set(context.scope.regions);
  const ran = new Set(context.checks.map((check) => check.id));
  const unreachable = new Map((context.scope.organization?.unreachable ?? []).map((account) => [account.accountId, account]));
  const partial = partOfOrganization(context);
  const reported = new Set(findings.map((finding) => `${finding.resource.accountId ?? ''}\n${finding.resource.id}`));
  const everyTrailSeen = sawEveryTrail(context, partial);
  // Checks with an UNKNOWN standing for resources that could not be listed, in any account.
  const unlisted = new Set(findings.filter((finding) => finding.status === 'UNKNOWN' && finding.resource.id.includes('*')).map((finding) => finding.checkId));
  // check → account (or ANYWHERE) → Region (or ANYWHERE) → the first UNKNOWN there
  const blocked = new Map<string, Map<string, Map<string, Finding>>>();
  // check → resource id → the first UNKNOWN of that resource, whichever account it is filed under
  const blockedResources = new Map<string, Map<string, Finding>>();
  for (const finding of findings.filter((f) => f.status === 'UNKNOWN')) {
    const { accountId, region, id } = finding.resource;
    const account = accountId !== null && /^\d{12}$/u.test(accountId) ? accountId : ANYWHERE;
    const where = account !== ANYWHERE && isRegionName(region) && !id.includes('*') ? region : ANYWHERE;
    const byAccount = blocked.get(finding.checkId) ?? new Map<string, Map<string, Finding>>();
    const inAccount = byAccount.get(account) ?? new Map<string, Finding>();
    if (!inAccount.has(where)) {
      inAccount.set(where, finding);
    }
    blocked.set(finding.checkId, byAccount.set(account, inAccount));
    const byResource = blockedResources.get(finding.checkId) ?? new Map<string, Finding>();
    if (!byResource.has(id)) {
      byResource.set(id, finding);
    }
    blockedResources.set(finding.checkId, byResource);
  }
  const unknownFor = (own: OwnFinding): BlockingUnknown | null => {
    const account = unreachable.get(own.accountId);
    if (account !== undefined) {
      return { reason: account.reason, message: account.message };
    }
    const byAccount = blocked.get(own.checkId);
    const inAccount = byAccount?.get(own.accountId);
    const found =
      byAccount?.get(ANYWHERE)?.values().next().value ??
      blockedResources.get(own.checkId)?.get(own.resourceId) ??
      inAccount?.get(ANYWHERE) ??
      (isRegionName(own.resourceRegion) ? inAccount?.get(own.resourceRegion) : inAccount?.values().next().value);
    return found === undefined ? null : { reason: found.reason ?? 'error', message: found.message };
  };
  return {
    keepReason(own) {
      if (context.scope.source !== 'live') {
        return 'not_live';
      }
      if (!accounts.has(own.accountId)) {
        return 'account_not_in_scope';
      }
      if (partial) {
        return 'partial_organization';
      }
      if (isRegionName(own.resourceRegion) && !regions.has(own.resourceRegion) && !reported.has(`${own.accountId}\n${own.resourceId}`)) {
        return 'region_not_in_scope';
      }
      if (!ran.has(own.checkId)) {
        return 'check_not_run';
      }
      if (unknownFor(own) !== null) {
        return 'unknown_in_scope';
      }
      const bucketStillWritable = isBucket(own) && !reported.has(`${own.accountId}\n${own.resourceId}`) && (!everyTrailSeen || unlisted.has(own.checkId) || !writersAudited(own, context, accounts));
      return bucketStillWritable ? 'bucket_writers_not_seen' : null;
    },
    blockingUnknown: unknownFor,
  };
}
