/**
 * The Security Hub round trip's plan (issue 14), a pure function: the findings Security Hub
 * already holds + this run's findings and scope + the time → what to import and what to archive.
 * No AWS call, no clock: the import command fetches `previous` and sends the plan.
 *
 * Imports: one per PASS / FAIL / UNKNOWN finding (PASSED / FAILED / NOT_AVAILABLE; NOT_APPLICABLE
 * and account-less findings are not sent), built by the ASFF report's builder, with
 * - the Id of findingIdentity.ts (check, account, resource Region, resource);
 * - `CreatedAt` / `FirstObservedAt` kept from the previous finding with the same (ProductArn, Id)
 *   (even an archived one, which the import re-activates: `RecordState: ACTIVE`);
 * - `UpdatedAt` = `now`, or 1 ms after the previous `UpdatedAt` when that is not older than `now`
 *   (clock skew, two runs in the same millisecond): Security Hub ignores an update that is not
 *   newer, which would leave a fixed resource FAILED; `LastObservedAt` = `observedAt` (default `now`);
 * - findings with no Region of their own (account-level, `global`; a bucket whose Region could not
 *   be read) go to `accountLevelRegion` (`--security-hub-region`);
 * - two findings with the same Id (not expected from the engine) are sent once, the worse status
 *   winning (FAIL, then UNKNOWN, then PASS): never a PASS over a failure.
 *
 * Archives: a previous ACTIVE finding of ours (generator `trailaudit/<check>`, default product of
 * its own account in its own Region: ownFinding) that this run does not import is archived
 * (`RecordState: ARCHIVED`, a newer `UpdatedAt`, everything else as Security Hub returned it) only
 * inside the scope this run fully evaluated; otherwise it is kept, with the reason:
 * - `not_live`: an infrastructure-code scan says nothing about the account;
 * - `account_not_in_scope`: its account is not in `scope.accounts` (a shard lists only its own);
 * - `region_not_in_scope`: its resource Region is not in `scope.regions`; account-level resources
 *   (`global`, `unknown`) are in scope when their account is and their Security Hub Region is one
 *   the run audited or `accountLevelRegion`;
 *   (`global`, `unknown`) are in scope whenever their account is;
 * - `check_not_run`: its check is not among the enabled checks;
 * - `unknown_in_scope`: this run has an UNKNOWN for that check there. An UNKNOWN blocks its own
 *   (check, account, Region) when it names a real resource in a real Region; it blocks the check
 *   in every Region of its account when it is account-wide (`global`), has no Region, or stands
 *   for resources that could not be listed (an id with `*`: the log buckets of the trails of a
 *   Region may live in any Region); an UNKNOWN with no account blocks the check in every account.
 *   An account the organization audit could not enter blocks every check there. A previous
 *   account-level finding is blocked by any UNKNOWN of its check in its account.
 * An archived finding is never archived again; other products' and generators' findings are never
 * touched.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding } from '../engine/types.js';
import { asffFinding } from '../report/asff.js';
import type { ReportContext } from '../report/types.js';
import { EVALUATED_AT_FIELD, findingId, findingKey, isRegionName, ownFinding, RESOURCE_REGION_FIELD, type OwnFinding } from './findingIdentity.js';

export interface ArchivePlanInput {
  /** Findings Security Hub holds (any product, generator and state: the planner picks its own). */
  readonly previous: readonly AwsSecurityFinding[];
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
  /** Security Hub Region of findings without a Region of their own (`--security-hub-region`). */
  readonly accountLevelRegion: string;
  /** ISO 8601 timestamp of this import. */
  readonly now: string;
  /**
   * When this run's findings were observed (the report's `finishedAt`): their `LastObservedAt`, and
   * a new finding's `FirstObservedAt`. Default `now` (an audit importing as it finishes); a report
   * imported later gives its own time, so Security Hub does not date old verdicts as fresh.
   */
  readonly observedAt?: string;
}

export type NotSentReason = 'not_applicable' | 'no_account' | 'account_not_in_scope' | 'duplicate_id';
export type KeepReason = 'not_live' | 'account_not_in_scope' | 'region_not_in_scope' | 'check_not_run' | 'unknown_in_scope';

export interface ArchivePlan {
  readonly imports: readonly AwsSecurityFinding[];
  readonly archives: readonly AwsSecurityFinding[];
  /** This run's findings not imported, and why (for `--dry-run`). */
  readonly notSent: readonly { readonly checkId: string; readonly resourceId: string; readonly reason: NotSentReason }[];
  /** Previous ACTIVE findings of ours this run neither imports nor archives, and why. */
  readonly kept: readonly { readonly id: string; readonly productArn: string; readonly reason: KeepReason }[];
}

const STATUS_WEIGHT: Readonly<Record<Finding['status'], number>> = { FAIL: 3, UNKNOWN: 2, PASS: 1, NOT_APPLICABLE: 0 };

