/**
 * Reading property values as facts. A template states intent, not the deployed value, so:
 *
 * - Booleans: literal `true`/`false` (also the strings "true"/"false", any case, which
 *   CloudFormation accepts) are facts. A value known only at deploy time (a parameter, a pseudo
 *   parameter, a computed function) is Unknown('unsupported') naming what it depends on: a
 *   parameter's Default can be overridden at deploy time, so it is only quoted, never used.
 * - "Is it set" strings (KMS key, log group ARN): any literal or intrinsic counts as set, because
 *   CloudFormation will fill in a value; `Ref: AWS::NoValue` and '' mean not set. One exception
 *   keeps us from a guessed PASS: a bare `Ref` to a parameter whose Default is empty is Unknown,
 *   since the usual deployment leaves it empty.
 * - `Fn::If`: both branches are read; the same answer on both sides is the answer, different
 *   answers are Unknown('unsupported', "depends on condition X"). A `AWS::NoValue` branch reads
 *   as the property's default.
 */
import type { Maybe, Unknown } from '../../facts/model.js';
import { isUnknown, unknown } from '../../facts/model.js';
import { describeNode, ifBranches, intrinsicOf, isNoValue, refTarget } from './intrinsics.js';
import type { CfnNode } from './template.js';
import { isScalar, literalString } from './template.js';
import type { TemplateIndex } from './templateIndex.js';

/** Who is being read, for messages: `Trail ManagementTrail: EnableLogFileValidation`. */
export interface PropertyContext {
  readonly index: TemplateIndex;
  /** e.g. `Trail ManagementTrail`. */
  readonly owner: string;
  /** e.g. `EnableLogFileValidation`. */
  readonly property: string;
}

function subject(context: PropertyContext): string {
  return `${context.owner}: ${context.property}`;
}

/** Unknown for a value that a parameter decides at deploy time. */
export function parameterUnknown(context: PropertyContext, parameter: string): Unknown {
  const fallback = context.index.parameters.get(parameter);
  const defaultText = fallback === undefined ? 'no default' : `default ${describeNode(fallback)}`;
  return unknown(
    'unsupported',
    `${subject(context)} is set by parameter ${parameter} (${defaultText}), whose value is known only at deploy time; audit the deployed stack live, or pass a literal.`,
  );
}

/** Unknown for a value computed by a function trailaudit does not evaluate. */
export function computedUnknown(context: PropertyContext, node: CfnNode): Unknown {
  const intrinsic = intrinsicOf(node);
  const what = intrinsic === undefined ? describeNode(node) : intrinsic.name;
  return unknown(
    'unsupported',
    `${subject(context)} is computed by ${what} (${describeNode(node)}), which is known only at deploy time; audit the deployed stack live.`,
  );
}

function conditionUnknown(context: PropertyContext, condition: string, whenTrue: string, whenFalse: string): Unknown {
  return unknown(
    'unsupported',
    `${subject(context)} depends on condition ${condition} (${whenTrue} when it is true, ${whenFalse} when false); audit the deployed stack live, or make both branches agree.`,
  );
}

/**
 * A boolean property. `fallback` is the CloudFormation default when the property is absent, or
 * 'required' when CloudFormation requires it (absent → Unknown('error'): the template cannot be
 * deployed as written, so no verdict about it can be right).
 */
