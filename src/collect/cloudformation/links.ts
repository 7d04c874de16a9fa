/**
 * Which declared resource a property value names, for the monitoring and KMS readers: a trail's
 * CloudWatchLogsLogGroupArn → an AWS::Logs::LogGroup, its KMSKeyId → an AWS::KMS::Key (directly
 * or through an AWS::KMS::Alias), an alarm action or a subscription's TopicArn → an AWS::SNS::Topic.
 * (Buckets have their own resolver, kinds/buckets/cloudformationLinks.ts, with the same reasons.)
 *
 * Resolved: `Ref` / `Fn::GetAtt` to a target (or to a resource that stands for one, such as an
 * alias for its key); `Fn::Sub` whose only resource variable names a target and whose other
 * variables are pseudo parameters (`arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Group}:*`);
 * a literal the target says it is named by (a literal LogGroupName, AliasName…); `Fn::If` whose
 * two branches name the same target.
 *
 * Unresolved, with the reason the facts carry (the same as the bucket links'): a literal or a
 * parameter naming nothing declared here → 'not_found' (declared elsewhere); anything else
 * (`Fn::ImportValue`, a condition choosing between targets, a computed value) → 'unsupported'.
 * Neither is ever read as "exists".
 */
import type { UnknownReason } from '../../facts/model.js';
import { describeNode, getAttTarget, ifBranches, intrinsicOf, isNoValue, refTarget, subArguments, subParts } from './intrinsics.js';
import type { CfnNode } from './template.js';
import { literalString } from './template.js';
import type { TemplateIndex } from './templateIndex.js';

export type DeclaredLink =
  | { readonly kind: 'declared'; readonly logicalId: string }
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'unresolved';
      readonly reason: Extract<UnknownReason, 'not_found' | 'unsupported'>;
      /** The value as written (literal, or `!ImportValue x`): the id of the stand-in item. */
      readonly text: string;
      readonly why: string;
      /** The literal value, when it was one. */
      readonly literal?: string;
    };

export interface LinkTarget {
  /** The resource type a link may resolve to. */
  readonly type: string;
  /** For messages: `log group`, `KMS key`, `SNS topic`. */
  readonly what: string;
  /** The declared target a literal names (by its literal name or ARN), if any. */
  readonly byLiteral?: (literal: string) => string | undefined;
  /** The target a declared resource of another type stands for (an alias → its key). */
  readonly via?: (logicalId: string) => string | undefined;
}

export const DECLARED_ELSEWHERE = 'declared elsewhere; scan that template too, or audit the account live';

function targetOf(index: TemplateIndex, target: LinkTarget, logicalId: string): string | undefined {
  const resource = index.resources.get(logicalId);
  if (resource === undefined) {
    return undefined;
  }
  return resource.type === target.type ? logicalId : target.via?.(logicalId);
}

export function resolveDeclared(node: CfnNode | undefined, index: TemplateIndex, target: LinkTarget, depth = 0): DeclaredLink {
  if (node === undefined || isNoValue(node) || literalString(node) === '') {
    return { kind: 'absent' };
  }
  const text = describeNode(node);
  const unsupported = (why: string): DeclaredLink => ({ kind: 'unresolved', reason: 'unsupported', text, why });
  if (depth > 8) {
    return unsupported(`${text} is too deeply nested to resolve`);
  }
  const literal = literalString(node);
  if (literal !== undefined) {
    const declared = target.byLiteral?.(literal);
    return declared !== undefined
      ? { kind: 'declared', logicalId: declared }
      : { kind: 'unresolved', reason: 'not_found', text, literal, why: `${target.what} ${literal} is not declared in this template (${DECLARED_ELSEWHERE})` };
  }
  const ref = refTarget(node);
  if (ref !== undefined) {
    const declared = targetOf(index, target, ref);
    if (declared !== undefined) {
      return { kind: 'declared', logicalId: declared };
    }
    if (index.parameters.has(ref)) {
      return { kind: 'unresolved', reason: 'not_found', text, why: `the ${target.what} is named by parameter ${ref} at deploy time and is not declared in this template (${DECLARED_ELSEWHERE})` };
    }
    return unsupported(`${text} names no ${target.what} declared in this template`);
  }
  const getAtt = getAttTarget(node);
  if (getAtt !== undefined) {
    const declared = targetOf(index, target, getAtt[0]);
    return declared !== undefined ? { kind: 'declared', logicalId: declared } : unsupported(`${text} is not an attribute of a ${target.what} declared here`);
  }
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.name === 'Fn::Sub') {
    return resolveSub(node, intrinsic.argument, index, target, depth) ?? unsupported(`${text} is computed at deploy time and names no ${target.what} declared here`);
  }
  const branches = ifBranches(node);
  if (branches !== undefined) {
    const whenTrue = resolveDeclared(branches.whenTrue, index, target, depth + 1);
    const whenFalse = resolveDeclared(branches.whenFalse, index, target, depth + 1);
    if (whenTrue.kind === 'declared' && whenFalse.kind === 'declared' && whenTrue.logicalId === whenFalse.logicalId) {
      return whenTrue;
    }
    return unsupported(`the ${target.what} depends on condition ${branches.condition}`);
  }
  if (intrinsic?.name === 'Fn::ImportValue') {
    return unsupported(`${text} is exported by another stack (${DECLARED_ELSEWHERE})`);
  }
  return unsupported(`${text} is computed at deploy time and names no ${target.what} declared here`);
}

/**
 * `Fn::Sub`: no variables → its text is a literal; one variable naming a target (`${Group}`,
 * `${Group.Arn}`) with only pseudo parameters besides → that target. Undefined when neither.
 */
function resolveSub(node: CfnNode, argument: CfnNode, index: TemplateIndex, target: LinkTarget, depth: number): DeclaredLink | undefined {
  const sub = subArguments(argument);
  if (sub === undefined) {
    return undefined;
  }
  const parts = subParts(sub.text);
  const variables = parts.flatMap((part) => ('variable' in part ? [part.variable] : []));
  if (variables.length === 0) {
    return resolveDeclared({ kind: 'scalar', value: parts.map((part) => ('literal' in part ? part.literal : '')).join(''), position: node.position }, index, target, depth + 1);
  }
  if (sub.variables !== undefined) {
    // A variable map can bind anything; only the one-variable form `${X}` is followed.
    return undefined;
  }
  const named = variables.filter((variable) => !variable.startsWith('AWS::'));
  const [only] = named;
  if (named.length !== 1 || only === undefined) {
    return undefined;
  }
  const declared = targetOf(index, target, only.split('.')[0] ?? '');
  return declared === undefined ? undefined : { kind: 'declared', logicalId: declared };
}
