import { isGap, isUnknown, unknown, type Unknown } from '../facts/model.js';

/** A path that leads nowhere: the property is absent (distinct from null and from false). */
export const MISSING: unique symbol = Symbol('missing');
export type Resolved = unknown;

/** Where a path is resolved: the current item, the enclosing scopes (`^.`) and the root (`$.`). */
export interface Scope {
  readonly item: unknown;
  readonly parent: Scope | null;
  readonly root: unknown;
}

export function rootScope(root: unknown): Scope {
  return { item: root, parent: null, root };
}

export function childScope(parent: Scope, item: unknown): Scope {
  return { item, parent, root: parent.root };
}

/**
 * Resolve a dotted path. An Unknown met on the way is returned as is (the fact behind it could
 * not be read); inside a gap item (a region whose listing failed), any field the collector could
 * not fill in resolves to the gap's Unknown.
 */
export function resolvePath(path: string, scope: Scope): Resolved {
  let segments = path.split('.');
  let current: unknown;
  if (segments[0] === '$') {
    current = scope.root;
    segments = segments.slice(1);
  } else if (segments[0] === '^') {
    let target: Scope | null = scope;
    while (segments[0] === '^') {
      target = target?.parent ?? null;
      segments = segments.slice(1);
    }
    if (target === null) {
      return MISSING;
    }
    current = target.item;
  } else {
    current = scope.item;
  }
  for (const segment of segments) {
    if (segment === '') {
      continue;
    }
    if (isUnknown(current)) {
      return current;
    }
    if (current === null || current === undefined || typeof current !== 'object') {
      return MISSING;
    }
    const record = current as Record<string, unknown>;
    if (!(segment in record)) {
      return isGap(current) ? gapUnknown(current.$gap) : MISSING;
    }
    current = record[segment];
  }
  if (current === undefined) {
    return MISSING;
  }
  return current;
}

function gapUnknown(detail: Unknown['$unknown']): Unknown {
  const { reason, message, ...extra } = detail;
  return unknown(reason, message, extra);
}
