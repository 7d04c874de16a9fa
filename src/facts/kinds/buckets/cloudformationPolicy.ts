/**
 * `AWS::S3::BucketPolicy.PolicyDocument` → policy JSON text for kinds/buckets/bucketPolicy.ts.
 *
 * Intrinsics inside the document are replaced by placeholders `<Name>` that contain no wildcard
 * and no `${`, while literal text around them is kept (so `!Sub 'arn:…:trail/*'` keeps its `*`):
 * - a Principal computed by an intrinsic (`{AWS: !GetAtt Role.Arn}`, `!Sub 'arn:…:${AWS::AccountId}:root'`)
 *   is a fixed principal, not "*";
 * - a Condition value computed by an intrinsic (`aws:SourceArn: !Sub …`, `aws:SourceAccount: !Ref AWS::AccountId`)
 *   is a fixed value, which pins the statement as S3 would see it after deployment.
 * - `Fn::If` choosing whole statements keeps the statements of both branches (a bucket is public
 *   if either branch makes it so); elsewhere, two branches that serialise alike are one value,
 *   otherwise the document depends on the condition → Unknown('unsupported') when the choice is in
 *   Principal, NotPrincipal, Effect or Condition (it could decide "public"), a placeholder in
 *   Action/Resource (which the public test does not read).
 * - `Ref: AWS::NoValue` removes the key or list item, as CloudFormation does.
 */
import type { Maybe } from '../../model.js';
import { unknown } from '../../model.js';
import { describeNode, getAttTarget, ifBranches, intrinsicOf, isNoValue, refTarget, subArguments, subParts } from '../../../collect/cloudformation/intrinsics.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { isList, literalString, valueOf } from '../../../collect/cloudformation/template.js';

class PolicyUnresolvable extends Error {}

/** Removed from placeholders so they can never look like a wildcard or a policy variable. */
function placeholder(text: string): string {
  return `<${text.replace(/[*?$]/g, '')}>`;
}

/** Keys under which a value choice can change whether the policy is public. */
const DECIDING_KEYS: ReadonlySet<string> = new Set(['Principal', 'NotPrincipal', 'Effect', 'Condition']);

const REMOVED = Symbol('removed');

function stringOf(node: CfnNode, deciding: boolean): string {
  const literal = literalString(node);
  if (literal !== undefined) {
    return literal;
  }
  const value = serialise(node, deciding, false);
  return typeof value === 'string' ? value : placeholder(describeNode(node));
}

function intrinsicString(node: CfnNode, deciding: boolean): string | undefined {
  const intrinsic = intrinsicOf(node);
  if (intrinsic === undefined) {
    return undefined;
  }
  const ref = refTarget(node);
  if (ref !== undefined) {
    return placeholder(ref);
  }
  const getAtt = getAttTarget(node);
  if (getAtt !== undefined) {
    return placeholder(`${getAtt[0]}.${getAtt[1]}`);
  }
  if (intrinsic.name === 'Fn::Sub') {
    const sub = subArguments(intrinsic.argument);
    if (sub === undefined) {
      return placeholder('Fn::Sub');
    }
    return subParts(sub.text)
      .map((part) => {
        if ('literal' in part) {
          return part.literal;
        }
        const variable = valueOf(sub.variables, part.variable);
        return variable === undefined ? placeholder(part.variable) : stringOf(variable, deciding);
      })
      .join('');
  }
  if (intrinsic.name === 'Fn::Join' && isList(intrinsic.argument)) {
    const [delimiter, parts] = intrinsic.argument.items;
    if (literalString(delimiter) !== undefined && isList(parts)) {
      return parts.items.map((part) => stringOf(part, deciding)).join(literalString(delimiter) ?? '');
    }
  }
  return placeholder(intrinsic.name);
}

function serialise(node: CfnNode, deciding: boolean, statementLevel: boolean): unknown {
  if (isNoValue(node)) {
    return REMOVED;
  }
  const branches = ifBranches(node);
  if (branches !== undefined) {
    const whenTrue = serialise(branches.whenTrue, deciding, statementLevel);
    const whenFalse = serialise(branches.whenFalse, deciding, statementLevel);
    if (JSON.stringify(whenTrue) === JSON.stringify(whenFalse) && whenTrue !== REMOVED) {
      return whenTrue;
    }
    if (statementLevel) {
      // Both possible statement sets: public if either is.
      const all = [whenTrue, whenFalse].filter((value) => value !== REMOVED).flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]));
      return { [STATEMENTS]: all };
    }
    if (deciding) {
      throw new PolicyUnresolvable(`the bucket policy depends on condition ${branches.condition}`);
    }
    return placeholder(`Fn::If ${branches.condition}`);
  }
  const computed = intrinsicString(node, deciding);
  if (computed !== undefined) {
    return computed;
  }
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'list': {
      const items: unknown[] = [];
      for (const item of node.items) {
        const value = serialise(item, deciding, statementLevel);
        if (value === REMOVED) {
          continue;
        }
        if (isStatementGroup(value)) {
          items.push(...value[STATEMENTS]);
        } else {
          items.push(value);
        }
      }
      return items;
    }
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        const value = serialise(entry.value, deciding || DECIDING_KEYS.has(entry.key), entry.key === 'Statement' && !statementLevel);
        if (value === REMOVED) {
          continue;
        }
        result[entry.key] = isStatementGroup(value) ? value[STATEMENTS] : value;
      }
      return result;
    }
  }
}

const STATEMENTS = '$statements';

function isStatementGroup(value: unknown): value is { [STATEMENTS]: unknown[] } {
  return typeof value === 'object' && value !== null && STATEMENTS in value;
}

/** Policy JSON, or Unknown when the document cannot be read without deploying. */
export function serialisePolicyDocument(node: CfnNode | undefined, owner: string): Maybe<string> {
  if (node === undefined || isNoValue(node)) {
    return unknown('error', `${owner}: PolicyDocument is required by CloudFormation but missing.`);
  }
  const literal = literalString(node);
  if (literal !== undefined) {
    // A policy written as a JSON string; analysis (and its errors) happen downstream.
    return literal;
  }
  if (node.kind !== 'map' || (intrinsicOf(node) !== undefined && ifBranches(node) === undefined)) {
    return unknown(
      'unsupported',
      `${owner}: PolicyDocument is ${describeNode(node)}, which is known only at deploy time; audit the deployed bucket live.`,
    );
  }
  try {
    // A document chosen whole by a condition can differ anywhere: read it as deciding.
    const value = serialise(node, ifBranches(node) !== undefined, false);
    return JSON.stringify(isStatementGroup(value) ? { Statement: value[STATEMENTS] } : value);
  } catch (error) {
    if (error instanceof PolicyUnresolvable) {
      return unknown('unsupported', `${owner}: ${error.message}; audit the deployed bucket live, or make both branches agree.`);
    }
    throw error;
  }
}
