import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { InputError, type InputIssue } from '../errors.js';
import { deriveFacts } from '../facts/derive.js';
import { COLLECTIONS } from '../facts/kinds/index.js';
import type { FactSet } from '../facts/model.js';
import { readInputFile } from './inputFile.js';
import { jsonParseErrorPosition } from './jsonParseError.js';
import { packagePath } from './packagePaths.js';
import { accountInconsistencies } from './snapshotAccounts.js';
import { danglingBucketLinks, repeatedItems } from './snapshotLinks.js';
import { describe, pointerToPath, schemaValidator } from './schemaValidation.js';

/** At most this many problems are listed: a wrong file gives one per item otherwise. */
const MAX_ISSUES = 20;

/**
 * Read a facts snapshot saved by `audit --save-snapshot`; structural problems are input errors.
 *
 * The snapshot is validated against schemas/facts.schema.json (every fact kind it claims in
 * `collected` must be there, with its raw facts, on every item), then its derived facts are
 * recomputed from the raw ones (facts/derive.ts): a stored verdict such as `publicAccess` is
 * never trusted, whether the file was edited or saved by an older version of the logic.
 */
export function loadSnapshot(file: string): FactSet {
  const text = readInputFile(file, 'snapshot');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const problem = error as Error;
    const position = jsonParseErrorPosition(text, problem.message);
    throw new InputError([
      {
        file,
        line: position?.line ?? 0,
        column: position?.column ?? 0,
        path: '',
        message: `not a readable JSON snapshot: ${problem.message}`,
      },
    ]);
  }
  const validate = schemaValidator('facts.schema.json');
  if (!validate(data)) {
    throw new InputError(snapshotIssues(file, validate.errors ?? []));
  }
  const dangling = [...accountInconsistencies(data as FactSet, file), ...repeatedItems(data as FactSet, file), ...danglingBucketLinks(data as FactSet, file)];
  if (dangling.length > 0) {
    throw new InputError(dangling.slice(0, MAX_ISSUES));
  }
  return deriveFacts(data as FactSet);
}

/**
 * One issue per place, saying what was expected there. A value that is neither of a fact's forms
 * (`"acl": "garbage"`) fails every branch of an `anyOf`; the branch errors ("must be array",
 * "must be object") are replaced by the fact's own description from the schema. `if` errors
 * only repeat the errors of their branch and are dropped.
 */
function snapshotIssues(file: string, errors: readonly ErrorObject[]): InputIssue[] {
  const alternatives = errors.filter((error) => error.keyword === 'anyOf').map((error) => error.instancePath);
  const within = (path: string, outer: string): boolean => path === outer || path.startsWith(`${outer}/`);
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || (error.keyword !== 'anyOf' && alternatives.some((outer) => within(error.instancePath, outer)))) {
      continue;
    }
    const path = pointerToPath(error.instancePath);
    const { message, key } = error.keyword === 'anyOf' ? { message: `expected ${expectation(path)}`, key: undefined } : describe(error);
    const dotted = [...path, ...(key === undefined ? [] : [key])].join('.');
    if (seen.has(`${dotted}|${message}`)) {
      continue;
    }
    seen.add(`${dotted}|${message}`);
    issues.push({ file, line: 0, column: 0, path: dotted, message: `${message} (expected a snapshot written by trailaudit audit --save-snapshot)` });
  }
  return issues.slice(0, MAX_ISSUES);
}

interface SchemaNode {
  readonly description?: string;
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}

/** Which schema definition describes the items of each collection (from the kinds registry). */
const ITEM_DEFINITIONS: ReadonlyMap<string, string> = new Map(COLLECTIONS.map((collection) => [collection.name, collection.itemDefinition]));

/**
 * The schema's description of the fact at `path` (`buckets.0.acl`). Read from the schema file
 * only on this error path: the precompiled validator does not keep descriptions.
 */
function expectation(path: readonly string[]): string {
  const fallback = 'one of the forms the schema allows';
  let definitions: Readonly<Record<string, SchemaNode>>;
  try {
    const schema = JSON.parse(readFileSync(packagePath('schemas', 'facts.schema.json'), 'utf8')) as { definitions: Record<string, SchemaNode> };
    definitions = schema.definitions;
  } catch {
    return fallback;
  }
  const [collection, , field] = path;
  const owner = collection === undefined ? undefined : ITEM_DEFINITIONS.get(collection);
  const property = owner === undefined || field === undefined || path.length !== 3 ? undefined : definitions[owner]?.properties?.[field];
  const referenced = property?.$ref?.replace('#/definitions/', '');
  return (referenced === undefined ? undefined : definitions[referenced]?.description) ?? fallback;
}
