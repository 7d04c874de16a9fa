import type { ErrorObject } from 'ajv';
import type { InputIssue } from '../errors.js';
import * as precompiled from './schemaValidators.generated.js';
import type { LocatedDocument } from './yamlDocument.js';

/** A validator as ajv builds it: returns whether the data is valid and leaves the errors on itself. */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The validators are compiled at build time (scripts/precompileSchemas.ts) with the options in
 * scripts/schemaValidatorsSource.ts, so starting the CLI compiles no schema and does not load
 * the ajv compiler. The generated code is ajv's own, so error objects are exactly as before.
 */
const VALIDATORS = {
  'check.schema.json': precompiled.validateCheck as SchemaValidator,
  'rules.schema.json': precompiled.validateRules as SchemaValidator,
  'facts.schema.json': precompiled.validateFacts as SchemaValidator,
} as const;

export type ValidatedSchema = keyof typeof VALIDATORS;

export function schemaValidator(schemaFile: ValidatedSchema): SchemaValidator {
  return VALIDATORS[schemaFile];
}

export function pointerToPath(pointer: string): string[] {
  if (pointer === '') {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/gu, '/').replace(/~0/gu, '~'));
}

/** A person's wording of one ajv error, and the property it is about when that is a key. */
export function describe(error: ErrorObject): { message: string; key?: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { message: `unexpected property "${String(params.additionalProperty)}"`, key: String(params.additionalProperty) };
    case 'required':
      return { message: `missing required property "${String(params.missingProperty)}"` };
    case 'enum':
      return { message: `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { message: `expected ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return { message: `expected ${String(params.type)}` };
    case 'pattern':
      return { message: `expected a value matching ${String(params.pattern)}` };
    case 'propertyNames':
      return { message: `invalid property name "${String(params.propertyName)}"`, key: String(params.propertyName) };
    default:
      return { message: error.message ?? error.keyword };
  }
}

/**
 * Turn ajv errors into located issues: noise from schema combinators (`if`, `anyOf`) is dropped
 * when a more specific error exists for the same place, and duplicates are removed.
 */
export function schemaIssues(document: LocatedDocument, errors: readonly ErrorObject[]): InputIssue[] {
  const specific = errors.filter((error) => !['if', 'anyOf', 'oneOf'].includes(error.keyword));
  const chosen = specific.length > 0 ? specific : errors;
  // For anyOf failures (e.g. `CloudTrail.7: maybe`), several branch errors point at one place; keep the first.
  const seen = new Set<string>();
  const issues: InputIssue[] = [];
  for (const error of chosen) {
    const path = pointerToPath(error.instancePath);
    const { message, key } = describe(error);
    const dedupeKey = `${error.instancePath}|${key ?? ''}`;
    if (seen.has(dedupeKey)) {
      continue;
    }
    seen.add(dedupeKey);
    const position = document.locate(path, key);
    // The same node reached through a YAML alias gives the same problem at the same position.
    const positionKey = `${position.line}:${position.column}|${message}`;
    if (seen.has(positionKey)) {
      continue;
    }
    seen.add(positionKey);
    issues.push({ file: document.file, ...position, path: [...path, ...(key === undefined ? [] : [key])].join('.'), message });
  }
  return issues;
}
