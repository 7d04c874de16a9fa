/**
 * What a report says about the organization an audit covered (ReportContext.scope.organization),
 * and the account each finding of an organization set is filed under. Built here, in the CLI,
 * because the formatters are pure functions of (findings, context): they never read fact sets.
 */
import { compareFindings } from '../engine/sort.js';
import type { Finding } from '../engine/types.js';
import { auditedAccountsOf } from '../facts/accountView.js';
import { isGap, type FactSet } from '../facts/model.js';
import type { OrganizationScope } from '../report/types.js';

/** The organization part of the scope; undefined for single-account sets and IaC scans. */
export function organizationScope(facts: FactSet): OrganizationScope | undefined {
  const org = facts.organization;
  if (org === undefined) {
    return undefined;
  }
  const audited = auditedAccountsOf(facts);
  const names: Record<string, string> = {};
  for (const account of [...audited, ...org.skipped.map((skipped) => ({ id: skipped.accountId, name: skipped.name }))]) {
    if (account.name !== undefined) {
      names[account.id] = account.name;
    }
  }
  return {
    id: org.id,
    managementAccountId: org.managementAccountId,
    callerAccountId: org.callerAccountId,
    roleName: org.roleName,
    accountNames: names,
    skipped: org.skipped,
    unreachable: audited.flatMap((account) =>
      account.unreachable === undefined ? [] : [{ accountId: account.id, reason: account.unreachable.reason, message: account.unreachable.message }],
    ),
    ...(org.shard === undefined ? {} : { shard: org.shard }),
    ...(org.shards === undefined ? {} : { shards: org.shards }),
    accountsInScope: org.accountsInScope.length,
    ...(org.wholeOrganization === undefined ? {} : { wholeOrganization: org.wholeOrganization }),
  };
}

/** `arn:aws:cloudtrail:us-east-1:111122223333:trail/x` → `111122223333`. */
function arnAccount(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/u.test(account) ? account : undefined;
}

/**
 * Every finding of an organization set names an account (reports group by it, Security Hub files
 * a finding under it). The one resource whose owner an audit cannot know is a log bucket of an
 * account outside the audit (S3 does not tell another account who owns a bucket): its finding is
 * filed under the audited account whose trail delivers there, which is where the UNKNOWN must be
 * acted on; anything else without an account under the account that ran the audit.
 */
export function withFindingAccounts(findings: readonly Finding[], facts: FactSet): readonly Finding[] {
  const org = facts.organization;
  if (org === undefined || findings.every((finding) => finding.resource.accountId !== null)) {
    return findings;
  }
  const audited = new Set(auditedAccountsOf(facts).map((account) => account.id));
  const deliveringAccount = new Map<string, string>();
  for (const bucket of facts.buckets) {
    if (isGap(bucket)) {
      continue;
    }
    const owner = bucket.trailArns
      .map(arnAccount)
      .filter((account): account is string => account !== undefined && audited.has(account))
      .sort()[0];
    if (owner !== undefined) {
      deliveringAccount.set(bucket.ref.id, owner);
    }
  }
  return findings
    .map((finding) =>
      finding.resource.accountId !== null
        ? finding
        : { ...finding, resource: { ...finding.resource, accountId: deliveringAccount.get(finding.resource.id) ?? org.callerAccountId } },
    )
    .sort(compareFindings);
}