export function planSecurityHubImport(input: ArchivePlanInput): ArchivePlan {
  const previous = ownPrevious(input.previous);
  const { imports, notSent } = planImports(input, previous);
  const imported = new Set(imports.map(findingKey));
  const scope = evaluatedScope(input.findings, input.context, input.accountLevelRegion);
  const archives: AwsSecurityFinding[] = [];
  const kept: ArchivePlan['kept'][number][] = [];
  for (const { finding, own } of previous.values()) {
    if (finding.RecordState !== 'ACTIVE' || imported.has(findingKey(finding))) {
      continue;
    }
    const reason = scope.keepReason(own);
    if (reason === null) {
      archives.push({
        ...finding,
        RecordState: 'ARCHIVED',
        UpdatedAt: after(input.now, finding.UpdatedAt),
        // Which run archived it: a report older than that is not imported over it (security-hub import).
        ProductFields: { ...finding.ProductFields, [EVALUATED_AT_FIELD]: input.observedAt ?? input.now },
      });
    } else {
      kept.push({ id: finding.Id ?? '', productArn: finding.ProductArn ?? '', reason });
    }
  }
  return { imports, archives, notSent, kept };
}

interface Previous {
  readonly finding: AwsSecurityFinding;
  readonly own: OwnFinding;
}

/** Our findings by (ProductArn, Id); if Security Hub returned one twice, the latest update. */
function ownPrevious(findings: readonly AwsSecurityFinding[]): Map<string, Previous> {
  const byKey = new Map<string, Previous>();
  for (const finding of findings) {
    const own = ownFinding(finding);
    const key = findingKey(finding);
    const seen = byKey.get(key);
    if (own !== null && (seen === undefined || (seen.finding.UpdatedAt ?? '') < (finding.UpdatedAt ?? ''))) {
      byKey.set(key, { finding, own });
    }
  }
  return byKey;
}

function planImports(input: ArchivePlanInput, previous: ReadonlyMap<string, Previous>): Pick<ArchivePlan, 'imports' | 'notSent'> {
  // The ASFF builder puts a finding without a real Region into scope.regions[0].
  const context: ReportContext = { ...input.context, scope: { ...input.context.scope, regions: [input.accountLevelRegion] } };
  const chosen = new Map<string, { readonly finding: Finding; readonly asff: AwsSecurityFinding }>();
  const notSent: ArchivePlan['notSent'][number][] = [];
  const audited = new Set(input.context.scope.accounts);
  const byResource = previousByResource(previous);
  for (const finding of input.findings) {
    const built = asffFinding(finding, context);
    if (built === null) {
      const reason = finding.status === 'NOT_APPLICABLE' ? 'not_applicable' : 'no_account';
      notSent.push({ checkId: finding.checkId, resourceId: finding.resource.id, reason });
      continue;
    }
    // A shard's report holds UNKNOWN stand-ins for the other shards' accounts, and a bucket may
    // belong to an account nobody audited: neither is this run's to write into that account.
    if (input.context.scope.source === 'live' && !audited.has(String(built.AwsAccountId))) {
      notSent.push({ checkId: finding.checkId, resourceId: finding.resource.id, reason: 'account_not_in_scope' });
      continue;
    }
    // The builder returns a plain object of ASFF fields (checked by test/report/asff.test.ts).
    const asff = placedLikePrevious(finding, { ...(built as unknown as AwsSecurityFinding), Id: findingId(finding, String(built.AwsAccountId)) }, byResource);
    const key = findingKey(asff);
    const other = chosen.get(key);
    if (other !== undefined) {
      const [kept, dropped] = STATUS_WEIGHT[finding.status] > STATUS_WEIGHT[other.finding.status] ? [finding, other.finding] : [other.finding, finding];
      notSent.push({ checkId: dropped.checkId, resourceId: dropped.resource.id, reason: 'duplicate_id' });
      if (kept === other.finding) {
        continue;
      }
    }
    chosen.set(key, { finding, asff });
  }
  const imports = [...chosen.values()].map(({ finding, asff }) => {
    const before = previous.get(findingKey(asff))?.finding;
    const createdAt = before?.CreatedAt ?? input.now;
    return {
      ...asff,
      CreatedAt: createdAt,
      FirstObservedAt: before?.FirstObservedAt ?? input.observedAt ?? createdAt,
      UpdatedAt: after(input.now, before?.UpdatedAt),
      LastObservedAt: input.observedAt ?? input.now,
      ProductFields: {
        ...asff.ProductFields,
        [RESOURCE_REGION_FIELD]: asff.ProductFields?.[RESOURCE_REGION_FIELD] ?? finding.resource.region,
        [EVALUATED_AT_FIELD]: input.observedAt ?? input.now,
      },
      RecordState: 'ACTIVE' as const,
    };
  });
  return { imports, notSent };
}

