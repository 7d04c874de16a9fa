/**
 * Source positions inside a Terraform plan JSON file, found with ONE pass of the JSON parser
 * (src/load/jsonPositions.ts) over the text.
 *
 * The data itself comes from JSON.parse (fast, native); this pass only answers "where": the
 * object of each resource under `planned_values` (keyed by its `address`), and the keys directly
 * inside that resource's `values` object (attribute → position). `terraform show -json` writes
 * one minified line, people often commit it pretty-printed (`jq .`), and hand-written plans may
 * order keys freely, so nothing here depends on layout or key order: the visitor tracks the stack
 * of open containers and the key each was opened under.
 *
 * Only `planned_values` is indexed: the same addresses appear again in `resource_changes` and
 * `prior_state`, and a finding must point at the planned resource.
 */
import type { SourceLocation } from '../../facts/model.js';
import { lineLocator, visitJson } from '../../load/jsonPositions.js';

export interface ResourcePosition {
  /** Offset of the resource object's `{`. */
  readonly offset: number;
  /** Attribute name (a key of `values`) → offset of the key's opening quote. */
  readonly attributes: ReadonlyMap<string, number>;
}

export interface PlanPositions {
  /** Resource address → where it is declared in `planned_values`. */
  readonly resources: ReadonlyMap<string, ResourcePosition>;
  /** Offset of the `format_version` value, when present (for errors). */
  readonly formatVersion?: number;
  /** 1-based line and column of an offset. */
  locate(offset: number): { readonly line: number; readonly column: number };
}

interface Frame {
  /** Offset of `{` or `[`. */
  readonly start: number;
  readonly isObject: boolean;
  /** Key this container is the value of ('' for array items and the root). */
  readonly key: string;
  /** Whether this container lies inside the top-level `planned_values`. */
  readonly planned: boolean;
  /** Role in the planned_values tree; 'other' for everything inside attribute values. */
  readonly kind: 'module' | 'childModules' | 'resources' | 'resource' | 'values' | 'other';
  /** The last key read in this object (the key of the value being read). */
  pendingKey: string;
  /** For a resource object: its address once read. */
  address?: string;
  /** For a resource object: its `values` attributes. */
  attributes?: Map<string, number>;
}

/** Role of a container opened under `key` inside `parent`, within planned_values. */
function kindOf(parent: Frame, key: string, isObject: boolean): Frame['kind'] {
  if (isObject) {
    if (parent.kind === 'resources') {
      return 'resource';
    }
    if (parent.kind === 'resource' && key === 'values') {
      return 'values';
    }
    if ((parent.key === 'planned_values' && key === 'root_module') || parent.kind === 'childModules') {
      return 'module';
    }
    return 'other';
  }
  if (parent.kind === 'module' && key === 'resources') {
    return 'resources';
  }
  return parent.kind === 'module' && key === 'child_modules' ? 'childModules' : 'other';
}

/** Thrown by the visitor to stop reading once everything needed has been seen (never escapes). */
const DONE = new Error('plan positions complete');

/** Whether the contents of a container are needed: the root's keys and the planned_values skeleton. */
function needsContents(frame: Frame, depth: number): boolean {
  return depth === 0 || (frame.planned && (frame.kind !== 'other' || (depth === 1 && frame.key === 'planned_values')));
}

/**
 * Index the plan text. Assumes the text is valid JSON (the caller parsed it first); on malformed
 * input it returns whatever it found without throwing.
 */
export function indexPlanPositions(text: string): PlanPositions {
  const resources = new Map<string, ResourcePosition>();
  let formatVersion: number | undefined;
  const stack: Frame[] = [];
  const open = (offset: number, isObject: boolean): boolean => {
    const parent = stack[stack.length - 1];
    const key = parent?.isObject === true ? parent.pendingKey : '';
    const planned = parent !== undefined && (parent.planned || (stack.length === 1 && key === 'planned_values'));
    const kind = parent !== undefined && planned ? kindOf(parent, key, isObject) : 'other';
    const frame: Frame = { start: offset, isObject, key, planned, kind, pendingKey: '' };
    if (kind === 'resource') {
      frame.attributes = new Map();
    } else if (kind === 'values' && parent !== undefined) {
      // The values object of a resource: its keys go into the resource's map.
      parent.attributes ??= new Map();
      frame.attributes = parent.attributes;
    }
    stack.push(frame);
    // Returning false spares the callbacks for everything inside (attribute values, other sections).
    return needsContents(frame, stack.length - 1);
  };
  const close = (): void => {
    const frame = stack.pop();
    if (frame?.kind === 'resource' && frame.address !== undefined && !resources.has(frame.address)) {
      resources.set(frame.address, { offset: frame.start, attributes: frame.attributes ?? new Map() });
    }
    // Terraform writes resource_changes, prior_state and configuration after planned_values;
    // nothing there is needed, and on big plans they are most of the text.
    if (stack.length === 1 && frame?.key === 'planned_values' && formatVersion !== undefined) {
      throw DONE;
    }
  };
  try {
    visitJson(text, {
      onObjectBegin: (offset) => open(offset, true),
      onArrayBegin: (offset) => open(offset, false),
      onObjectEnd: close,
      onArrayEnd: close,
      onObjectProperty: (key, offset) => {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          return;
        }
        top.pendingKey = key;
        if (top.kind === 'values' && top.attributes !== undefined && !top.attributes.has(key)) {
          top.attributes.set(key, offset);
        }
      },
      onLiteralValue: (value: unknown, offset) => {
        const top = stack[stack.length - 1];
        if (stack.length === 1 && top?.pendingKey === 'format_version') {
          formatVersion = offset;
        } else if (top?.kind === 'resource' && top.pendingKey === 'address' && typeof value === 'string') {
          top.address = value;
        }
      },
    });
  } catch (error) {
    // The parser descends recursively: a plan nested thousands of levels deep (inside an
    // attribute's value) runs it out of stack. The data itself came from JSON.parse, so the scan
    // goes on; resources indexed so far keep their positions, the others point at the file's top.
    if (error !== DONE && !(error instanceof RangeError)) {
      throw error;
    }
  }
  return { resources, ...(formatVersion === undefined ? {} : { formatVersion }), locate: lineLocator(text) };
}

export function toLocation(positions: PlanPositions, file: string, offset: number): SourceLocation {
  return { file, ...positions.locate(offset) };
}
