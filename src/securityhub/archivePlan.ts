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
 * its own account in its own Region, an Id trailaudit writes: ownFinding) that this run does not
 * import is archived (`RecordState: ARCHIVED`, a newer `UpdatedAt`, everything else as Security Hub
 * returned it) only inside the scope this run fully evaluated (evaluatedScope.ts has the rules);
 * otherwise it is kept, with the reason. A kept PASSED finding whose check this run found UNKNOWN
 * there is not left PASSED: it is updated in place to NOT_AVAILABLE, with the UNKNOWN's reason
 * (never a stale PASS beside an incomplete audit; a FAILED one stays FAILED). Likewise an UNKNOWN
 * of this run whose Id Security Hub holds ACTIVE and FAILED is sent as that FAILED finding, marked
 * `trailaudit/NotReevaluated` (stillFailed), never as NOT_AVAILABLE. An archived finding
 * is never archived again; other products' and generators' findings are never touched.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding } from '../engine/types.js';
import { asffFinding } from '../report/asff.js';
import type { ReportContext } from '../report/types.js';
import { evaluatedScope, type BlockingUnknown, type KeepReason } from './evaluatedScope.js';
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
export type { KeepReason } from './evaluatedScope.js';

export interface ArchivePlan {
  readonly imports: readonly AwsSecurityFinding[];
  readonly archives: readonly AwsSecurityFinding[];
  /** This run's findings not imported, and why (for `--dry-run`). */
  readonly notSent: readonly { readonly checkId: string; readonly resourceId: string; readonly accountId: string | null; readonly region: string; readonly reason: NotSentReason }[];
  /** Previous ACTIVE findings of ours this run neither imports nor archives, and why. */
  readonly kept: readonly { readonly id: string; readonly productArn: string; readonly reason: KeepReason }[];
  /**
   * For each import that updates a finding Security Hub holds (by findingKey): its state there
   * before, `PASSED` / `FAILED` / `NOT_AVAILABLE`, or `ARCHIVED` (for `--dry-run`). Absent: new.
   */
  readonly before?: Readonly<Record<string, string>>;
}

const STATUS_WEIGHT: Readonly<Record<Finding['status'], number>> = { FAIL: 3, UNKNOWN: 2, PASS: 1, NOT_APPLICABLE: 0 };