/** (generator, account, resource id) → our latest previous finding of that resource, any Region. */
function previousByResource(previous: ReadonlyMap<string, Previous>): Map<string, AwsSecurityFinding> {
  const byResource = new Map<string, AwsSecurityFinding>();
  for (const { finding } of previous.values()) {
    const key = resourceKey(finding);
    const seen = byResource.get(key);
    if (seen === undefined || (seen.UpdatedAt ?? '') < (finding.UpdatedAt ?? '')) {
      byResource.set(key, finding);
    }
  }
  return byResource;
}

function resourceKey(finding: AwsSecurityFinding): string {
  return `${finding.GeneratorId ?? ''}\n${finding.AwsAccountId ?? ''}\n${finding.Resources?.[0]?.Id ?? ''}`;
}

/**
 * A resource whose Region this run could not read (a bucket's GetBucketLocation failed: `unknown`)
 * would get an Id of its own in the account-level Region, leaving the earlier verdict (say PASSED)
 * ACTIVE beside the new NOT_AVAILABLE. When Security Hub holds our finding of the same check,
 * account and resource, the new verdict updates that finding, where it is.
 */
function placedLikePrevious(finding: Finding, asff: AwsSecurityFinding, byResource: ReadonlyMap<string, AwsSecurityFinding>): AwsSecurityFinding {
  const region = finding.resource.region;
  if (isRegionName(region) || region === 'global') {
    return asff;
  }
  const before = byResource.get(resourceKey(asff));
  if (before?.Id === undefined || before.ProductArn === undefined || before.Region === undefined) {
    return asff;
  }
  const [resource, ...others] = asff.Resources ?? [];
  return {
    ...asff,
    Id: before.Id,
    ProductArn: before.ProductArn,
    Region: before.Region,
    ...(resource === undefined ? {} : { Resources: [{ ...resource, Region: before.Region }, ...others] }),
    ProductFields: { ...asff.ProductFields, [RESOURCE_REGION_FIELD]: before.ProductFields?.[RESOURCE_REGION_FIELD] ?? before.Region },
  };
}

/** `now`, or just after `previous` when that is not older: Security Hub only takes newer updates. */
function after(now: string, previous: string | undefined): string {
  const previousTime = previous === undefined ? Number.NaN : Date.parse(previous);
  return Number.isNaN(previousTime) || previousTime < Date.parse(now) ? now : new Date(previousTime + 1).toISOString();
}

const ANYWHERE = '*';

interface EvaluatedScope {
  keepReason(own: OwnFinding): KeepReason | null;
}

/** Where this run saw everything: see the module header for the rules. */
function evaluatedScope(findings: readonly Finding[], context: ReportContext, accountLevelRegion: string): EvaluatedScope {
  const accounts = new Set(context.scope.accounts);
  const regions = new Set(context.scope.regions);
  const ran = new Set(context.checks.map((check) => check.id));
  const unreachable = new Set((context.scope.organization?.unreachable ?? []).map((account) => account.accountId));
  // check → account (or ANYWHERE) → Regions (or ANYWHERE) with an UNKNOWN
  const blocked = new Map<string, Map<string, Set<string>>>();
  for (const finding of findings.filter((f) => f.status === 'UNKNOWN')) {
    const { accountId, region, id } = finding.resource;
    const account = accountId !== null && /^\d{12}$/u.test(accountId) ? accountId : ANYWHERE;
    const where = account !== ANYWHERE && isRegionName(region) && !id.includes('*') ? region : ANYWHERE;
    const byAccount = blocked.get(finding.checkId) ?? new Map<string, Set<string>>();
    blocked.set(finding.checkId, byAccount.set(account, (byAccount.get(account) ?? new Set<string>()).add(where)));
  }
  const hasUnknown = (own: OwnFinding): boolean => {
    if (unreachable.has(own.accountId)) {
      return true;
    }
    const byAccount = blocked.get(own.checkId);
    if (byAccount?.has(ANYWHERE) === true) {
      return true;
    }
    const inAccount = byAccount?.get(own.accountId);
    if (inAccount === undefined) {
      return false;
    }
    return !isRegionName(own.resourceRegion) || inAccount.has(ANYWHERE) || inAccount.has(own.resourceRegion);
  };
  return {
    keepReason(own) {
      if (context.scope.source !== 'live') {
        return 'not_live';
      }
      if (!accounts.has(own.accountId)) {
        return 'account_not_in_scope';
      }
      if (isRegionName(own.resourceRegion) && !regions.has(own.resourceRegion)) {
        return 'region_not_in_scope';
      }
      // An account-wide finding kept in a Region this run neither audited nor imports account-wide
      // findings into (an earlier --security-hub-region) is left there: the run never looked there.
      if (!isRegionName(own.resourceRegion) && own.hubRegion !== accountLevelRegion && !regions.has(own.hubRegion)) {
        return 'region_not_in_scope';
      }
      if (!ran.has(own.checkId)) {
        return 'check_not_run';
      }
      return hasUnknown(own) ? 'unknown_in_scope' : null;
    },
  };
}
