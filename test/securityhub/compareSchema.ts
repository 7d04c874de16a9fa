/** schemas/compare.schema.json compiled as its consumers would (ajv, JSON Schema 2020-12, strict). */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export const COMPARE_SCHEMA = JSON.parse(readFileSync(new URL('../../schemas/compare.schema.json', import.meta.url), 'utf8')) as {
  properties: { rows: { items: { properties: { knownReason: { oneOf: [unknown, { properties: { code: { enum: string[] } } }] } } } } };
};

export function compileCompareSchema(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  // The one format the schema uses (ajv-formats is not installed here, as in test/report/json.test.ts).
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
  return ajv.compile(COMPARE_SCHEMA);
}
