/**
 * `security-hub compare`, the pure part (issue 14): a report's findings and Security Hub's own
 * control findings → one row per (control, resource) seen by either side. No AWS call, no clock.
 *
 * Matching (README, "Comparing with Security Hub"):
 * - a finding meets Security Hub's control ids from its check's `frameworks.securityhub`;
 * - resources are matched on their id with the ARN's partition dropped; Security Hub's
 *   `AWS::::Account:<id>` is the account id our account-level findings carry;
 * - trails and buckets are matched whatever Region Security Hub holds the finding in (preferring
 *   the resource's own Region when it holds several copies);
 * - account-level controls (CloudTrail.1, CloudWatch.*, S3.22, S3.23) are one verdict per account
 *   for trailaudit and one per Region for Security Hub: our verdict meets each of Security Hub's
 *   Regions in a row of its own (same `trailaudit`, that Region's `securityHub`); with no Security
 *   Hub finding anywhere it is one row in Region `global`;
 * - per-Region account controls (CloudTrail.3) meet Security Hub's finding of the same Region.
 * Findings of accounts outside the report's audited accounts are not compared (Security Hub was
 * not read there), and Security Hub's account-level findings in Regions the report did not audit
 * meet only our account-level verdicts.
 */
import type { Finding } from '../engine/types.js';
import type { ReportContext } from '../report/types.js';
import { knownReason } from './compareReasons.js';
import type { CompareResult, CompareRow, CompareSummary, Comparison, HubControlFinding, HubTarget, UnreadableTarget } from './compareTypes.js';

export interface CompareInput {
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
  readonly hub: readonly HubControlFinding[];
  readonly targets: readonly HubTarget[];
  readonly controls: readonly string[];
  readonly unreadable: readonly UnreadableTarget[];
  /** ISO 8601 time Security Hub was read. */
  readonly readAt: string;
}

/** An account id, or the resource id with its ARN partition dropped (`s3:::bucket`). */
export function resourceKey(id: string): { readonly account: string } | { readonly resource: string } {
  const account = /^(?:AWS::::Account:)?(\d{12})$/u.exec(id);
  if (account?.[1] !== undefined) {
    return { account: account[1] };
  }
  const arn = /^arn:[^:]+:(.+)$/u.exec(id);
  return { resource: arn?.[1] ?? id };
}

/** The comparison of two statuses (the table in compareTypes.ts). */
export function classify(trailaudit: CompareRow['trailaudit'], securityHub: CompareRow['securityHub']): Comparison {
  if (securityHub === 'UNREADABLE') {
    return 'unreadable';
  }
  if (trailaudit === null) {
    return 'only_security_hub';
  }
  if (securityHub === null) {
    return trailaudit === 'NOT_APPLICABLE' ? 'agree' : 'only_trailaudit';
  }
  if (trailaudit === 'UNKNOWN' || securityHub === 'WARNING' || securityHub === 'NOT_AVAILABLE') {
    return 'inconclusive';
  }
  return (trailaudit === 'PASS' && securityHub === 'PASSED') || (trailaudit === 'FAIL' && securityHub === 'FAILED') ? 'agree' : 'disagree';
}

const AGREE: Readonly<Record<Comparison, boolean | null>> = {
  agree: true,
  disagree: false,
  inconclusive: null,
  only_trailaudit: null,
  only_security_hub: null,
  unreadable: null,
};

export const isRegion = (region: string): boolean => /^[a-z]{2}(-[a-z]+)+-\d+$/u.test(region);
const latestFirst = (a: HubControlFinding, b: HubControlFinding): number => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '');

/** The account a finding is compared in: its resource's, else that of the trails writing to a bucket. */
export function accountOf(finding: Finding): string | null {
  if (finding.resource.accountId !== null) {
    return finding.resource.accountId;
  }
  const trailArns = finding.evidence.trailArns;
  const first = Array.isArray(trailArns) ? trailArns.find((arn): arn is string => typeof arn === 'string') : undefined;
  return first === undefined ? null : (/^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/u.exec(first)?.[1] ?? null);
}