export function planSecurityHubImport(input: ArchivePlanInput): ArchivePlan {
  const previous = ownPrevious(input.previous);
  const planned = planImports(input, previous);
  const imports = [...planned.imports];
  const { notSent } = planned;
  const imported = new Set(imports.map(findingKey));
  const scope = evaluatedScope(input.findings, input.context);
  const archives: AwsSecurityFinding[] = [];
  const kept: ArchivePlan['kept'][number][] = [];
  for (const { finding, own } of previous.values()) {
    if (finding.RecordState !== 'ACTIVE' || imported.has(findingKey(finding))) {
      continue;
    }
    const reason = scope.keepReason(own);
    const unknown = reason === 'unknown_in_scope' && finding.Compliance?.Status === 'PASSED' ? scope.blockingUnknown(own) : null;
    if (unknown !== null) {
      imports.push(notAvailable(finding, unknown, input));
    } else if (reason === null) {
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
  const before: Record<string, string> = {};
  for (const finding of imports) {
    const held = previous.get(findingKey(finding))?.finding;
    if (held !== undefined) {
      before[findingKey(finding)] = held.RecordState === 'ARCHIVED' ? 'ARCHIVED' : (held.Compliance?.Status ?? 'NONE');
    }
  }
  return { imports, archives, notSent, kept, before };
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
      notSent.push({ ...notSentOf(finding), reason });
      continue;
    }
    // The builder returns a plain object of ASFF fields (checked by test/report/asff.test.ts).
    const asff = placedLikePrevious(finding, { ...(built as unknown as AwsSecurityFinding), Id: findingId(finding, String(built.AwsAccountId)) }, byResource, audited);
    // A shard's report holds UNKNOWN stand-ins for the other shards' accounts, and a bucket may
    // belong to an account nobody audited: neither is this run's to write into that account.
    if (input.context.scope.source === 'live' && !audited.has(String(asff.AwsAccountId))) {
      notSent.push({ ...notSentOf(finding), reason: 'account_not_in_scope' });
      continue;
    }
    const key = findingKey(asff);
    const other = chosen.get(key);
    if (other !== undefined) {
      const [kept, dropped] = STATUS_WEIGHT[finding.status] > STATUS_WEIGHT[other.finding.status] ? [finding, other.finding] : [other.finding, finding];
      notSent.push({ ...notSentOf(dropped), reason: 'duplicate_id' });
      if (kept === other.finding) {
        continue;
      }
    }
    chosen.set(key, { finding, asff });
  }
  const imports = [...chosen.values()].map(({ finding, asff }) => {
    const before = previous.get(findingKey(asff))?.finding;
    // The same check, account and resource held elsewhere (an account-wide finding moved to another
    // --security-hub-region): a new Id there, but first seen when that one was.
    const seenBefore = before ?? byResource.get(resourceKey(asff));
    // A FAILED finding this run could not judge stays FAILED where it is: not moved to a new
    // --security-hub-region by a run that could not judge it (the old copy could not be archived
    // either, so a move would leave it FAILED beside a NOT_AVAILABLE copy).
    if (finding.status === 'UNKNOWN' && seenBefore?.RecordState === 'ACTIVE' && seenBefore.Compliance?.Status === 'FAILED') {
      return stillFailed(seenBefore, finding, input);
    }
    const createdAt = before?.CreatedAt ?? input.now;
    return {
      ...asff,
      CreatedAt: createdAt,
      FirstObservedAt: seenBefore?.FirstObservedAt ?? input.observedAt ?? createdAt,
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

/**
 * Our latest previous finding of a resource, any Region: by (generator, account, resource id), and
 * by (generator, resource id) in any account (ANY_ACCOUNT).
 */
function previousByResource(previous: ReadonlyMap<string, Previous>): Map<string, AwsSecurityFinding> {
  const byResource = new Map<string, AwsSecurityFinding>();
  const keep = (key: string, finding: AwsSecurityFinding): void => {
    const seen = byResource.get(key);
    if (seen === undefined || (seen.UpdatedAt ?? '') < (finding.UpdatedAt ?? '')) {
      byResource.set(key, finding);
    }
  };
  for (const { finding } of previous.values()) {
    keep(resourceKey(finding), finding);
    keep(resourceKey({ ...finding, AwsAccountId: ANY_ACCOUNT }), finding);
  }
  return byResource;
}

const ANY_ACCOUNT = '*';

function resourceKey(finding: Pick<AwsSecurityFinding, 'GeneratorId' | 'AwsAccountId' | 'Resources'>): string {
  return `${finding.GeneratorId ?? ''}\n${finding.AwsAccountId ?? ''}\n${finding.Resources?.[0]?.Id ?? ''}`;
}

/**
 * A resource whose Region this run could not read (a bucket's GetBucketLocation failed: `unknown`)
 * would get an Id of its own in the account-level Region, leaving the earlier verdict (say PASSED)
 * ACTIVE beside the new NOT_AVAILABLE. When Security Hub holds our finding of the same check,
 * account and resource, the new verdict updates that finding, where it is.
 */
function placedLikePrevious(finding: Finding, asff: AwsSecurityFinding, byResource: ReadonlyMap<string, AwsSecurityFinding>, audited: ReadonlySet<string>): AwsSecurityFinding {
  const region = finding.resource.region;
  const unplaced = !isRegionName(region) && region !== 'global';
  // A resource UNKNOWN under another account than its own (a log bucket whose owner could not be
  // read is filed under the trail's account): the owner's finding, if an audited account holds one.
  const elsewhere = finding.status === 'UNKNOWN' && finding.resource.type !== 'AWS::::Account' ? byResource.get(resourceKey({ ...asff, AwsAccountId: ANY_ACCOUNT })) : undefined;
  const owner = elsewhere?.AwsAccountId;
  const inOwner = owner !== undefined && owner !== asff.AwsAccountId && audited.has(owner) ? elsewhere : undefined;
  const before = (unplaced ? byResource.get(resourceKey(asff)) : undefined) ?? inOwner;
  if (before?.Id === undefined || before.ProductArn === undefined || before.Region === undefined || before.AwsAccountId === undefined) {
    return asff;
  }
  const [resource, ...others] = asff.Resources ?? [];
  return {
    ...asff,
    Id: before.Id,
    ProductArn: before.ProductArn,
    AwsAccountId: before.AwsAccountId,
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

/** A PASSED finding of a check this run could not evaluate there: NOT_AVAILABLE, in place. */
function notAvailable(finding: AwsSecurityFinding, unknown: BlockingUnknown, input: ArchivePlanInput): AwsSecurityFinding {
  const when = input.observedAt ?? input.now;
  const description = `Not evaluated by the run of ${when} (${unknown.reason}): ${unknown.message}`;
  return {
    ...finding,
    Compliance: { ...finding.Compliance, Status: 'NOT_AVAILABLE' },
    Description: description.length <= 1024 ? description : `${description.slice(0, 1023)}…`,
    UpdatedAt: after(input.now, finding.UpdatedAt),
    ProductFields: { ...finding.ProductFields, 'trailaudit/Status': 'UNKNOWN', 'trailaudit/Reason': unknown.reason, [EVALUATED_AT_FIELD]: when },
  };
}

/**
 * A FAILED finding this run could not judge again (its verdict there is UNKNOWN: a deleted log
 * bucket, a denied call, an account whose role could not be assumed): it stays FAILED. A known
 * failure must not drop out of Security Hub's FAILED views, tickets and automations after one
 * transient error. It is still sent, not left alone: Security Hub deletes a finding 90 days after
 * its last update, so a failure that stays unjudgeable would otherwise vanish; and the update says
 * why this run could not re-evaluate it. Everything else is Security Hub's copy: status,
 * description, `LastObservedAt` (nobody observed it now), first-seen times.
 */
function stillFailed(before: AwsSecurityFinding, unknown: Finding, input: ArchivePlanInput): AwsSecurityFinding {
  const fields = before.ProductFields ?? {};
  const message = unknown.message.length <= MAX_FIELD ? unknown.message : `${unknown.message.slice(0, MAX_FIELD - 1)}…`;
  return {
    ...before,
    UpdatedAt: after(input.now, before.UpdatedAt),
    ProductFields: {
      ...fields,
      [NOT_REEVALUATED_FIELD]: unknown.reason ?? 'error',
      'trailaudit/NotReevaluatedMessage': message,
      // When a run last judged it FAILED: kept across several runs that could not.
      [LAST_JUDGED_FIELD]: fields[LAST_JUDGED_FIELD] ?? fields[EVALUATED_AT_FIELD] ?? before.LastObservedAt ?? '',
      [EVALUATED_AT_FIELD]: input.observedAt ?? input.now,
    },
  };
}

/** ProductFields values are limited to 2,048 characters; messages are cut well below. */
const MAX_FIELD = 1024;
export const NOT_REEVALUATED_FIELD = 'trailaudit/NotReevaluated';
export const LAST_JUDGED_FIELD = 'trailaudit/LastJudgedAt';

function notSentOf(finding: Finding): { checkId: string; resourceId: string; accountId: string | null; region: string } {
  return { checkId: finding.checkId, resourceId: finding.resource.id, accountId: finding.resource.accountId, region: finding.resource.region };
}
