/**
 * The advanced event selectors' field-selector algebra: which values a field selector, and which
 * events an advanced selector, admit (all six operators, AND across operators and fields).
 *
 * Pure, like the coverage analysis built on it (eventSelectors.ts).
 */
import type { AdvancedEventSelector, AdvancedFieldSelector } from '../../model.js';

/* ------------------------------------------------------------------ field-selector algebra */

export type PositiveOperator = 'equals' | 'startsWith' | 'endsWith';
export type NegativeOperator = 'notEquals' | 'notStartsWith' | 'notEndsWith';
export type FieldOperator = PositiveOperator | NegativeOperator;

const POSITIVE_OPERATORS: readonly PositiveOperator[] = ['equals', 'startsWith', 'endsWith'];
const NEGATIVE_OPERATORS: readonly NegativeOperator[] = ['notEquals', 'notStartsWith', 'notEndsWith'];
export const ALL_OPERATORS: readonly FieldOperator[] = [...POSITIVE_OPERATORS, ...NEGATIVE_OPERATORS];

const MATCHES: Readonly<Record<PositiveOperator, (value: string, pattern: string) => boolean>> = {
  equals: (value, pattern) => value === pattern,
  startsWith: (value, pattern) => value.startsWith(pattern),
  endsWith: (value, pattern) => value.endsWith(pattern),
};

const NEGATES: Readonly<Record<NegativeOperator, PositiveOperator>> = {
  notEquals: 'equals',
  notStartsWith: 'startsWith',
  notEndsWith: 'endsWith',
};

export const OPERATOR_LABEL: Readonly<Record<FieldOperator, string>> = {
  equals: 'equals',
  notEquals: 'not equals',
  startsWith: 'starts with',
  notStartsWith: 'not starts with',
  endsWith: 'ends with',
  notEndsWith: 'not ends with',
};

/**
 * Whether one advanced field selector admits `value` for its field.
 *
 * Every operator present must hold (AND). `equals`/`startsWith`/`endsWith` hold when ANY listed
 * value matches; `notEquals`/`notStartsWith`/`notEndsWith` hold when NO listed value matches.
 * Matching is case-sensitive, as in CloudTrail. An operator that is absent (undefined) imposes
 * nothing, so a field selector with no operators admits everything. An operator with an EMPTY
 * list is taken literally (AWS rejects empty lists, but IaC input may carry one): "any of none"
 * is false and "none of none" is true — the conservative reading for `equals`.
 */
export function fieldSelectorAdmits(selector: AdvancedFieldSelector, value: string): boolean {
  for (const operator of POSITIVE_OPERATORS) {
    const patterns = selector[operator];
    if (patterns !== undefined && !patterns.some((pattern) => MATCHES[operator](value, pattern))) {
      return false;
    }
  }
  for (const operator of NEGATIVE_OPERATORS) {
    const patterns = selector[operator];
    const matches = MATCHES[NEGATES[operator]];
    if (patterns?.some((pattern) => matches(value, pattern)) === true) {
      return false;
    }
  }
  return true;
}

/**
 * Whether an advanced event selector admits an event described by field → value.
 *
 * AND over its field selectors. A field selector whose field is absent from `event` does NOT
 * admit: we cannot know the event's value, and answering "admits" would let an unrelated
 * restriction pass as coverage (conservative). A selector without field selectors admits
 * everything (vacuous AND; AWS never returns one).
 */
export function advancedSelectorAdmits(
  selector: AdvancedEventSelector,
  event: Readonly<Record<string, string>>,
): boolean {
  return selector.fieldSelectors.every((fieldSelector) => {
    // Object.hasOwn keeps inherited names such as "constructor" from looking like event fields.
    const value = Object.hasOwn(event, fieldSelector.field) ? event[fieldSelector.field] : undefined;
    return value !== undefined && fieldSelectorAdmits(fieldSelector, value);
  });
}