/** What Security Hub holds for one row: the copy compared, and any other copies it holds of it. */
interface Matched {
  readonly found: HubControlFinding | null;
  /**
   * Other findings of the same control and resource (standard-scoped copies while consolidated
   * control findings are off, an older copy left behind): never dropped silently, since one may
   * say FAILED where the compared copy says PASSED.
   */
  readonly others: readonly HubControlFinding[];
}

const NOTHING: Matched = { found: null, others: [] };

class HubIndex {
  private readonly accountLevel = new Map<string, HubControlFinding[]>();
  private readonly resources = new Map<string, HubControlFinding[]>();
  readonly used = new Set<HubControlFinding>();

  constructor(findings: readonly HubControlFinding[]) {
    // Latest first: the copy compared is the one Security Hub updated last.
    for (const finding of [...findings].sort(latestFirst)) {
      const key = resourceKey(finding.resourceId);
      const at = 'account' in key ? `${finding.control}\n${key.account}\n${finding.region}` : `${finding.control}\n${finding.accountId}\n${key.resource}`;
      const index = 'account' in key ? this.accountLevel : this.resources;
      index.set(at, [...(index.get(at) ?? []), finding]);
    }
  }

  private use(copies: readonly HubControlFinding[], found: HubControlFinding | undefined): Matched {
    for (const copy of copies) {
      this.used.add(copy);
    }
    return found === undefined ? NOTHING : { found, others: copies.filter((copy) => copy !== found) };
  }

  account(control: string, accountId: string, region: string): Matched {
    const copies = this.accountLevel.get(`${control}\n${accountId}\n${region}`) ?? [];
    return this.use(copies, copies[0]);
  }

  /** The latest copy in `region` if Security Hub holds one there, else the latest anywhere. */
  resource(control: string, accountId: string, id: string, region: string): Matched {
    const key = resourceKey(id);
    const copies = this.resources.get(`${control}\n${accountId}\n${'resource' in key ? key.resource : key.account}`) ?? [];
    return this.use(copies, copies.find((copy) => copy.region === region) ?? copies[0]);
  }
}

