/**
 * A trail's `EventSelectors` / `AdvancedEventSelectors` → the PascalCase shape that
 * kinds/trails/eventSelectors.ts normalises (CloudFormation uses the API's property names).
 *
 * Values that decide management-event coverage must be literal: ReadWriteType,
 * IncludeManagementEvents, ExcludeManagementEventSources, and the values of the eventCategory,
 * readOnly, eventSource and eventName field selectors. An intrinsic there (a parameter, a
 * condition) makes the coverage Unknown('unsupported'). Elsewhere (data resource ARNs, selector
 * names, resources.ARN patterns) an intrinsic is kept as its expression text: it cannot change
 * what management events are logged.
 */
import type { EventSelectorsShape } from './normaliseSelectors.js';
import type { Maybe, Unknown } from '../../model.js';
import { isUnknown, unknown } from '../../model.js';
import { describeNode, ifBranches, intrinsicOf, isNoValue, refTarget } from '../../../collect/cloudformation/intrinsics.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { isList, isMap, isScalar, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { PropertyContext } from '../../../collect/cloudformation/values.js';
import { computedUnknown, parameterUnknown, readBoolean } from '../../../collect/cloudformation/values.js';

/** Carries an Unknown out of a deep conversion. */
class Unresolvable extends Error {
  constructor(readonly fact: Unknown) {
    super(fact.$unknown.message);
  }
}

const DECIDING_FIELDS: ReadonlySet<string> = new Set(['eventCategory', 'readOnly', 'eventSource', 'eventName']);

function fail(context: PropertyContext, node: CfnNode): never {
  const branches = ifBranches(node);
  if (branches !== undefined) {
    throw new Unresolvable({
      $unknown: {
        reason: 'unsupported',
        message: `${context.owner}: ${context.property} depends on condition ${branches.condition}; audit the deployed stack live, or declare the selectors without a condition.`,
      },
    });
  }
  if (isScalar(node) || isList(node) || intrinsicOf(node) === undefined) {
    throw new Unresolvable(
      unknown('error', `${context.owner}: ${context.property} has ${describeNode(node)} where CloudFormation expects another type of value.`),
    );
  }
  const parameter = refTarget(node);
  if (parameter !== undefined && context.index.parameters.has(parameter)) {
    throw new Unresolvable(parameterUnknown(context, parameter));
  }
  throw new Unresolvable(computedUnknown(context, node));
}

/** A list, with `AWS::NoValue` items dropped; absent/NoValue → undefined. */
function listOf(node: CfnNode | undefined, context: PropertyContext): CfnNode[] | undefined {
  if (node === undefined || isNoValue(node)) {
    return undefined;
  }
  if (!isList(node)) {
    return fail(context, node);
  }
  return node.items.filter((item) => !isNoValue(item));
}

function strings(node: CfnNode | undefined, context: PropertyContext, deciding: boolean): string[] | undefined {
  return listOf(node, context)?.map((item) => {
    const text = literalString(item);
    if (text !== undefined) {
      return text;
    }
    if (deciding || !isMap(item)) {
      return fail(context, item);
    }
    return describeNode(item);
  });
}

function mapOf(node: CfnNode, context: PropertyContext): CfnNode {
  return isMap(node) && ifBranches(node) === undefined ? node : fail(context, node);
}

function basicSelectors(node: CfnNode | undefined, context: PropertyContext): EventSelectorsShape['EventSelectors'] {
  return listOf(node, context)?.map((item) => {
    const selector = mapOf(item, context);
    const readWrite = valueOf(selector, 'ReadWriteType');
    const include = valueOf(selector, 'IncludeManagementEvents');
    const includeValue: Maybe<boolean> = readBoolean(include, true, { ...context, property: `${context.property}.IncludeManagementEvents` });
    if (isUnknown(includeValue)) {
      throw new Unresolvable(includeValue);
    }
    const readWriteText = readWrite === undefined || isNoValue(readWrite) ? undefined : (literalString(readWrite) ?? fail(context, readWrite));
    return {
      ...(readWriteText === undefined ? {} : { ReadWriteType: readWriteText }),
      IncludeManagementEvents: includeValue,
      ExcludeManagementEventSources: strings(valueOf(selector, 'ExcludeManagementEventSources'), context, true) ?? [],
      DataResources: (listOf(valueOf(selector, 'DataResources'), context) ?? []).map((resourceNode) => {
        const resource = mapOf(resourceNode, context);
        const type = valueOf(resource, 'Type');
        return {
          Type: type === undefined ? null : (literalString(type) ?? describeNode(type)),
          Values: strings(valueOf(resource, 'Values'), context, false) ?? [],
        };
      }),
    };
  });
}

const OPERATORS = ['Equals', 'NotEquals', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'] as const;

function advancedSelectors(node: CfnNode | undefined, context: PropertyContext): EventSelectorsShape['AdvancedEventSelectors'] {
  return listOf(node, context)?.map((item) => {
    const selector = mapOf(item, context);
    const name = valueOf(selector, 'Name');
    return {
      ...(name === undefined || isNoValue(name) ? {} : { Name: literalString(name) ?? describeNode(name) }),
      FieldSelectors: (listOf(valueOf(selector, 'FieldSelectors'), context) ?? []).map((fieldNode) => {
        const field = mapOf(fieldNode, context);
        const fieldName = valueOf(field, 'Field');
        const fieldText = fieldName === undefined ? null : (literalString(fieldName) ?? fail(context, fieldName));
        const deciding = fieldText !== null && DECIDING_FIELDS.has(fieldText);
        const shape: Record<string, unknown> = { Field: fieldText };
        for (const operator of OPERATORS) {
          const values = strings(valueOf(field, operator), context, deciding);
          if (values !== undefined) {
            shape[operator] = values;
          }
        }
        return shape;
      }),
    };
  });
}

/** The selectors as declared, or the Unknown that stops them being read. */
export function readSelectorShape(
  basic: CfnNode | undefined,
  advanced: CfnNode | undefined,
  context: PropertyContext,
): Maybe<EventSelectorsShape> {
  try {
    return {
      EventSelectors: basicSelectors(basic, { ...context, property: 'EventSelectors' }) ?? [],
      AdvancedEventSelectors: advancedSelectors(advanced, { ...context, property: 'AdvancedEventSelectors' }) ?? [],
    };
  } catch (error) {
    if (error instanceof Unresolvable) {
      return error.fact;
    }
    throw error;
  }
}
