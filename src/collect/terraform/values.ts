/**
 * Planned attribute values with Terraform's three states: known, known only after apply
 * (`after_unknown` marks it; the value is then absent from `values`), and unset (null/absent).
 */
import type { Maybe, Unknown } from '../../facts/model.js';
import { unknown } from '../../facts/model.js';
import { isObject, type PlannedResource } from './plan.js';

/** What Terraform itself prints for such a value; used as the value of an "is it set" fact. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

export type Attribute =
  | { readonly state: 'known'; readonly value: unknown }
  | { readonly state: 'unknown' }
  | { readonly state: 'unset' };

function unknownMark(afterUnknown: unknown, name: string): unknown {
  return isObject(afterUnknown) ? afterUnknown[name] : undefined;
}

/** True when `mark` (an after_unknown subtree) says anything below it is unknown. */
export function containsUnknown(mark: unknown): boolean {
  if (mark === true) {
    return true;
  }
  if (Array.isArray(mark)) {
    return mark.some(containsUnknown);
  }
  if (isObject(mark)) {
    return Object.values(mark).some(containsUnknown);
  }
  return false;
}

export function attribute(resource: PlannedResource, name: string): Attribute {
  if (unknownMark(resource.afterUnknown, name) === true) {
    return { state: 'unknown' };
  }
  const value = resource.values[name];
  return value === undefined || value === null ? { state: 'unset' } : { state: 'known', value };
}

/** Whether any part of an attribute (a nested block, a map entry) is known only after apply. */
export function partlyUnknown(resource: PlannedResource, name: string): boolean {
  return containsUnknown(unknownMark(resource.afterUnknown, name));
}

export function afterApply(resource: PlannedResource, name: string): Unknown {
  return unknown('unsupported', `${resource.address}.${name} is known only after apply, so the plan cannot tell its value.`);
}

/**
 * A boolean argument with its provider default. Unknown-after-apply cannot be decided from the
 * plan: Unknown('unsupported').
 */
export function booleanAttribute(resource: PlannedResource, name: string, defaultValue: boolean): Maybe<boolean> {
  const value = attribute(resource, name);
  if (value.state === 'unknown') {
    return afterApply(resource, name);
  }
  if (value.state === 'unset') {
    return defaultValue;
  }
  if (typeof value.value === 'boolean') {
    return value.value;
  }
  return unknown('error', `${resource.address}.${name} is not a boolean in the plan (${JSON.stringify(value.value)}).`);
}

/**
 * An "is it set" string (KMS key, log group, log target): a value computed at apply time is set,
 * because Terraform only leaves a configured argument unknown, never an omitted one.
 */
export function presenceAttribute(resource: PlannedResource, name: string): string | null {
  const value = attribute(resource, name);
  if (value.state === 'unknown') {
    return KNOWN_AFTER_APPLY;
  }
  if (value.state === 'unset' || typeof value.value !== 'string' || value.value === '') {
    return null;
  }
  return value.value;
}

/** A plain known string, else undefined (unknown, unset or not a string). */
export function knownString(resource: PlannedResource, name: string): string | undefined {
  const value = resource.values[name];
  return typeof value === 'string' && value !== '' && unknownMark(resource.afterUnknown, name) !== true ? value : undefined;
}

/** A nested block list (`event_selector`, `rule`, `logging`): always an array of objects. */
export function blocks(value: unknown): readonly Readonly<Record<string, unknown>>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
