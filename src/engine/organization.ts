/**
 * What evaluating a fact set that spans several audited accounts (`auditedAccounts`, issue 13)
 * runs each check on (engine/evaluate.ts runs them). Account- and Region-scoped checks run once
 * per audited account, on that account's view (facts/accountView.ts): its own trails plus the
 * organization trails that cover it. Resource-scoped checks run once on the whole set, where
 * `ownerInScope` already keeps an organization trail's findings in its owner account. An account
 * that could not be entered gets one UNKNOWN per account- or Region-scoped check (per audited
 * Region for the latter), carrying why: it is never dropped, and never judged on facts nobody read.
 */
import { absenceDetail, absentAccounts, accountViews, auditedAccountsOf } from '../facts/accountView.js';
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

/**
 * One target per audited account, views built once per evaluation (200 accounts × 30 checks),
 * and one UNKNOWN target per account of the scope absent from the set (another shard's): an
 * evaluation of some shards is incomplete, never a clean result.
 */
export function accountTargets(facts: FactSet): AccountTarget[] {
  const views = accountViews(facts);
  const audited = auditedAccountsOf(facts).flatMap((account): AccountTarget[] => {
    const view = views.get(account.id);
    if (account.unreachable !== undefined) {
      return [{ kind: 'unreachable', detail: account.unreachable, accountRef: account.ref, regionRefs: (view?.regions ?? []).map((region) => region.ref) }];
    }
    return view === undefined ? [] : [{ kind: 'view', view }];
  });
  const regionNames = [...new Set(facts.regions.map((region) => region.name))].sort();
  const absent = absentAccounts(facts).map((id): AccountTarget => {
    const ref = (region: string): ResourceRef => ({ type: 'AWS::::Account', id, accountId: id, region });
    return { kind: 'unreachable', detail: absenceDetail(facts, id), accountRef: ref('global'), regionRefs: regionNames.map(ref) };
  });
  return [...audited, ...absent];
}

/**
 * The resources an unreachable account's UNKNOWNs are about: the account for an account-level
 * check, each audited Region for a Region-level one (the account when none of its Regions is
 * listed, so that it still shows).
 */
export function unreachableRefs(check: CheckDefinition, target: Extract<AccountTarget, { kind: 'unreachable' }>): readonly ResourceRef[] {
  // A resource-level check: the account's resources are unknown, one UNKNOWN for them all.
  return check.scope === 'region' && target.regionRefs.length > 0 ? target.regionRefs : [target.accountRef];
}
