/**
 * The parts of the JSON Schemas that are a pure function of the fact-kind registry
 * (src/facts/kinds/index.ts), rewritten in place so a developer adding a kind does not copy its
 * name into the schemas by hand:
 * - check.schema.json: the `needs` enum;
 * - facts.schema.json: the `collected` enum, the per-kind conditional `required` (`allOf`), one
 *   array property per collection (and its place in the top-level `required`, unless the
 *   collection is optional), and each
 *   collection's `<item>Item` definition (a gap or an item).
 * The item and gap definitions themselves (the facts' shapes) stay hand-written.
 *
 * Each node is edited with jsonc-parser's `modify`, and only when its value differs, so the rest of
 * the file keeps its hand formatting and an unchanged registry leaves the files byte-identical.
 * Shared by the build step (scripts/registrySchemas.ts writes the files) and by the test that
 * fails when the committed schemas no longer match the registry (test/facts/registry.test.ts).
 */
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type JSONPath } from 'jsonc-parser';
import { COLLECTIONS, FACT_KINDS } from '../src/facts/kinds/index.js';
import type { CollectionSpec, FactKind } from '../src/facts/kinds/types.js';

/** The schema files under schemas/ with parts generated from the registry. */
export const REGISTRY_SCHEMA_FILES = ['check.schema.json', 'facts.schema.json'] as const;
export type RegistrySchemaFile = (typeof REGISTRY_SCHEMA_FILES)[number];

export interface Registry {
  readonly kinds: readonly FactKind[];
  readonly collections: readonly CollectionSpec[];
}

const REGISTRY: Registry = { kinds: FACT_KINDS, collections: COLLECTIONS };
const FORMATTING = { insertSpaces: true, tabSize: 2, eol: '\n' } as const;
const DEFINITION_REF = '#/definitions/';
/** How a collection property's items point at their definition: `#/definitions/trailItem`. */
const ITEM_REF = /^#\/definitions\/[A-Za-z0-9]+Item$/u;

/** An item with a `$gap` stands for a listing that failed (never "no items"). */
const IS_GAP = { type: 'object', required: ['$gap'] } as const;

interface Edit {
  readonly path: JSONPath;
  /** undefined removes the property. */
  readonly value: unknown;
  /** Where a new property goes among the object's current keys (index of the key to precede). */
  readonly insertAt?: (keys: string[]) => number;
}

/** `file`'s text with its registry-generated parts brought up to date (identical when they are). */
export function registrySchemaSource(file: RegistrySchemaFile, text: string, registry: Registry = REGISTRY): string {
  const edits = file === 'check.schema.json' ? checkSchemaEdits(registry) : factsSchemaEdits(text, registry);
  return edits.reduce(applyEdit, text);
}

function applyEdit(text: string, edit: Edit): string {
  const root = parseTree(text);
  const node = root === undefined ? undefined : findNodeAtLocation(root, edit.path);
  const current: unknown = node === undefined ? undefined : getNodeValue(node);
  // Compared as JSON text: key order matters too, the generated order is the file's order.
  if (JSON.stringify(current) === JSON.stringify(edit.value)) {
    return text;
  }
  const { insertAt } = edit;
  return applyEdits(
    text,
    modify(text, edit.path, edit.value, {
      formattingOptions: FORMATTING,
      ...(insertAt === undefined ? {} : { getInsertionIndex: insertAt }),
    }),
  );
}

function needs(registry: Registry): string[] {
  return registry.kinds.map((kind) => kind.need);
}

function checkSchemaEdits(registry: Registry): Edit[] {
  return [{ path: ['properties', 'needs', 'items', 'enum'], value: needs(registry) }];
}

