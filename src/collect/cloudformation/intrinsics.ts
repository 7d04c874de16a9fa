/**
 * Recognising and describing intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`, …) in the
 * long form that parse.ts produces for YAML and JSON alike.
 */
import type { CfnNode } from './template.js';
import { isList, isMap, isScalar, literalString } from './template.js';

export interface Intrinsic {
  /** `Ref` or `Fn::Name`. */
  readonly name: string;
  readonly argument: CfnNode;
}

/**
 * The intrinsic a node is, if any: a map with exactly one key `Ref` or `Fn::…`. (`Condition`
 * is only an intrinsic inside condition functions, and a property may be called Condition, so it
 * is not recognised here.)
 */
export function intrinsicOf(node: CfnNode | undefined): Intrinsic | undefined {
  if (!isMap(node) || node.entries.length !== 1) {
    return undefined;
  }
  const [entry] = node.entries;
  if (entry === undefined || (entry.key !== 'Ref' && !entry.key.startsWith('Fn::'))) {
    return undefined;
  }
  return { name: entry.key, argument: entry.value };
}

/** The name a `Ref` points at (logical id, parameter or pseudo parameter). */
export function refTarget(node: CfnNode | undefined): string | undefined {
  const intrinsic = intrinsicOf(node);
  return intrinsic?.name === 'Ref' ? literalString(intrinsic.argument) : undefined;
}

/** `Ref: AWS::NoValue` — CloudFormation removes the property, as if it were not written. */
export function isNoValue(node: CfnNode | undefined): boolean {
  return refTarget(node) === 'AWS::NoValue';
}

/** `[logicalId, attribute]` of a `Fn::GetAtt` with literal arguments. */
export function getAttTarget(node: CfnNode | undefined): readonly [string, string] | undefined {
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.name !== 'Fn::GetAtt' || !isList(intrinsic.argument)) {
    return undefined;
  }
  const [resource, attribute] = intrinsic.argument.items.map(literalString);
  return resource === undefined || attribute === undefined ? undefined : [resource, attribute];
}

/** `Fn::If [condition, whenTrue, whenFalse]`, if the node is one. */
export function ifBranches(
  node: CfnNode | undefined,
): { readonly condition: string; readonly whenTrue: CfnNode; readonly whenFalse: CfnNode } | undefined {
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.name !== 'Fn::If' || !isList(intrinsic.argument)) {
    return undefined;
  }
  const [condition, whenTrue, whenFalse] = intrinsic.argument.items;
  const name = literalString(condition);
  if (name === undefined || whenTrue === undefined || whenFalse === undefined) {
    return undefined;
  }
  return { condition: name, whenTrue, whenFalse };
}

function quote(text: string): string {
  return text === '' || /[\s,[\]{}'"#]|: |^[!&*|>@`%-]/.test(text) ? `'${text.replace(/'/g, "''")}'` : text;
}

/**
 * Short, YAML-like text for a value, as a person would write it in a template:
 * `!Ref LogBucketName`, `!GetAtt Key.Arn`, `!ImportValue shared-logs`. Used for resource ids of
 * unresolved links and in messages.
 */
export function describeNode(node: CfnNode, nested = false): string {
  const intrinsic = intrinsicOf(node);
  if (intrinsic !== undefined) {
    const short = intrinsic.name === 'Ref' ? 'Ref' : intrinsic.name.slice('Fn::'.length);
    const getAtt = short === 'GetAtt' ? getAttTarget(node) : undefined;
    const text = getAtt !== undefined ? `!GetAtt ${getAtt[0]}.${getAtt[1]}` : `!${short} ${describeNode(intrinsic.argument, true)}`;
    return nested && intrinsic.name !== 'Ref' ? `(${text})` : text;
  }
  if (isScalar(node)) {
    if (typeof node.value === 'string') {
      return nested ? quote(node.value) : node.value;
    }
    return String(node.value);
  }
  if (isList(node)) {
    return `[${node.items.map((item) => describeNode(item, true)).join(', ')}]`;
  }
  return `{${node.entries.map((entry) => `${entry.key}: ${describeNode(entry.value, true)}`).join(', ')}}`;
}

/** Canonical text of a value, for "these two expressions are the same" comparisons. */
export function canonical(node: CfnNode): string {
  if (isScalar(node)) {
    return JSON.stringify(node.value);
  }
  if (isList(node)) {
    return `[${node.items.map(canonical).join(',')}]`;
  }
  return `{${node.entries.map((entry) => `${JSON.stringify(entry.key)}:${canonical(entry.value)}`).join(',')}}`;
}

/** The parts of a `Fn::Sub` template: literal text and `${Name}` / `${Resource.Attr}` references. */
export type SubPart = { readonly literal: string } | { readonly variable: string };

export function subParts(template: string): SubPart[] {
  const parts: SubPart[] = [];
  let literal = '';
  let index = 0;
  while (index < template.length) {
    const start = template.indexOf('${', index);
    if (start < 0) {
      literal += template.slice(index);
      break;
    }
    literal += template.slice(index, start);
    const end = template.indexOf('}', start + 2);
    if (end < 0) {
      literal += template.slice(start);
      break;
    }
    const body = template.slice(start + 2, end);
    if (body.startsWith('!')) {
      // `${!Literal}` writes `${Literal}` verbatim (IAM policy variables, shell syntax).
      literal += `\${${body.slice(1)}}`;
    } else {
      if (literal !== '') {
        parts.push({ literal });
        literal = '';
      }
      parts.push({ variable: body.trim() });
    }
    index = end + 1;
  }
  if (literal !== '') {
    parts.push({ literal });
  }
  return parts;
}

/** `Fn::Sub` argument as template text and variable map (string form or `[text, {vars}]`). */
export function subArguments(argument: CfnNode): { readonly text: string; readonly variables: CfnNode | undefined } | undefined {
  const text = literalString(argument);
  if (text !== undefined) {
    return { text, variables: undefined };
  }
  if (isList(argument)) {
    const [first, variables] = argument.items;
    const listText = literalString(first);
    return listText === undefined ? undefined : { text: listText, variables };
  }
  return undefined;
}
