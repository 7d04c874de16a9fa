/**
 * What the Security Hub import tells its user (issue 14): the dry run's plan, the summary line
 * after a real import, and every failure with the findings it left out. Pure functions over the
 * import's outcome, sorted so that the same plan always prints the same text.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { ArchivePlan, KeepReason } from '../securityhub/archivePlan.js';
import { findingKey } from '../securityhub/findingIdentity.js';
import type { ImportFailure, ImportOutcome } from '../securityhub/types.js';

/** Finding ids listed per failure in the terminal; the rest are counted. */
export const LISTED_IDS = 20;

const KEEP_REASONS: Readonly<Record<KeepReason, string>> = {
  not_live: 'an infrastructure-code scan says nothing about the account',
  account_not_in_scope: 'its account was not audited by this run',
  partial_organization: 'this run saw part of the organization (a shard): import the evaluation of every shard to archive',
  region_not_in_scope: 'its Region was not audited by this run',
  check_not_run: 'its check did not run',
  unknown_in_scope: 'this run has UNKNOWN verdicts of its check there',
  bucket_writers_not_seen: 'its bucket may still be written by a trail outside this run’s scope: other Regions or accounts were not audited',
};

const NOT_SENT_REASONS: Readonly<Record<ArchivePlan['notSent'][number]['reason'], string>> = {
  not_applicable: 'NOT_APPLICABLE',
  no_account: 'no AWS account to import it into',
  account_not_in_scope: 'its account was not audited by this run (another shard’s, or a bucket owner nobody audited)',
  duplicate_id: 'another finding of this run has its Id (the worse status is sent)',
};

/** Why an archive: a resource gone, or a finding this run replaces under another Id or Region. */
function archiveReason(finding: AwsSecurityFinding, plan: ArchivePlan): string {
  const sameResource = plan.imports.some(
    (f) => f.GeneratorId === finding.GeneratorId && f.AwsAccountId === finding.AwsAccountId && f.Resources?.[0]?.Id === finding.Resources?.[0]?.Id,
  );
  if (!sameResource) {
    const check = finding.ProductFields?.['trailaudit/CheckId'];
    const notApplicable = plan.notSent.some((n) => n.reason === 'not_applicable' && n.checkId === check && n.resourceId === finding.Resources?.[0]?.Id);
    return notApplicable ? 'its check is NOT_APPLICABLE to the resource now' : 'its resource is no longer reported';
  }
  const region = finding.ProductFields?.['trailaudit/ResourceRegion'];
  return region === 'global' || region === 'unknown' ? 'an account-wide finding this run imports into another Region' : 'replaced by this run’s finding under its current Id';
}

/**
 * `import <Id> <status>`: the status sent, after what Security Hub held when it changes
 * (PASSED→NOT_AVAILABLE, ARCHIVED→FAILED), and a FAILED finding this run could not judge again.
 */
function importLine(finding: AwsSecurityFinding, plan: ArchivePlan): string {
  const status = finding.Compliance?.Status ?? '?';
  const held = plan.before?.[findingKey(finding)];
  const where = `${finding.AwsAccountId ?? '?'} ${finding.Region ?? '?'}`;
  const notReevaluated = finding.ProductFields?.['trailaudit/NotReevaluated'];
  const note =
    notReevaluated !== undefined
      ? `: not re-evaluated (${notReevaluated}), stays FAILED`
      : held === undefined
        ? ': new'
        : '';
  return `  import  ${finding.Id ?? '?'} ${held !== undefined && held !== status ? `${held}→${status}` : status} (${where}${note})`;
}

