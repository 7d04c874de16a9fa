/**
 * Source positions inside a Terraform plan JSON file, found with ONE pass over the text.
 *
 * The data itself comes from JSON.parse (fast, native); this scanner only answers "where": the
 * object of each resource under `planned_values` (keyed by its `address`), and the keys directly
 * inside that resource's `values` object (attribute → position). `terraform show -json` writes
 * one minified line, people often commit it pretty-printed (`jq .`), and hand-written plans may
 * order keys freely, so nothing here depends on layout or key order: the scanner tracks the stack
 * of open containers and the key each was opened under.
 *
 * Only `planned_values` is indexed: the same addresses appear again in `resource_changes` and
 * `prior_state`, and a finding must point at the planned resource.
 */
import type { SourceLocation } from '../../facts/model.js';

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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

/** Offset just after the string that starts at `start` (which holds a quote). */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    const quote = text.indexOf('"', index);
    if (quote < 0) {
      return text.length;
    }
    // An escaped quote has an odd number of backslashes before it.
    let backslashes = 0;
    for (let back = quote - 1; back > start && text.charCodeAt(back) === BACKSLASH; back--) {
      backslashes++;
    }
    if (backslashes % 2 === 0) {
      return quote + 1;
    }
    index = quote + 1;
  }
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function decodeString(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  // Most keys and addresses have no escapes; JSON.parse handles the rest (e.g. `[\"k\"]`).
  return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
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

/**
 * Index the plan text. Assumes the text is valid JSON (the caller parsed it first); on malformed
 * input it returns whatever it found without throwing.
 */
export function indexPlanPositions(text: string): PlanPositions {
  const resources = new Map<string, ResourcePosition>();
  let formatVersion: number | undefined;
  const stack: Frame[] = [];
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = stringEnd(text, index);
      const top = stack[stack.length - 1];
      let next = end;
      while (next < length && isWhitespace(text.charCodeAt(next))) {
        next++;
      }
      if (top?.isObject === true && text.charCodeAt(next) === COLON) {
        // A key. Decoding every key would cost time on big plans, so keys are decoded only where
        // they matter: at the top level, and inside planned_values.
        if (stack.length === 1 || top.planned) {
          const key = decodeString(text, index, end);
          top.pendingKey = key;
          if (stack.length === 1 && key === 'format_version') {
            let value = next + 1;
            while (value < length && isWhitespace(text.charCodeAt(value))) {
              value++;
            }
            formatVersion = value;
          }
          if (top.kind === 'values' && top.attributes !== undefined && !top.attributes.has(key)) {
            top.attributes.set(key, index);
          }
        } else {
          top.pendingKey = '';
        }
        index = next + 1;
        continue;
      }
      // A string value: the only one we need is a resource's address.
      if (top?.kind === 'resource' && top.pendingKey === 'address') {
        top.address = decodeString(text, index, end);
      }
      index = end;
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      const parent = stack[stack.length - 1];
      const key = parent?.isObject === true ? parent.pendingKey : '';
      const planned = parent !== undefined && (parent.planned || (stack.length === 1 && key === 'planned_values'));
      const kind = parent !== undefined && planned ? kindOf(parent, key, code === OPEN_BRACE) : 'other';
      const frame: Frame = { start: index, isObject: code === OPEN_BRACE, key, planned, kind, pendingKey: '' };
      if (kind === 'resource') {
        frame.attributes = new Map();
      } else if (kind === 'values' && parent !== undefined) {
        // The values object of a resource: its keys go into the resource's map.
        parent.attributes ??= new Map();
        frame.attributes = parent.attributes;
      }
      stack.push(frame);
      index++;
      continue;
    }
    if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      const frame = stack.pop();
      if (frame?.kind === 'resource' && frame.address !== undefined && !resources.has(frame.address)) {
        resources.set(frame.address, { offset: frame.start, attributes: frame.attributes ?? new Map() });
      }
      index++;
      // Terraform writes resource_changes, prior_state and configuration after planned_values;
      // nothing there is needed, and on big plans they are most of the text.
      if (stack.length === 1 && frame?.key === 'planned_values' && formatVersion !== undefined) {
        break;
      }
      continue;
    }
    index++;
  }
  return { resources, ...(formatVersion === undefined ? {} : { formatVersion }), locate: lineLocator(text) };
}

/** Offset → 1-based line and column; the line table is built on first use. */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  let lineStarts: number[] | undefined;
  return (offset) => {
    if (lineStarts === undefined) {
      lineStarts = [0];
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
        lineStarts.push(at + 1);
      }
    }
    // Binary search for the last line start ≤ offset.
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
}

export function toLocation(positions: PlanPositions, file: string, offset: number): SourceLocation {
  return { file, ...positions.locate(offset) };
}
