/**
 * Which declared `AWS::S3::Bucket` a value names (a trail's S3BucketName, a bucket policy's
 * Bucket, a logging DestinationBucketName).
 *
 * Resolved: `Ref` / `Fn::GetAtt` to a bucket; `Fn::Sub` whose whole text is `${Bucket}` (directly
 * or through its variable map); `Fn::Join` whose only non-empty part resolves; a literal equal
 * to a bucket's literal BucketName; any expression written exactly like a bucket's BucketName
 * (`!Sub '${AWS::AccountId}-trail-logs'` on both sides names the same bucket); `Fn::If` whose
 * two branches name the same bucket.
 *
 * Unresolved, with the reason the facts carry: a literal name or a parameter that names no
 * bucket declared here → 'not_found' (the bucket is declared elsewhere); anything else
 * (`Fn::ImportValue`, a condition choosing between buckets, a computed name) → 'unsupported'.
 */
import { canonical, describeNode, getAttTarget, ifBranches, intrinsicOf, isNoValue, refTarget, subArguments, subParts } from '../../../collect/cloudformation/intrinsics.js';
import { DECLARED_ELSEWHERE, type DeclaredLink } from '../../../collect/cloudformation/links.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { isList, isScalar, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { TemplateIndex } from '../../../collect/cloudformation/templateIndex.js';

export const BUCKET_TYPE = 'AWS::S3::Bucket';

/** A bucket link is a declared-resource link (the shape every CloudFormation link reader returns). */
export type BucketLink = DeclaredLink;

function isBucket(index: TemplateIndex, logicalId: string): boolean {
  return index.resources.get(logicalId)?.type === BUCKET_TYPE;
}

/** Canonical text of each declared bucket's BucketName → logical id, computed once per template. */
const namesByIndex = new WeakMap<TemplateIndex, ReadonlyMap<string, string>>();

function declaredNames(index: TemplateIndex): ReadonlyMap<string, string> {
  let names = namesByIndex.get(index);
  if (names === undefined) {
    const built = new Map<string, string>();
    for (const resource of index.resources.values()) {
      const name = resource.type === BUCKET_TYPE ? valueOf(resource.properties, 'BucketName') : undefined;
      if (name !== undefined && !isNoValue(name) && !built.has(canonical(name))) {
        built.set(canonical(name), resource.logicalId);
      }
    }
    names = built;
    namesByIndex.set(index, names);
  }
  return names;
}

/** The declared bucket whose BucketName is written exactly like `node` (literal or expression). */
function bucketByName(index: TemplateIndex, node: CfnNode): string | undefined {
  const names = declaredNames(index);
  return names.size === 0 ? undefined : names.get(canonical(node));
}

function parameterLink(text: string, parameter: string): BucketLink {
  return {
    kind: 'unresolved',
    reason: 'not_found',
    text,
    why: `the bucket is named by parameter ${parameter} at deploy time and is not declared in this template (${DECLARED_ELSEWHERE})`,
  };
}

export function resolveBucket(node: CfnNode | undefined, index: TemplateIndex, depth = 0): BucketLink {
  if (node === undefined || isNoValue(node)) {
    return { kind: 'absent' };
  }
  const text = describeNode(node);
  const unsupported = (why: string): BucketLink => ({ kind: 'unresolved', reason: 'unsupported', text, why });
  if (depth > 8) {
    return unsupported(`${text} is too deeply nested to resolve`);
  }

  const sameAsDeclared = bucketByName(index, node);
  if (sameAsDeclared !== undefined) {
    return { kind: 'declared', logicalId: sameAsDeclared };
  }
  const literal = literalString(node);
  if (literal !== undefined) {
    return {
      kind: 'unresolved',
      reason: 'not_found',
      text,
      literal,
      why: `bucket ${literal} is not declared in this template (${DECLARED_ELSEWHERE})`,
    };
  }
  if (isScalar(node)) {
    return unsupported(`${text} is not a bucket name`);
  }

  const ref = refTarget(node);
  if (ref !== undefined) {
    if (isBucket(index, ref)) {
      return { kind: 'declared', logicalId: ref };
    }
    if (index.parameters.has(ref)) {
      return parameterLink(text, ref);
    }
    const type = index.resources.get(ref)?.type;
    return unsupported(type === undefined ? `${text} refers to ${ref}, which is not declared in this template` : `${text} refers to ${ref}, a ${type}, not an ${BUCKET_TYPE}`);
  }

  const getAtt = getAttTarget(node);
  if (getAtt !== undefined) {
    return isBucket(index, getAtt[0])
      ? { kind: 'declared', logicalId: getAtt[0] }
      : unsupported(`${text} is an attribute of ${getAtt[0]}, which is not an ${BUCKET_TYPE} declared here`);
  }

  const intrinsic = intrinsicOf(node);
  if (intrinsic?.name === 'Fn::Sub') {
    const sub = subArguments(intrinsic.argument);
    const parts = sub === undefined ? [] : subParts(sub.text);
    const [only] = parts;
    if (sub !== undefined && parts.length === 1 && only !== undefined) {
      if ('literal' in only) {
        return resolveBucket({ kind: 'scalar', value: only.literal, position: node.position }, index, depth + 1);
      }
      const variable = valueOf(sub.variables, only.variable);
      if (variable !== undefined) {
        return resolveBucket(variable, index, depth + 1);
      }
      const [resource] = only.variable.split('.');
      if (resource !== undefined && isBucket(index, resource)) {
        return { kind: 'declared', logicalId: resource };
      }
      if (index.parameters.has(only.variable)) {
        return parameterLink(text, only.variable);
      }
    }
    return unsupported(`${text} is computed at deploy time and names no bucket declared here`);
  }

  if (intrinsic?.name === 'Fn::Join' && isList(intrinsic.argument)) {
    const [delimiter, list] = intrinsic.argument.items;
    if (literalString(delimiter) !== undefined && isList(list)) {
      const parts = list.items.filter((part) => literalString(part) !== '');
      if (parts.every((part) => literalString(part) !== undefined)) {
        const joined = parts.map((part) => literalString(part) ?? '').join(literalString(delimiter) ?? '');
        return resolveBucket({ kind: 'scalar', value: joined, position: node.position }, index, depth + 1);
      }
      const [single] = parts;
      if (parts.length === 1 && single !== undefined) {
        return resolveBucket(single, index, depth + 1);
      }
    }
    return unsupported(`${text} is computed at deploy time and names no bucket declared here`);
  }

  const branches = ifBranches(node);
  if (branches !== undefined) {
    const whenTrue = resolveBucket(branches.whenTrue, index, depth + 1);
    const whenFalse = resolveBucket(branches.whenFalse, index, depth + 1);
    if (whenTrue.kind === 'declared' && whenFalse.kind === 'declared' && whenTrue.logicalId === whenFalse.logicalId) {
      return whenTrue;
    }
    return unsupported(`the bucket depends on condition ${branches.condition}`);
  }

  if (intrinsic?.name === 'Fn::ImportValue') {
    return unsupported(`${text} is exported by another stack (${DECLARED_ELSEWHERE})`);
  }
  return unsupported(`${text} is computed at deploy time and names no bucket declared here`);
}
