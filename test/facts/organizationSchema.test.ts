/**
 * The published schemas list exactly the skip reasons the code can write: a reason added to
 * SkipReason and not to the schemas makes the reports fail their own schema.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { SKIP_REASONS } from '../../src/facts/organization.js';
import { packagePath } from '../../src/load/packagePaths.js';

/** Every `enum` under a `reason` key of a skipped-account definition, found by walking the schema. */
function skipReasonEnums(schema: unknown): string[][] {
  const found: string[][] = [];
  const walk = (node: unknown, parentKey: string | undefined, inSkipped: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((item) => {
        walk(item, parentKey, inSkipped);
      });
      return;
    }
    if (typeof node !== 'object' || node === null) {
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const skipped = inSkipped || key === 'skipped';
      if (skipped && key === 'reason' && typeof value === 'object' && value !== null && Array.isArray((value as { enum?: unknown }).enum)) {
        found.push((value as { enum: string[] }).enum);
      }
      walk(value, key, skipped);
    }
  };
  walk(schema, undefined, false);
  return found;
}

describe('skip reasons in the published schemas', () => {
  for (const file of ['report.schema.json', 'facts.schema.json']) {
    it(`${file} allows exactly the skip reasons the code writes`, () => {
      const schema: unknown = JSON.parse(readFileSync(packagePath('schemas', file), 'utf8'));
      const enums = skipReasonEnums(schema);
      assert.equal(enums.length, 1, 'one skipped-account reason enum');
      assert.deepEqual([...(enums[0] ?? [])].sort(), [...SKIP_REASONS].sort());
    });
  }
});
