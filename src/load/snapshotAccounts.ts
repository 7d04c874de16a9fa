/**
 * Account facts a snapshot must keep consistent. Whether a trail is audited here (`ownerInScope`)
 * is recomputed from its owner and the accounts in scope, so an edit to either could otherwise
 * turn a failing trail into NOT_APPLICABLE ("owned by an account not in this audit") and a
 * failing account into a PASS:
 * - `accounts` (the accounts the audit covered) must include the audited account itself;
 * - a live trail's owner is the account in its ARN (AWS puts the owner there).
 * Organization sets (issue 13) also judge accounts one by one, and an unreachable account's
 * controls are UNKNOWN while a reachable one with no trails FAILs, so:
 * - `auditedAccounts` lists exactly the accounts of `accounts`, each once, `account` among them;
 * - every audited account is in the organization's `accountsInScope`;
 * - a trail gap (a Region whose trails could not be listed) belongs to an audited account.
 * (An account's `unreachable` is a reason and a message: the schema's UnknownDetail.)
 */
import type { InputIssue } from '../errors.js';
import { isGap, type FactSet } from '../facts/model.js';

/** The account field of an ARN (`arn:partition:service:region:account:resource`). */
function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

export function accountInconsistencies(facts: FactSet, file: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ file, line: 0, column: 0, path, message });
  };
  if (facts.accounts !== undefined && !facts.accounts.includes(facts.account.id)) {
    issue(
      'accounts',
      `lists the accounts the audit covered and must include the audited account ${facts.account.id} (account.id); without it, that account's own trails would be judged out of scope`,
    );
  }
  issues.push(...organizationInconsistencies(facts, file));
  if (facts.source === 'live') {
    facts.trails.forEach((trail, index) => {
      if (isGap(trail)) {
        return;
      }
      const owner = arnAccount(trail.arn);
      if (owner !== undefined && owner !== trail.ownerAccountId) {
        issue(
          `trails.${String(index)}.ownerAccountId`,
          `is ${trail.ownerAccountId}, but trail ${trail.arn} belongs to account ${owner} (the account in its ARN)`,
        );
      }
    });
  }
  return issues;
}

function organizationInconsistencies(facts: FactSet, file: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ file, line: 0, column: 0, path, message });
  };
  const audited = facts.auditedAccounts;
  if (audited !== undefined) {
    const ids = audited.map((account) => account.id);
    const listed = new Set(facts.accounts ?? []);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (repeated.length > 0) {
      issue('auditedAccounts', `lists account ${repeated[0] ?? ''} more than once: each audited account appears once`);
    }
    const missing = ids.filter((id) => !listed.has(id));
    const extra = [...listed].filter((id) => !ids.includes(id));
    if (facts.accounts === undefined || missing.length > 0 || extra.length > 0) {
      issue(
        'auditedAccounts',
        `must list exactly the accounts of "accounts" (${facts.accounts === undefined ? 'absent' : facts.accounts.join(', ')}); ${[...missing.map((id) => `${id} is not in "accounts"`), ...extra.map((id) => `${id} has no facts here`)].join('; ') || '"accounts" is missing'}`,
      );
    }
    if (!ids.includes(facts.account.id)) {
      issue('account', `is account ${facts.account.id}, which is not one of the audited accounts (auditedAccounts)`);
    }
  }
  const organization = facts.organization;
  if (organization !== undefined) {
    const inScope = new Set(organization.accountsInScope);
    const outside = (facts.accounts ?? [facts.account.id]).filter((id) => !inScope.has(id));
    if (outside.length > 0) {
      issue('organization.accountsInScope', `must include every audited account; ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} missing`);
    }
  }
  if (facts.source === 'live') {
    const ids = new Set((audited ?? [facts.account]).map((account) => account.id));
    facts.trails.forEach((trail, index) => {
      if (isGap(trail) && trail.ref.accountId !== null && !ids.has(trail.ref.accountId)) {
        issue(`trails.${String(index)}.ref.accountId`, `is ${trail.ref.accountId}: a Region whose trails could not be listed belongs to an audited account, and ${trail.ref.accountId} is not one`);
      }
    });
  }
  return issues;
}
