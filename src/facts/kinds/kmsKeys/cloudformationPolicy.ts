/**
 * `AWS::KMS::Key.KeyPolicy` → key policy JSON text for kinds/kmsKeys/keyPolicy.ts (TrailHealth.3).
 *
 * - Absent: KMS attaches its default key policy, which allows only the account (root) and no
 *   service principal (KMS Developer Guide, "Default key policy",
 *   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html; CreateKey:
 *   "If you do not provide a key policy, KMS attaches a default key policy"). The CloudFormation
 *   reference made KeyPolicy optional with that meaning (older versions required it, in which
 *   case the template cannot be deployed at all). Either way CloudTrail cannot use the key, so
 *   the fact is the default policy's text: TrailHealth.3 then FAILs, which is the truth.
 * - A JSON string: kept as written (the analysis reports it when it is not a policy).
 * - An object: serialised with intrinsic functions replaced by placeholders `<Name>` that hold no
 *   wildcard and no `${` (a principal `!Sub 'arn:…:${AWS::AccountId}:root'` stays a fixed
 *   account principal, never `*`), literal text around them kept.
 * - No false PASS from a placeholder: a statement that names CloudTrail (or `*`) and whose
 *   Condition holds a value computed at deploy time (`aws:SourceArn: !Sub 'arn:…:trail/${Name}'`)
 *   cannot be evaluated against a trail whose ARN exists only after deployment, so the policy is
 *   Unknown('unsupported') rather than a text whose placeholder comparison would decide.
 * - `Fn::If`: two branches that serialise alike are one value; otherwise the policy depends on
 *   the condition → Unknown('unsupported'). `Ref: AWS::NoValue` removes the key or item.
 */
import type { Maybe } from '../../model.js';
import { unknown } from '../../model.js';
import { describeNode, getAttTarget, ifBranches, intrinsicOf, isNoValue, refTarget, subArguments, subParts } from '../../../collect/cloudformation/intrinsics.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { isList, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import { DEFAULT_KEY_POLICY } from './defaultKeyPolicy.js';

class Unresolvable extends Error {}

const REMOVED = Symbol('removed');

function placeholder(text: string): string {
  return `<${text.replace(/[*?$]/g, '')}>`;
}

interface Walk {
  /** Set when an intrinsic was replaced under a Condition key. */
  computedCondition: boolean;
}

function textOf(node: CfnNode, walk: Walk, inCondition: boolean): string {
  const literal = literalString(node);
  if (literal !== undefined) {
    return literal;
  }
  const value = convert(node, walk, inCondition);
  return typeof value === 'string' ? value : placeholder(describeNode(node));
}

function intrinsicText(node: CfnNode, walk: Walk, inCondition: boolean): string | undefined {
  const intrinsic = intrinsicOf(node);
  if (intrinsic === undefined) {
    return undefined;
  }
  if (inCondition) {
    walk.computedCondition = true;
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
        const bound = valueOf(sub.variables, part.variable);
        return bound === undefined ? placeholder(part.variable) : textOf(bound, walk, inCondition);
      })
      .join('');
  }
  if (intrinsic.name === 'Fn::Join' && isList(intrinsic.argument)) {
    const [delimiter, parts] = intrinsic.argument.items;
    if (literalString(delimiter) !== undefined && isList(parts)) {
      return parts.items.map((part) => textOf(part, walk, inCondition)).join(literalString(delimiter) ?? '');
    }
  }
  return placeholder(intrinsic.name);
}

function convert(node: CfnNode, walk: Walk, inCondition: boolean): unknown {
  if (isNoValue(node)) {
    return REMOVED;
  }
  const branches = ifBranches(node);
  if (branches !== undefined) {
    const whenTrue = convert(branches.whenTrue, walk, inCondition);
    const whenFalse = convert(branches.whenFalse, walk, inCondition);
    if (JSON.stringify(whenTrue) === JSON.stringify(whenFalse)) {
      return whenTrue;
    }
    throw new Unresolvable(`it depends on condition ${branches.condition}`);
  }
  const computed = intrinsicText(node, walk, inCondition);
  if (computed !== undefined) {
    return computed;
  }
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'list':
      return node.items.map((item) => convert(item, walk, inCondition)).filter((item) => item !== REMOVED);
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        const value = convert(entry.value, walk, inCondition || entry.key === 'Condition');
        if (value !== REMOVED) {
          result[entry.key] = value;
        }
      }
      return result;
    }
  }
}

/** Whether a serialised statement's principal could be CloudTrail's (it names cloudtrail, or everyone). */
function mayBeCloudTrail(statement: unknown): boolean {
  if (typeof statement !== 'object' || statement === null) {
    return false;
  }
  const record = statement as Record<string, unknown>;
  const principal = record.Principal ?? record.NotPrincipal;
  const text = JSON.stringify(principal ?? null).toLowerCase();
  return 'NotPrincipal' in record || text.includes('cloudtrail') || text.includes('"*"');
}

/** Key policy JSON, the default policy when absent, or Unknown when deployment decides it. */
export function serialiseKeyPolicy(node: CfnNode | undefined, owner: string): Maybe<string> {
  if (node === undefined || isNoValue(node)) {
    return DEFAULT_KEY_POLICY;
  }
  const literal = literalString(node);
  if (literal !== undefined) {
    return literal;
  }
  const unsupported = (why: string): Maybe<string> => unknown('unsupported', `${owner}: KeyPolicy ${why}; audit the deployed key live (kms:GetKeyPolicy).`);
  if (node.kind !== 'map' || (intrinsicOf(node) !== undefined && ifBranches(node) === undefined)) {
    return unsupported(`is ${describeNode(node)}, known only at deploy time`);
  }
  try {
    const document = convert(node, { computedCondition: false }, false);
    const statements = valueOf(node, 'Statement');
    const items = isList(statements) ? statements.items : statements === undefined ? [] : [statements];
    for (const item of items) {
      const walk: Walk = { computedCondition: false };
      const statement = convert(item, walk, false);
      if (walk.computedCondition && mayBeCloudTrail(statement)) {
        const sid = literalString(valueOf(item, 'Sid'));
        return unsupported(
          `statement ${sid === undefined ? '' : `'${sid}' `}conditions CloudTrail's access on a value computed at deploy time (${describeNode(valueOf(item, 'Condition') ?? item)}), which cannot be compared with a trail ARN that exists only after deployment`,
        );
      }
    }
    return JSON.stringify(document);
  } catch (error) {
    if (error instanceof Unresolvable) {
      return unsupported(error.message);
    }
    throw error;
  }
}

