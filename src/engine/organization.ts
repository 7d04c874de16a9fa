/**
 * What evaluating a fact set that spans several audited accounts (`auditedAccounts`, issue 13)
 * runs each check on (engine/evaluate.ts runs them). Account- and Region-scoped checks run once
 * per audited account, on that account's view (facts/accountView.ts): its own trails plus the
 * organization trails that cover it. Resource-scoped checks run once on the whole set, where
 * `ownerInScope` already keeps an organization trail's findings in its owner account. An account
 * that could not be entered gets one UNKNOWN per account- or Region-scoped check (per audited
 * Region for the latter), carrying why: it is never dropped, and never judged on facts nobody read.
 */
import { accountViews, auditedAccountsOf } from '../facts/accountView.js';
import type { FactSet, ResourceRef, UnknownDetail } from '../facts/model.js';
import type { CheckDefinition } from './types.js';

export type AccountTarget =
  | { readonly kind: 'view'; readonly view: FactSet }
  | {
      readonly kind: 'unreachable';
      readonly detail: UnknownDetail;
      readonly accountRef: ResourceRef;
      /** The account's audited Regions (`$.regions` items), for its Region-level UNKNOWNs. */
      readonly regionRefs: readonly ResourceRef[];
    };

/** One target per audited account, views built once per evaluation (200 accounts × 30 checks). */
export function accountTargets(facts: FactSet): AccountTarget[] {
  const views = accountViews(facts);
  return auditedAccountsOf(facts).flatMap((account): AccountTarget[] => {
    const view = views.get(account.id);
    if (account.unreachable !== undefined) {
      return [{ kind: 'unreachable', detail: account.unreachable, accountRef: account.ref, regionRefs: (view?.regions ?? []).map((region) => region.ref) }];
    }
    return view === undefined ? [] : [{ kind: 'view', view }];
  });
}

/**
 * The resources an unreachable account's UNKNOWNs are about: the account for an account-level
 * check, each audited Region for a Region-level one (the account when none of its Regions is
 * listed, so that it still shows).
 */
export function unreachableRefs(check: CheckDefinition, target: Extract<AccountTarget, { kind: 'unreachable' }>): readonly ResourceRef[] {
  return check.scope === 'region' && target.regionRefs.length > 0 ? target.regionRefs : [target.accountRef];
}
