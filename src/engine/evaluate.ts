import { isUnknown, type FactLocations, type FactSet, type ResourceRef, type SourceLocation, type UnknownDetail, type UnknownReason } from '../facts/model.js';
import { evaluateCondition, resolveLeafPath, type Parameters } from './conditions.js';
import { TRUE, type Truth } from './logic.js';
import { MISSING, childScope, resolvePath, rootScope, type Scope } from './paths.js';
import { accountTargets, unreachableRefs, type AccountTarget } from './organization.js';
import { compareFindings } from './sort.js';
import { applySuppressions } from './suppress.js';
import { renderTemplate } from './template.js';
import type { CheckDefinition, Condition, Evaluation, EvidenceSpec, Finding, Status, Suppression } from './types.js';

/** A check as configured for this run: severity override applied, parameters resolved. */
export interface EnabledCheck {
  readonly check: CheckDefinition;
  readonly params: Parameters;
}

export interface EvaluationInput {
  readonly checks: readonly EnabledCheck[];
  readonly facts: FactSet;
  readonly suppressions: readonly Suppression[];
  /** Today (UTC, YYYY-MM-DD): suppressions expire against it. Passed in to keep the engine pure. */
  readonly today: string;
}

/** When several facts are missing, name the one the user most needs to act on first. */
const REASON_PRIORITY: readonly UnknownReason[] = [
  'cross_account',
  'access_denied',
  'region_disabled',
  'throttled',
  'timeout',
  'not_found',
  'unsupported',
  'error',
];

export function primaryReason(unknowns: readonly UnknownDetail[]): UnknownReason {
  for (const reason of REASON_PRIORITY) {
    if (unknowns.some((detail) => detail.reason === reason)) {
      return reason;
    }
  }
  return 'error';
}

export function evaluate(input: EvaluationInput): Evaluation {
  const findings = 
    input.facts.auditedAccounts === undefined ? input.checks.flatMap((enabled) => evaluateCheck(enabled, input.facts)) : evaluateByAccount(input.checks, input.facts);
  const { findings: marked, register } = applySuppressions(findings, input.suppressions, input.today);
  return { findings: [...marked].sort(compareFindings), suppressions: register };
}

/**
 * An organization set (engine/organization.ts): resource-scoped checks on the whole set, the
 * others once per audited account, on its view or, for an account that could not be entered,
 * UNKNOWN with the reason it could not.
 */
function evaluateByAccount(checks: readonly EnabledCheck[], facts: FactSet): Finding[] {
  const targets = accountTargets(facts);
  const unknownFor = (enabled: EnabledCheck, target: Extract<AccountTarget, { kind: 'unreachable' }>): Finding[] =>
    unreachableRefs(enabled.check, target).map((ref) => makeFinding(enabled, ref, 'UNKNOWN', [target.detail], null, {}));
  return checks.flatMap((enabled) =>
    enabled.check.scope === 'resource'
      ? // The resources of an account that could not be read (or is absent) are unknown too: one
        // UNKNOWN for them, so that `--checks CloudTrail.4` over it is incomplete, never clean.
        [...evaluateCheck(enabled, facts), ...targets.flatMap((target) => (target.kind === 'view' ? [] : unknownFor(enabled, target)))]
      : targets.flatMap((target) => (target.kind === 'view' ? evaluateCheck(enabled, target.view) : unknownFor(enabled, target))),
  );
}

export function evaluateCheck(enabled: EnabledCheck, facts: FactSet): Finding[] {
  const { check } = enabled;
  const root = rootScope(facts);
  const accountRef = facts.account.ref;
  const missingNeeds = check.needs.filter((need) => !facts.collected.includes(need));
  if (missingNeeds.length > 0) {
    const detail: UnknownDetail = {
      reason: 'unsupported',
      message: `The facts ${missingNeeds.join(', ')} were not collected in this run (snapshot or source without them).`,
    };
    return [makeFinding(enabled, accountRef, 'UNKNOWN', [detail], null, {})];
  }
  const collection = resolvePath(check.given, root);
  if (isUnknown(collection)) {
    return [makeFinding(enabled, accountRef, 'UNKNOWN', [collection.$unknown], null, {})];
  }
  const listed = collection === MISSING || collection === null ? [] : Array.isArray(collection) ? collection : [collection];
  const { select } = check;
  const items = select === undefined ? listed : listed.filter((item) => evaluateCondition(select, childScope(root, item), enabled.params).kind !== 'false');
  if (items.length === 0) {
    return [makeFinding(enabled, accountRef, 'NOT_APPLICABLE', [], null, {}, check.messages.none)];
  }
  return items.map((item) => evaluateItem(enabled, item, childScope(root, item), accountRef));
}

function evaluateItem(enabled: EnabledCheck, item: unknown, scope: Scope, accountRef: ResourceRef): Finding {
  const { check, params } = enabled;
  const ref = resourceRefOf(item) ?? accountRef;
  const evidence = collectEvidence(check.evidence, scope, params);
  const applicable: Truth = check.where === undefined ? TRUE : evaluateCondition(check.where, scope, params);
  if (applicable.kind === 'false') {
    return makeFinding(enabled, ref, 'NOT_APPLICABLE', [], item, evidence);
  }
  const verdict = applicable.kind === 'unknown' ? applicable : evaluateCondition(check.assert, scope, params);
  switch (verdict.kind) {
    case 'true':
      return withNotes(makeFinding(enabled, ref, 'PASS', [], item, evidence), enabled, scope, item);
    case 'false':
      return withNotes(makeFinding(enabled, ref, 'FAIL', [], item, evidence), enabled, scope, item);
    case 'unknown':
      return makeFinding(enabled, ref, 'UNKNOWN', verdict.unknowns, item, evidence);
  }
}

