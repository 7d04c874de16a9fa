/**
 * The parsed form of a CloudFormation template: a small tree that keeps the position of every
 * key and value, so that facts can point at the property that produced them. Short-form YAML
 * tags are already expanded to their long form (`!Ref X` → `{Ref: X}`), so the collector sees
 * one shape whether the template was YAML, JSON or CDK output.
 */

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface CfnScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly position: Position;
}

export interface CfnList {
  readonly kind: 'list';
  readonly items: readonly CfnNode[];
  readonly position: Position;
}

export interface CfnEntry {
  readonly key: string;
  readonly keyPosition: Position;
  readonly value: CfnNode;
}

export interface CfnMap {
  readonly kind: 'map';
  readonly entries: readonly CfnEntry[];
  readonly position: Position;
}

export type CfnNode = CfnScalar | CfnList | CfnMap;

export interface CfnTemplate {
  /** The name the template was parsed under (used in parse errors). */
  readonly file: string;
  readonly format: 'yaml' | 'json';
  readonly root: CfnNode;
  /** The same content as plain JSON values (intrinsics in long form), for content detection. */
  readonly data: unknown;
}

export function isMap(node: CfnNode | undefined): node is CfnMap {
  return node?.kind === 'map';
}

export function isList(node: CfnNode | undefined): node is CfnList {
  return node?.kind === 'list';
}

export function isScalar(node: CfnNode | undefined): node is CfnScalar {
  return node?.kind === 'scalar';
}

export function entryOf(node: CfnNode | undefined, key: string): CfnEntry | undefined {
  return isMap(node) ? node.entries.find((entry) => entry.key === key) : undefined;
}

export function valueOf(node: CfnNode | undefined, key: string): CfnNode | undefined {
  return entryOf(node, key)?.value;
}

/** A literal string (numbers count: YAML reads an unquoted `123` as a number). */
export function literalString(node: CfnNode | undefined): string | undefined {
  if (!isScalar(node)) {
    return undefined;
  }
  return typeof node.value === 'string' ? node.value : typeof node.value === 'number' ? String(node.value) : undefined;
}

/** Plain JSON value of a node. */
export function toPlain(node: CfnNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'list':
      return node.items.map(toPlain);
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        result[entry.key] = toPlain(entry.value);
      }
      return result;
    }
  }
}
