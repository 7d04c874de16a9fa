/**
 * One audited account's view of an organization fact set (CONTRACT, issue 13; implemented by the
 * merge/engine part). Pure.
 *
 * Account- and Region-scoped checks (CloudTrail.1/3, S3.22/23, CloudWatch.*, CIS.4.16) are
 * evaluated once per audited account, on its view; resource-scoped checks (trails, buckets,
 * stores) once on the whole set, where `ownerInScope` keeps an organization trail's findings in
 * its owner account only.
 *
 * The view of account A: `account` = A's facts; `regions`, `monitoring`, `securityHubs` = A's
 * items; `trails` = A's own trails and trail gaps, plus every organization trail that covers A:
 * `isOrganizationTrail` true and either listed by A (`visibleInAccounts`) or owned by an account
 * of A's organization (`organizationId` equal and known). Other accounts' non-organization
 * trails are not A's. An unreachable account (AccountFacts.unreachable) is not evaluated on a view
 * at all: the engine gives its controls UNKNOWN with the unreachable detail.
 */
import type { AccountFacts, FactSet } from './model.js';

/** Every audited account's facts: `auditedAccounts`, or the one `account`. */
export function auditedAccountsOf(facts: Pick<FactSet, 'auditedAccounts' | 'account'>): readonly AccountFacts[] {
  return facts.auditedAccounts ?? [facts.account];
}

export function accountView(facts: FactSet, accountId: string): FactSet {
  if (facts.auditedAccounts === undefined && facts.account.id === accountId) {
    return facts;
  }
  throw new Error('internal: accountView is not implemented yet (issue 13 contract)');
}
