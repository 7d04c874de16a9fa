/**
 * `Tags: [{Key, Value}]` → all tags and the user tag keys (without `aws:` system tags, any case),
 * as the live collector reports them. Keys decide CloudTrail.9, so a key that is not a literal
 * (or a tag list chosen by a condition) makes both facts Unknown; a computed value is kept as
 * its expression text, since values are not checked.
 */
import type { Maybe } from '../../model.js';
import { unknown } from '../../model.js';
import { userTagKeysOf } from './tags.js';
import { describeNode, ifBranches, intrinsicOf, isNoValue } from '../../../collect/cloudformation/intrinsics.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { isList, isMap, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { PropertyContext } from '../../../collect/cloudformation/values.js';
import { computedUnknown } from '../../../collect/cloudformation/values.js';

export interface TagFacts {
  readonly tags: Maybe<Readonly<Record<string, string>>>;
  readonly userTagKeys: Maybe<readonly string[]>;
}

export function readTags(node: CfnNode | undefined, context: PropertyContext): TagFacts {
  if (node === undefined || isNoValue(node)) {
    return { tags: {}, userTagKeys: [] };
  }
  const fact = (detail: ReturnType<typeof unknown>): TagFacts => ({ tags: detail, userTagKeys: detail });
  if (!isList(node)) {
    const branches = ifBranches(node);
    if (branches !== undefined) {
      return fact(
        unknown('unsupported', `${context.owner}: Tags depend on condition ${branches.condition}; audit the deployed stack live.`),
      );
    }
    return fact(
      intrinsicOf(node) === undefined
        ? unknown('error', `${context.owner}: Tags is ${describeNode(node)}, not a list of {Key, Value}; CloudFormation would reject it.`)
        : computedUnknown({ ...context, property: 'Tags' }, node),
    );
  }
  const tags: Record<string, string> = {};
  for (const item of node.items) {
    if (isNoValue(item)) {
      continue;
    }
    const branches = ifBranches(item);
    if (branches !== undefined) {
      return fact(
        unknown('unsupported', `${context.owner}: a tag depends on condition ${branches.condition}; audit the deployed stack live.`),
      );
    }
    const keyNode = isMap(item) ? valueOf(item, 'Key') : undefined;
    const key = literalString(keyNode);
    if (key === undefined) {
      return fact(
        keyNode === undefined
          ? unknown('error', `${context.owner}: a tag has no literal Key (${describeNode(item)}); CloudFormation would reject it.`)
          : computedUnknown({ ...context, property: 'Tags[].Key' }, keyNode),
      );
    }
    const valueNode = valueOf(item, 'Value');
    tags[key] = valueNode === undefined ? '' : (literalString(valueNode) ?? describeNode(valueNode));
  }
  return { tags, userTagKeys: userTagKeysOf(tags) };
}