export function readBoolean(node: CfnNode | undefined, fallback: boolean | 'required', context: PropertyContext): Maybe<boolean> {
  if (node === undefined || isNoValue(node)) {
    if (fallback === 'required') {
      return unknown(
        'error',
        `${subject(context)} is required by CloudFormation but missing, so the template cannot be deployed as written; set it to true or false.`,
      );
    }
    return fallback;
  }
  if (isScalar(node)) {
    if (typeof node.value === 'boolean') {
      return node.value;
    }
    if (typeof node.value === 'string' && /^(true|false)$/i.test(node.value)) {
      return node.value.toLowerCase() === 'true';
    }
    return unknown('error', `${subject(context)} is ${describeNode(node)}, which is not a boolean; CloudFormation would reject it.`);
  }
  const branches = ifBranches(node);
  if (branches !== undefined) {
    const whenTrue = readBoolean(branches.whenTrue, fallback, context);
    const whenFalse = readBoolean(branches.whenFalse, fallback, context);
    if (isUnknown(whenTrue)) {
      return whenTrue;
    }
    if (isUnknown(whenFalse)) {
      return whenFalse;
    }
    return whenTrue === whenFalse ? whenTrue : conditionUnknown(context, branches.condition, String(whenTrue), String(whenFalse));
  }
  const parameter = refTarget(node);
  if (parameter !== undefined && context.index.parameters.has(parameter)) {
    return parameterUnknown(context, parameter);
  }
  return computedUnknown(context, node);
}

/**
 * A property whose presence is the fact (KMSKeyId, CloudWatchLogsLogGroupArn): the literal
 * value, the expression text when CloudFormation computes it, or null when not set.
 */
export function readSetting(node: CfnNode | undefined, context: PropertyContext): Maybe<string | null> {
  if (node === undefined || isNoValue(node)) {
    return null;
  }
  if (isScalar(node)) {
    if (node.value === null || node.value === '') {
      return null;
    }
    return String(node.value);
  }
  const branches = ifBranches(node);
  if (branches !== undefined) {
    const whenTrue = readSetting(branches.whenTrue, context);
    const whenFalse = readSetting(branches.whenFalse, context);
    if (isUnknown(whenTrue)) {
      return whenTrue;
    }
    if (isUnknown(whenFalse)) {
      return whenFalse;
    }
    if ((whenTrue === null) === (whenFalse === null)) {
      return whenTrue === null ? null : describeNode(node);
    }
    return conditionUnknown(context, branches.condition, whenTrue === null ? 'not set' : 'set', whenFalse === null ? 'not set' : 'set');
  }
  const parameter = refTarget(node);
  if (parameter !== undefined && context.index.parameters.has(parameter)) {
    const fallback = context.index.parameters.get(parameter);
    if (fallback !== undefined && literalString(fallback) === '') {
      return unknown(
        'unsupported',
        `${subject(context)} is set by parameter ${parameter}, whose default is empty (not set); its value is known only at deploy time, so audit the deployed stack live.`,
      );
    }
  }
  return describeNode(node);
}

/** A literal string property (names, prefixes); intrinsics give their expression text. */
export function readText(node: CfnNode | undefined): string | null {
  if (node === undefined || isNoValue(node)) {
    return null;
  }
  return literalString(node) ?? (isScalar(node) ? null : describeNode(node));
}

/**
 * A property CloudFormation passes through as written (an enum, a nested configuration):
 * absent/NoValue → `absent`; `Fn::If` → both branches, equal → that value, else Unknown naming
 * the condition; a parameter or another intrinsic → Unknown('unsupported'); a literal → `convert`.
 */
export function readDeclared<T>(
  node: CfnNode | undefined,
  absent: T,
  context: PropertyContext,
  convert: (node: CfnNode) => Maybe<T>,
): Maybe<T> {
  if (node === undefined || isNoValue(node)) {
    return absent;
  }
  const branches = ifBranches(node);
  if (branches !== undefined) {
    const whenTrue = readDeclared(branches.whenTrue, absent, context, convert);
    const whenFalse = readDeclared(branches.whenFalse, absent, context, convert);
    if (isUnknown(whenTrue)) {
      return whenTrue;
    }
    if (isUnknown(whenFalse)) {
      return whenFalse;
    }
    return JSON.stringify(whenTrue) === JSON.stringify(whenFalse)
      ? whenTrue
      : conditionUnknown(context, branches.condition, 'one value', 'another');
  }
  if (intrinsicOf(node) !== undefined) {
    const parameter = refTarget(node);
    return parameter !== undefined && context.index.parameters.has(parameter)
      ? parameterUnknown(context, parameter)
      : computedUnknown(context, node);
  }
  return convert(node);
}
