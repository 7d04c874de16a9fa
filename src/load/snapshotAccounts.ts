/**
 * Account facts a snapshot must keep consistent. Whether a trail is audited here (`ownerInScope`)
 * is recomputed from its owner and the accounts in scope, so an edit to either could otherwise
 * turn a failing trail into NOT_APPLICABLE ("owned by an account not in this audit") and a
 * failing account into a PASS:
 * - `accounts` (the accounts the audit covered) must include the audited account itself;
 * - a live trail's owner is the account in its ARN (AWS puts the owner there).
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
