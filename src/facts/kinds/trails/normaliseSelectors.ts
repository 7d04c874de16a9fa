/**
 * Normaliser from the GetEventSelectors response shape (SDK v3, and CloudFormation / Terraform,
 * which use the same PascalCase names) to the facts model's {@link EventSelectors}.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, BasicEventSelector, DataResource, EventSelectors, ReadWriteType } from '../../model.js';
import type { FieldOperator } from './selectorAlgebra.js';

/** Structural copy of the SDK v3 / CloudFormation `FieldSelectors` item (null tolerated for IaC JSON). */
export interface FieldSelectorShape {
  readonly Field?: string | null;
  readonly Equals?: readonly string[] | null;
  readonly NotEquals?: readonly string[] | null;
  readonly StartsWith?: readonly string[] | null;
  readonly NotStartsWith?: readonly string[] | null;
  readonly EndsWith?: readonly string[] | null;
  readonly NotEndsWith?: readonly string[] | null;
}

export interface AdvancedEventSelectorShape {
  readonly Name?: string | null;
  readonly FieldSelectors?: readonly FieldSelectorShape[] | null;
}

export interface EventSelectorShape {
  readonly ReadWriteType?: string | null;
  readonly IncludeManagementEvents?: boolean | null;
  readonly DataResources?: readonly { readonly Type?: string | null; readonly Values?: readonly string[] | null }[] | null;
  readonly ExcludeManagementEventSources?: readonly string[] | null;
}

/** The GetEventSelectors output shape (TrailARN and metadata are ignored). */
export interface EventSelectorsShape {
  readonly EventSelectors?: readonly EventSelectorShape[] | null;
  readonly AdvancedEventSelectors?: readonly AdvancedEventSelectorShape[] | null;
}

const READ_WRITE_TYPES: Readonly<Record<string, ReadWriteType>> = {
  readonly: 'ReadOnly',
  writeonly: 'WriteOnly',
  all: 'All',
};

function normaliseReadWriteType(value: string | null | undefined): ReadWriteType {
  if (value === undefined || value === null) {
    return 'All'; // AWS default when the field is omitted
  }
  // Case-insensitive because Config rule parameters and some IaC write "ALL" (CONTROLS §6.19).
  const normalised = READ_WRITE_TYPES[value.toLowerCase()];
  if (normalised === undefined) {
    throw new Error(`Unrecognised event selector ReadWriteType '${value}' (expected ReadOnly, WriteOnly or All).`);
  }
  return normalised;
}

const FIELD_OPERATORS: readonly (readonly [keyof FieldSelectorShape, FieldOperator])[] = [
  ['Equals', 'equals'],
  ['NotEquals', 'notEquals'],
  ['StartsWith', 'startsWith'],
  ['NotStartsWith', 'notStartsWith'],
  ['EndsWith', 'endsWith'],
  ['NotEndsWith', 'notEndsWith'],
];

function normaliseFieldSelector(shape: FieldSelectorShape, selectorIndex: number): AdvancedFieldSelector {
  if (typeof shape.Field !== 'string' || shape.Field === '') {
    throw new Error(`Advanced event selector #${selectorIndex + 1} has a field selector without a Field.`);
  }
  const selector: { field: string } & { -readonly [K in FieldOperator]?: readonly string[] } = { field: shape.Field };
  for (const [shapeKey, operator] of FIELD_OPERATORS) {
    const values = shape[shapeKey];
    // Only operators actually present are kept: an absent operator must stay distinct from an
    // empty list, which the algebra reads literally.
    if (Array.isArray(values)) {
      selector[operator] = [...(values as readonly string[])];
    }
  }
  return selector;
}

function normaliseDataResource(
  shape: { readonly Type?: string | null; readonly Values?: readonly string[] | null },
  selectorIndex: number,
): DataResource {
  if (typeof shape.Type !== 'string' || shape.Type === '') {
    throw new Error(`Event selector #${selectorIndex + 1} has a DataResources entry without a Type.`);
  }
  return { type: shape.Type, values: [...(shape.Values ?? [])] };
}

/**
 * Normalise a GetEventSelectors response (or an IaC property with the same PascalCase shape).
 * Omitted `ReadWriteType` becomes 'All' and omitted `IncludeManagementEvents` becomes true, as AWS
 * does. Structurally broken input (no Field, no data resource Type, an unknown ReadWriteType)
 * throws an Error with a clear message; the caller records it as Unknown.
 */
export function normaliseEventSelectors(response: EventSelectorsShape): EventSelectors {
  const basic: BasicEventSelector[] = (response.EventSelectors ?? []).map((selector, index) => ({
    readWriteType: normaliseReadWriteType(selector.ReadWriteType),
    includeManagementEvents: selector.IncludeManagementEvents ?? true,
    excludeManagementEventSources: [...(selector.ExcludeManagementEventSources ?? [])],
    dataResources: (selector.DataResources ?? []).map((resource) => normaliseDataResource(resource, index)),
  }));
  const advanced: AdvancedEventSelector[] = (response.AdvancedEventSelectors ?? []).map((selector, index) => {
    const fieldSelectors = (selector.FieldSelectors ?? []).map((f) => normaliseFieldSelector(f, index));
    return typeof selector.Name === 'string' ? { name: selector.Name, fieldSelectors } : { fieldSelectors };
  });
  return { basic, advanced };
}
