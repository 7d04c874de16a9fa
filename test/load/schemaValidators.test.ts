/**
 * The schema validators are compiled at build time (scripts/precompileSchemas.ts). These tests
 * keep the committed module honest: it must be exactly what the schemas compile to now, and it
 * must judge data exactly as ajv compiling the schema at run time would (same errors, in order).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { AJV_OPTIONS, GENERATED_FILE, PRECOMPILED_SCHEMAS, schemaValidatorsSource } from '../../scripts/schemaValidatorsSource.js';
import { PACKAGE_ROOT } from '../../src/load/packagePaths.js';
import { schemaValidator, type SchemaValidator, type ValidatedSchema } from '../../src/load/schemaValidation.js';
import { BUILT_IN_CHECK_FILES } from '../helpers/builtInChecks.js';

function runtimeValidator(file: string): ValidateFunction {
  const ajv = new Ajv({ ...AJV_OPTIONS });
  return ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', file), 'utf8')) as object);
}

function outcome(validate: SchemaValidator, data: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(data);
  return { valid, errors: valid ? null : structuredClone(validate.errors) };
}

/** Valid documents and deliberately broken variants of them, for each precompiled schema. */
function samples(file: ValidatedSchema): unknown[] {
  const yaml = (path: string): unknown => parse(readFileSync(path, 'utf8'));
  if (file === 'check.schema.json') {
    const checks = BUILT_IN_CHECK_FILES.map((file) => yaml(file) as Record<string, unknown>);
    const first = checks[0] ?? {};
    return [
      ...checks,
      { ...first, severity: 'SEVERE', extra: 1 },
      { ...first, assert: { op: 'equals', path: 1 } },
      { ...first, parameters: { Bad: { type: 'string' } }, title: 'short' },
      { id: 'x' },
      [],
    ];
  }
  if (file === 'rules.schema.json') {
    const rules = yaml(join(PACKAGE_ROOT, 'rules.yaml')) as Record<string, unknown>;
    return [rules, yaml(join(PACKAGE_ROOT, 'demo', 'rules.yaml')), { ...rules, failOn: 'sometimes' }, { ...rules, checks: { 'CloudTrail.7': 'maybe' } }, { unknown: true }, 'text'];
  }
  return [{}, { source: 'live', regions: 'us-east-1' }, null];
}

describe('precompiled schema validators', () => {
  it('the committed module is what the schemas compile to (run `npm run build` after editing a schema)', () => {
    const committed = readFileSync(join(PACKAGE_ROOT, GENERATED_FILE), 'utf8');
    assert.ok(committed === schemaValidatorsSource(PACKAGE_ROOT), `${GENERATED_FILE} is stale: run npm run build`);
  });

  for (const file of Object.values(PRECOMPILED_SCHEMAS)) {
    it(`${file}: same verdicts and errors as compiling the schema at run time`, () => {
      const runtime = runtimeValidator(file);
      const precompiled = schemaValidator(file);
      const cases = samples(file);
      assert.ok(cases.some((data) => outcome(runtime, data).valid) || file === 'facts.schema.json', 'some samples are valid');
      assert.ok(cases.some((data) => !outcome(runtime, data).valid), 'some samples are invalid');
      for (const data of cases) {
        assert.deepEqual(outcome(precompiled, data), outcome(runtime, data));
      }
    });
  }
});
