/**
 * Linking an argument to the resource the plan declares for it, for the monitoring and KMS
 * readers (trail → log group, trail → key, filter → log group, subscription → topic); the bucket
 * links (kinds/buckets/terraformLinks.ts) follow the same rules.
 *
 * A configuration reference is preferred (it names the resource even when its ARN is known only
 * after apply); a resource that stands for a target (`aws_kms_alias.x.arn` for its key) is
 * followed through `via`; otherwise the planned value is matched against the declared targets
 * (`byKnown`). A known value no declared target carries is outside the plan (`not_found`); a
 * link that cannot be followed (locals, data sources, several instances, a value known only
 * after apply) is `unsupported`. Neither is ever read as "exists".
 */
import type { PlannedResource, PlanView } from './plan.js';
import { joinModulePath } from './plan.js';
import type { ReferenceResolver } from './references.js';
import { attribute, KNOWN_AFTER_APPLY, knownString, presenceAttribute } from './values.js';

export type PlanLink =
  | { readonly kind: 'declared'; readonly target: PlannedResource }
  | { readonly kind: 'absent' }
  /** The argument holds a value that no declared target has. */
  | { readonly kind: 'outside'; readonly value: string }
  | { readonly kind: 'unresolved'; readonly why: string };

export interface PlanTarget {
  readonly type: string;
  /** The declared target a known value names (by ARN, name, alias), if any. */
  readonly byKnown: (value: string) => PlannedResource | undefined;
  /** The target a declared resource of another type stands for. */
  readonly via?: (resource: PlannedResource) => PlannedResource | undefined;
}

export function linkTarget(resource: PlannedResource, argument: string, resolver: ReferenceResolver, target: PlanTarget): PlanLink {
  const state = attribute(resource, argument).state;
  const resolution = resolver.resolve(resource, argument);
  let why = resolution.kind === 'unresolved' ? resolution.why : '';
  if (resolution.kind === 'resource') {
    const found = resolution.resource.type === target.type ? resolution.resource : target.via?.(resolution.resource);
    if (found !== undefined) {
      return { kind: 'declared', target: found };
    }
    why = `it is derived from ${resolution.resource.address}`;
  }
  const value = knownString(resource, argument);
  if (value !== undefined) {
    const found = target.byKnown(value);
    return found === undefined ? { kind: 'outside', value } : { kind: 'declared', target: found };
  }
  if (state === 'unset' && why === '') {
    return { kind: 'absent' };
  }
  return { kind: 'unresolved', why: why === '' ? 'its value is known only after apply' : why };
}

/**
 * The declared resources of `type` a list argument references directly (`alarm_actions =
 * [aws_sns_topic.alerts.arn, aws_sns_topic.ops.arn]`), in the referencing resource's module.
 */
export function referencedOfType(plan: PlanView, resource: PlannedResource, argument: string, type: string): PlannedResource[] {
  const expression = resource.config?.expressions[argument];
  const references = typeof expression === 'object' && expression !== null && Array.isArray((expression as { references?: unknown }).references)
    ? ((expression as { references: unknown[] }).references.filter((item): item is string => typeof item === 'string'))
    : [];
  const prefix = joinModulePath(resource.moduleSteps);
  const found = new Map<string, PlannedResource>();
  for (const reference of references) {
    const match = new RegExp(`^${type}\\.([A-Za-z_][\\w-]*)`, 'u').exec(reference);
    if (match === null) {
      continue;
    }
    const address = `${prefix === '' ? '' : `${prefix}.`}${type}.${match[1] ?? ''}`;
    const instances = plan.resources.filter((candidate) => candidate.address === address || candidate.address.startsWith(`${address}[`));
    if (instances.length === 1 && instances[0] !== undefined) {
      found.set(address, instances[0]);
    }
  }
  return [...found.values()];
}

/**
 * An "is it set" argument (presenceAttribute) whose value is known only after apply, named by the
 * resource its configuration references: `(known after apply: aws_kms_key.trail)`. Bare
 * "(known after apply)" would be the same text for every trail, so the KMS key item could not
 * list a trail's value in `configuredAs` without joining it to the wrong key; the referenced
 * instance's address is unique. Unchanged when the value is known, unset, or references nothing
 * that can be followed.
 */
export function presenceNaming(resource: PlannedResource, argument: string, resolver: ReferenceResolver): string | null {
  const value = presenceAttribute(resource, argument);
  if (value !== KNOWN_AFTER_APPLY) {
    return value;
  }
  const resolution = resolver.resolve(resource, argument);
  return resolution.kind === 'resource' ? `${KNOWN_AFTER_APPLY.slice(0, -1)}: ${resolution.resource.address})` : value;
}
