/**
 * Small readers shared by the CloudFormation monitoring and KMS readers: a resource's "may not
 * exist" Unknown, literal-or-expression identifiers, and texts that must be literal.
 */
import type { Unknown } from '../../model.js';
import { unknown } from '../../model.js';
import { describeNode, intrinsicOf, isNoValue, subArguments, subParts } from '../../../collect/cloudformation/intrinsics.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { isList, literalString } from '../../../collect/cloudformation/template.js';
import type { ResourceInfo } from '../../../collect/cloudformation/templateIndex.js';

/**
 * A resource created only when its `Condition` holds may not exist: whatever it would prove is
 * Unknown('unsupported') naming the condition (the same rule as conditional trails).
 */
export function conditionalGap(resource: ResourceInfo, what: string): Unknown | undefined {
  return resource.condition === undefined
    ? undefined
    : unknown(
        'unsupported',
        `${what} ${resource.logicalId} is created only when condition ${resource.condition} is true, so it may not exist; audit the deployed stack live.`,
      );
}

/**
 * Text known before deployment: a literal, `Fn::Sub` without variables (`${!x}` written as
 * `${x}`), or `Fn::Join` of such texts. Undefined when the value is computed at deploy time.
 */
export function staticText(node: CfnNode | undefined): string | undefined {
  if (node === undefined || isNoValue(node)) {
    return undefined;
  }
  const literal = literalString(node);
  if (literal !== undefined) {
    return literal;
  }
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.name === 'Fn::Sub') {
    const sub = subArguments(intrinsic.argument);
    const parts = sub === undefined ? [] : subParts(sub.text);
    return sub !== undefined && parts.every((part) => 'literal' in part) ? parts.map((part) => ('literal' in part ? part.literal : '')).join('') : undefined;
  }
  if (intrinsic?.name === 'Fn::Join' && isList(intrinsic.argument)) {
    const [delimiter, list] = intrinsic.argument.items;
    const separator = literalString(delimiter);
    if (separator !== undefined && isList(list)) {
      const texts = list.items.map(staticText);
      return texts.every((text) => text !== undefined) ? texts.join(separator) : undefined;
    }
  }
  return undefined;
}

/**
 * An identifier that only has to compare equal to itself (a metric's name or namespace): its
 * static text, else the expression as written qualified by the file. Within one template the same
 * expression yields the same value at deploy time, so a filter and an alarm that both write
 * `!Sub '${AWS::StackName}-trail-changes'` watch the same metric; across files they may not, hence
 * the file in the text. Undefined when absent.
 */
export function identityText(node: CfnNode | undefined, file: string): string | undefined {
  if (node === undefined || isNoValue(node)) {
    return undefined;
  }
  return staticText(node) ?? `${describeNode(node)} (${file})`;
}