/** When `collected` lists the kind, every non-gap item of its collection holds its raw facts. */
function conditionalRequirement(kind: FactKind): unknown {
  return {
    if: { type: 'object', properties: { collected: { type: 'array', contains: { const: kind.need } } } },
    then: {
      type: 'object',
      properties: {
        [kind.collection]: { type: 'array', items: { if: IS_GAP, then: true, else: { type: 'object', required: kind.requiredFacts } } },
      },
    },
  };
}

function itemDefinitionName(collection: CollectionSpec): string {
  return `${collection.itemDefinition}Item`;
}

function factsSchemaEdits(text: string, registry: Registry): Edit[] {
  const schema = JSON.parse(text) as {
    required?: string[];
    properties?: Record<string, { items?: { $ref?: unknown } }>;
    definitions?: Record<string, unknown>;
  };
  const properties = schema.properties ?? {};
  const definitions = schema.definitions ?? {};
  for (const collection of registry.collections) {
    for (const definition of [collection.itemDefinition, collection.gapDefinition]) {
      if (!(definition in definitions)) {
        throw new Error(
          `schemas/facts.schema.json has no definitions.${definition} for the collection ${collection.name}: write its schema there (src/facts/kinds/index.ts COLLECTIONS names it), then run npm run build again`,
        );
      }
    }
  }
  // The collection properties the file has now: those whose items are an `<item>Item` definition.
  const present = Object.keys(properties).filter((name) => ITEM_REF.test(String(properties[name]?.items?.$ref)));
  const names: readonly string[] = registry.collections.map((collection) => collection.name);
  const stale = present.filter((name) => !names.includes(name));
  // A new collection goes after the one before it in the registry, else before the first
  // collection there is, else before `stats`, else last.
  const collectionPlace =
    (index: number) =>
    (keys: string[]): number => {
      const previous = index > 0 ? keys.indexOf(names[index - 1] ?? '') : -1;
      const first = keys.findIndex((key) => present.includes(key) || names.includes(key));
      const stats = keys.indexOf('stats');
      return previous >= 0 ? previous + 1 : first >= 0 ? first : stats >= 0 ? stats : keys.length;
    };
  const beforeDefinitions = (keys: string[]): number => (keys.includes('definitions') ? keys.indexOf('definitions') : keys.length);
  // Every collection that is not optional is required, where the collections are listed now.
  const required = (schema.required ?? []).filter((name) => !present.includes(name) && !names.includes(name));
  const firstCollection = (schema.required ?? []).findIndex((name) => present.includes(name) || names.includes(name));
  const requiredAt = firstCollection >= 0 ? firstCollection : required.includes('stats') ? required.indexOf('stats') : required.length;
  // Optional collections (added after snapshots were first saved) are not required.
  required.splice(requiredAt, 0, ...registry.collections.filter((collection) => collection.optional !== true).map((collection) => collection.name));

  return [
    { path: ['required'], value: required },
    { path: ['properties', 'collected', 'items', 'enum'], value: needs(registry) },
    ...stale.map((name): Edit => ({ path: ['properties', name], value: undefined })),
    ...registry.collections.map(
      (collection, index): Edit => ({
        path: ['properties', collection.name],
        value: { type: 'array', items: { $ref: `${DEFINITION_REF}${itemDefinitionName(collection)}` } },
        insertAt: collectionPlace(index),
      }),
    ),
    {
      path: ['allOf'],
      value: registry.kinds.filter((kind) => kind.requiredFacts.length > 0).map(conditionalRequirement),
      insertAt: beforeDefinitions,
    },
    ...registry.collections.map(
      (collection): Edit => ({
        path: ['definitions', itemDefinitionName(collection)],
        value: { if: IS_GAP, then: { $ref: `${DEFINITION_REF}${collection.gapDefinition}` }, else: { $ref: `${DEFINITION_REF}${collection.itemDefinition}` } },
        // Right after the item's and the gap's own definitions.
        insertAt: (keys) => Math.max(keys.indexOf(collection.itemDefinition), keys.indexOf(collection.gapDefinition)) + 1,
      }),
    ),
  ];
}