interface Target {
  readonly accountId: string;
  readonly region: string;
  imports: number;
  passed: number;
  failed: number;
  notAvailable: number;
  archives: number;
  kept: number;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `arn:<partition>:securityhub:<region>:<account>:product/…` → its account and Region. */
function productPlace(productArn: string): { accountId: string; region: string } {
  const [, , , region = '?', accountId = '?'] = productArn.split(':');
  return { accountId, region };
}

function statusCounts(findings: readonly AwsSecurityFinding[]): { passed: number; failed: number; notAvailable: number } {
  const count = (status: string): number => findings.filter((f) => f.Compliance?.Status === status).length;
  return { passed: count('PASSED'), failed: count('FAILED'), notAvailable: count('NOT_AVAILABLE') };
}

function byTarget(imports: readonly AwsSecurityFinding[], archives: readonly AwsSecurityFinding[], kept: ArchivePlan['kept']): Target[] {
  const targets = new Map<string, Target>();
  const target = (accountId: string, region: string): Target => {
    const key = `${accountId} ${region}`;
    let found = targets.get(key);
    if (found === undefined) {
      found = { accountId, region, imports: 0, passed: 0, failed: 0, notAvailable: 0, archives: 0, kept: 0 };
      targets.set(key, found);
    }
    return found;
  };
  for (const finding of imports) {
    const t = target(finding.AwsAccountId ?? '?', finding.Region ?? '?');
    t.imports += 1;
    const counts = statusCounts([finding]);
    t.passed += counts.passed;
    t.failed += counts.failed;
    t.notAvailable += counts.notAvailable;
  }
  for (const finding of archives) {
    target(finding.AwsAccountId ?? '?', finding.Region ?? '?').archives += 1;
  }
  for (const { productArn } of kept) {
    const { accountId, region } = productPlace(productArn);
    target(accountId, region).kept += 1;
  }
  return [...targets.values()].sort((a, b) => compare(a.accountId, b.accountId) || compare(a.region, b.region));
}

function statusText(counts: { passed: number; failed: number; notAvailable: number }): string {
  return `${String(counts.passed)} passed, ${String(counts.failed)} failed, ${String(counts.notAvailable)} not available`;
}

function places(findings: readonly AwsSecurityFinding[]): string {
  const accounts = new Set(findings.map((f) => f.AwsAccountId));
  const regions = new Set(findings.map((f) => f.Region));
  return `in ${String(accounts.size)} account(s) / ${String(regions.size)} Region(s)`;
}

/**
 * The dry run: per (account, Region) what would be imported, archived and kept, then each import
 * (with the status it had), each archive and each kept finding with its reason. `label` names the report (or "this audit").
 */
export function formatDryRun(plan: ArchivePlan, label: string): string {
  const lines = [`Security Hub dry run for ${label} (nothing was sent):`];
  const targets = byTarget(plan.imports, plan.archives, plan.kept);
  if (targets.length === 0) {
    lines.push('  nothing to import or archive');
  }
  for (const t of targets) {
    lines.push(
      `  ${t.accountId} ${t.region}: ${String(t.imports)} to import (${statusText(t)}), ${String(t.archives)} to archive, ${String(t.kept)} kept outside this run's scope`,
    );
  }
  for (const finding of [...plan.imports].sort((a, b) => compare(a.Id ?? '', b.Id ?? ''))) {
    lines.push(importLine(finding, plan));
  }
  for (const finding of [...plan.archives].sort((a, b) => compare(a.Id ?? '', b.Id ?? ''))) {
    lines.push(`  archive ${finding.Id ?? '?'} (${finding.AwsAccountId ?? '?'} ${finding.Region ?? '?'}: ${archiveReason(finding, plan)})`);
  }
  // NOT_APPLICABLE findings are many and never sent: counted in the last line, not listed.
  const notSent = plan.notSent.filter((n) => n.reason !== 'not_applicable');
  const where = (n: ArchivePlan['notSent'][number]): string => `${n.accountId ?? 'no account'} ${n.region}`;
  for (const n of [...notSent].sort((a, b) => compare(`${where(a)} ${a.checkId} ${a.resourceId}`, `${where(b)} ${b.checkId} ${b.resourceId}`))) {
    lines.push(`  not sent ${n.checkId} ${n.resourceId} (${where(n)}: ${n.reason}, ${NOT_SENT_REASONS[n.reason]})`);
  }
  for (const { id, productArn, reason } of [...plan.kept].sort((a, b) => compare(a.id, b.id))) {
    const { accountId, region } = productPlace(productArn);
    lines.push(`  keep    ${id} (${accountId} ${region}: ${KEEP_REASONS[reason]})`);
  }
  lines.push(
    `Would import ${String(plan.imports.length)} (${statusText(statusCounts(plan.imports))}), archive ${String(plan.archives.length)}, ` +
      `keep ${String(plan.kept.length)} outside this run's scope, ${places([...plan.imports, ...plan.archives])}; ` +
      `not send ${String(plan.notSent.length)} (${String(plan.notSent.filter((n) => n.reason === 'not_applicable').length)} NOT_APPLICABLE).`,
  );
  return `${lines.join('\n')}\n`;
}

/** The ids a failure left out: the findings the import planned but did not send. */
function failedIds(failures: readonly ImportFailure[]): Set<string> {
  return new Set(failures.flatMap((failure) => failure.findingIds));
}

/**
 * "Security Hub: N imported (P passed, F failed, U not available), M archived, K kept outside
 * this run's scope, in X account(s) / Y Region(s)": counted over what was sent (a finding a
 * failure names is not counted).
 */
export function formatImportSummary(outcome: ImportOutcome): string {
  const left = failedIds(outcome.failures);
  const imported = outcome.plan.imports.filter((f) => !left.has(f.Id ?? ''));
  const archived = outcome.plan.archives.filter((f) => !left.has(f.Id ?? ''));
  return (
    `Security Hub: ${String(outcome.imported)} imported (${statusText(statusCounts(imported))}), ${String(outcome.archived)} archived, ` +
    `${String(outcome.plan.kept.length)} kept outside this run's scope, ${places([...imported, ...archived])}\n`
  );
}

/** Every failure: where, at which stage, AWS's code and message, and the findings left out. */
export function formatImportFailures(failures: readonly ImportFailure[]): string {
  if (failures.length === 0) {
    return '';
  }
  const sorted = [...failures].sort((a, b) => compare(a.accountId, b.accountId) || compare(a.region, b.region) || compare(a.stage, b.stage));
  const lines = [`trailaudit: the Security Hub import is incomplete (${String(failures.length)} problem(s)):`];
  for (const failure of sorted) {
    const count = failure.findingIds.length;
    // A newer run's findings are what blocked the import, not findings left out.
    const what = failure.stage === 'newer_run' ? 'newer finding(s) held there' : 'finding(s) not sent';
    lines.push(`  ${failure.accountId} ${failure.region}: ${failure.stage}: ${failure.code}: ${failure.message} (${String(count)} ${what})`);
    for (const id of failure.findingIds.slice(0, LISTED_IDS)) {
      lines.push(`    ${id}`);
    }
    if (count > LISTED_IDS) {
      lines.push(`    … and ${String(count - LISTED_IDS)} more`);
    }
  }
  return `${lines.join('\n')}\n`;
}