export function compareWithSecurityHub(input: CompareInput): CompareResult {
  const { context } = input;
  // A finding that names no resource cannot be matched with anything, nor shown as a row: counted in the scope.
  const withoutResourceId = input.hub.filter((found) => found.resourceId.trim() === '');
  const hubFindings = input.hub.filter((found) => !withoutResourceId.includes(found));
  const hub = new HubIndex(hubFindings);
  const unreadableAt = new Map(input.unreadable.map((target) => [`${target.accountId}\n${target.region}`, target]));
  const accounts = new Set(context.scope.accounts);
  const accountLevelChecks = new Set(context.checks.filter((check) => check.resourceType === 'AWS::::Account').map((check) => check.id));
  const regionsOf = (accountId: string): string[] => input.targets.filter((target) => target.accountId === accountId).map((target) => target.region);
  const rows: CompareRow[] = [];

  const add = (control: string, finding: Finding | null, accountId: string, region: string, matched: Matched, unreadable: UnreadableTarget | null): void => {
    const { found } = matched;
    const trailaudit = finding?.status ?? null;
    const securityHub: CompareRow['securityHub'] = unreadable !== null ? 'UNREADABLE' : (found?.status ?? null);
    const comparison = classify(trailaudit, securityHub);
    const row = { control, accountId, region, trailaudit, securityHub, comparison };
    const shown = comparison !== 'agree' && finding !== null;
    rows.push({
      control,
      checkId: finding?.checkId ?? null,
      resourceId: finding?.resource.id ?? (found === null ? '' : displayId(found.resourceId)),
      accountId,
      region,
      trailaudit,
      securityHub,
      comparison,
      agree: AGREE[comparison],
      reason: finding?.reason ?? null,
      message: shown ? finding.message : null,
      evidence: shown ? finding.evidence : null,
      securityHubFindingId: found?.id ?? null,
      securityHubUpdatedAt: found?.updatedAt ?? null,
      otherSecurityHubFindings: matched.others.map((other) => ({ id: other.id, region: other.region, status: other.status, updatedAt: other.updatedAt ?? null })),
      unreadable: unreadable === null ? null : { code: unreadable.code, message: unreadable.message },
      knownReason: knownReason(row, finding, found, context.startedAt),
    });
  };
  /** The unreadable target that hides Security Hub's side here; a Region that is not one (global, unknown) is hidden by any. */
  const hiddenBy = (accountId: string, region: string): UnreadableTarget | null =>
    isRegion(region) ? (unreadableAt.get(`${accountId}\n${region}`) ?? null) : (input.unreadable.find((target) => target.accountId === accountId) ?? null);

  for (const finding of input.findings) {
    const accountId = accountOf(finding);
    if (accountId === null || !accounts.has(accountId)) {
      continue;
    }
    const region = finding.resource.region;
    for (const control of finding.frameworks.securityhub ?? []) {
      const isAccount = finding.resource.type === 'AWS::::Account' && 'account' in resourceKey(finding.resource.id);
      if (isAccount && accountLevelChecks.has(finding.checkId) && !isRegion(region)) {
        // One account verdict against Security Hub's per-Region findings.
        const before = rows.length;
        for (const at of regionsOf(accountId)) {
          const matched = hub.account(control, accountId, at);
          const unreadable = unreadableAt.get(`${accountId}\n${at}`) ?? null;
          if (matched.found !== null || unreadable !== null) {
            add(control, finding, accountId, at, matched, unreadable);
          }
        }
        if (rows.length === before) {
          add(control, finding, accountId, region, NOTHING, null);
        }
      } else if (isAccount && accountLevelChecks.has(finding.checkId)) {
        add(control, finding, accountId, region, hub.account(control, accountId, region), hiddenBy(accountId, region));
      } else if (isAccount) {
        // "No trails" and the like: a resource check with nothing to evaluate in the account.
        add(control, finding, accountId, region, NOTHING, hiddenBy(accountId, 'global'));
      } else {
        const matched = hub.resource(control, accountId, finding.resource.id, region);
        // A resource we could not place in a Region (a bucket of another account: `unknown`) is
        // shown in the Region of Security Hub's copy when it has one.
        const shownIn = !isRegion(region) && matched.found !== null ? matched.found.region : region;
        add(control, finding, accountId, shownIn, matched, matched.found === null ? hiddenBy(accountId, region) : null);
      }
    }
  }

  const audited = new Set(context.scope.regions);
  for (const found of hubFindings) {
    const key = resourceKey(found.resourceId);
    // An account-level finding in a Region the report did not audit met our account verdicts only.
    if (hub.used.has(found) || !accounts.has(found.accountId) || ('account' in key && !audited.has(found.region))) {
      continue;
    }
    // Security Hub's findings of one resource that we did not report: one row, its latest copy.
    const matched = 'account' in key ? hub.account(found.control, found.accountId, found.region) : hub.resource(found.control, found.accountId, found.resourceId, found.region);
    add(found.control, null, found.accountId, found.region, matched, null);
  }

  const sorted = rows.sort(rowOrder);
  return {
    schemaVersion: 1,
    report: { file: input.file, startedAt: context.startedAt, finishedAt: context.finishedAt },
    readAt: input.readAt,
    scope: { accounts: context.scope.accounts, regions: context.scope.regions, targets: input.targets, controls: input.controls, unreadable: input.unreadable, withoutResourceId: withoutResourceId.map((found) => found.id) },
    summary: summarise(sorted),
    rows: sorted,
  };
}

function displayId(id: string): string {
  const key = resourceKey(id);
  return 'account' in key ? key.account : id;
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

function rowOrder(a: CompareRow, b: CompareRow): number {
  return byName(a.control, b.control) || byName(a.accountId, b.accountId) || byName(a.region, b.region) || byName(a.resourceId, b.resourceId);
}

export function summarise(rows: readonly CompareRow[]): CompareSummary {
  const count = (comparison: Comparison): number => rows.filter((row) => row.comparison === comparison).length;
  return {
    rows: rows.length,
    agree: count('agree'),
    disagree: count('disagree'),
    inconclusive: count('inconclusive'),
    onlyTrailaudit: count('only_trailaudit'),
    onlySecurityHub: count('only_security_hub'),
    unreadable: count('unreadable'),
  };
}
