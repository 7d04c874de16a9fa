/**
 * The official SARIF 2.1.0 JSON schema, compiled once for the tests: the copy shipped in
 * @microsoft/jest-sarif (`sarif-2.1.0-rtm.5.json`, the schema as published for 2.1.0).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/*
 * The package's copy declares draft-04 (`$schema`, `id`); its keywords are all ones draft-07 reads
 * the same way (no boolean exclusiveMinimum), so it is compiled by ajv's draft-07 core with the
 * dialect markers removed rather than pulling in a draft-04 validator.
 */
export function compileSarifSchema(): ValidateFunction {
  const path = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  assert.match(String(schema.title), /SARIF\) Version 2\.1\.0/u);
  delete schema.$schema;
  delete schema.id;
  // unicodeRegExp off: the schema's `language` pattern has a stray `]`, legal only without the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // The formats the schema uses; checked loosely (ajv-formats is not a dependency).
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/iu);
  ajv.addFormat('uri-reference', /^[^\s]*$/u);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/u);
  return ajv.compile(schema);
}

let compiled: ValidateFunction | undefined;

/** Schema violations of a SARIF log, as readable strings (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  compiled ??= compileSarifSchema();
  return compiled(log) ? [] : (compiled.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