/** Appends the check's notes whose condition is (definitely) true for the item. */
function withNotes(finding: Finding, enabled: EnabledCheck, scope: Scope, item: unknown): Finding {
  const { check, params } = enabled;
  const notes = (check.notes ?? [])
    .filter((note) => evaluateCondition(note.when, scope, params).kind === 'true')
    .map((note) => renderTemplate(note.text, { resource: finding.resource, item, param: params }));
  return notes.length === 0 ? finding : { ...finding, message: [finding.message, ...notes].join(' ') };
}

/** Relative fact paths a condition reads, in order (the fields a verdict is about). */
function conditionPaths(condition: Condition | undefined): string[] {
  if (condition === undefined) {
    return [];
  }
  if ('all' in condition) {
    return condition.all.flatMap(conditionPaths);
  }
  if ('any' in condition) {
    return condition.any.flatMap(conditionPaths);
  }
  if ('not' in condition) {
    return conditionPaths(condition.not);
  }
  if ('some' in condition || 'every' in condition || 'none' in condition) {
    return []; // paths inside a quantifier belong to other items
  }
  return condition.path.startsWith('$') || condition.path.startsWith('^') ? [] : [condition.path];
}

/**
 * IaC findings point at the property behind the verdict when the collector recorded where it is:
 * first the fields the assertion reads, then the evidence; else at the resource.
 */
function findingLocation(check: CheckDefinition, resource: ResourceRef, item: unknown): SourceLocation | null {
  if (typeof item === 'object' && item !== null && 'locations' in item) {
    const locations = (item as { locations?: FactLocations }).locations ?? {};
    const evidencePaths = check.evidence.filter((spec): spec is string => typeof spec === 'string');
    for (const path of [...conditionPaths(check.assert), ...evidencePaths]) {
      const found = locations[path];
      if (found !== undefined) {
        return found;
      }
    }
  }
  return resource.location ?? null;
}

function resourceRefOf(item: unknown): ResourceRef | null {
  if (typeof item === 'object' && item !== null && 'ref' in item) {
    return (item as { ref: ResourceRef }).ref;
  }
  return null;
}

function evidenceValue(value: unknown): unknown {
  return isUnknown(value) ? { unknown: value.$unknown.reason, detail: value.$unknown.message } : value;
}

function collectEvidence(specs: readonly EvidenceSpec[], scope: Scope, params: Parameters): Record<string, unknown> {
  const evidence: Record<string, unknown> = {};
  for (const spec of specs) {
    const path = typeof spec === 'string' ? spec : spec.path;
    const value = resolveLeafPath(path, scope, params);
    if (value === MISSING) {
      continue;
    }
    const label = typeof spec === 'string' ? spec.replace(/^\$(param)?\./u, '') : (spec.label ?? path.replace(/^\$\./u, ''));
    if (typeof spec === 'string' || isUnknown(value)) {
      evidence[label] = evidenceValue(value);
      continue;
    }
    // Projection: a few fields of every item, e.g. why each trail does or does not qualify.
    const listed = Array.isArray(value) ? value : [value];
    const { where } = spec;
    const items = where === undefined ? listed : listed.filter((item) => evaluateCondition(where, childScope(scope, item), params).kind !== 'false');
    evidence[label] = items.map((item) => {
      const projected: Record<string, unknown> = {};
      for (const field of spec.fields) {
        const fieldValue = resolvePath(field, childScope(scope, item));
        if (fieldValue !== MISSING) {
          projected[field] = evidenceValue(fieldValue);
        }
      }
      return projected;
    });
  }
  return evidence;
}

function makeFinding(
  enabled: EnabledCheck,
  resource: ResourceRef,
  status: Status,
  unknowns: readonly UnknownDetail[],
  item: unknown,
  evidence: Readonly<Record<string, unknown>>,
  messageOverride?: string,
): Finding {
  const { check, params } = enabled;
  const context = { resource, item, param: params };
  const template =
    messageOverride ??
    {
      PASS: check.messages.pass,
      FAIL: check.messages.fail,
      UNKNOWN: check.messages.unknown,
      NOT_APPLICABLE: check.messages.notApplicable,
    }[status];
  let message = renderTemplate(template, context);
  if (status === 'UNKNOWN' && unknowns.length > 0) {
    message = `${message} ${unknowns.map((detail) => detail.message).join(' ')}`;
  }
  const remediationTemplate = check.remediation.cli;
  return {
    checkId: check.id,
    control: check.id,
    title: check.title,
    severity: check.severity.toUpperCase() as Finding['severity'],
    status,
    reason: status === 'UNKNOWN' ? primaryReason(unknowns) : null,
    resource,
    location: findingLocation(check, resource, item),
    message,
    evidence,
    remediation: status === 'FAIL' ? renderTemplate(remediationTemplate, context) : '',
    frameworks: check.frameworks,
    suppressed: null,
    unknowns: status === 'UNKNOWN' ? unknowns : [],
  };
}
