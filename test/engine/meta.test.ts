import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { OPERATOR_NAMES } from '../../src/engine/operators.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { packagePath } from '../../src/load/packagePaths.js';
import { caseTableFile } from '../helpers/checkTester.js';

interface SchemaNode {
  readonly [key: string]: unknown;
}

/** Find the `op` enum of the leaf condition, wherever the schema nests it. */
function findOpEnum(node: unknown): unknown[] | undefined {
  if (typeof node !== 'object' || node === null) {
    return undefined;
  }
  const record = node as SchemaNode;
  const properties = record.properties as SchemaNode | undefined;
  const op = properties?.op as SchemaNode | undefined;
  if (Array.isArray(op?.enum)) {
    return op.enum as unknown[];
  }
  for (const child of Object.values(record)) {
    const found = findOpEnum(child);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

describe('checks, schema and engine stay in step', () => {
  it('the op enum of schemas/check.schema.json equals the keys of OPERATORS', () => {
    const schema = JSON.parse(readFileSync(packagePath('schemas', 'check.schema.json'), 'utf8')) as unknown;
    const ops = findOpEnum(schema);
    assert.ok(ops !== undefined, 'the schema declares an op enum');
    assert.deepEqual([...ops].sort(), [...OPERATOR_NAMES].sort());
  });

  const files = readdirSync(packagePath('checks')).filter((name) => name.endsWith('.yaml'));
  const checks = loadChecks();

  it('every file in checks/ loads, and there is one check per file', () => {
    assert.ok(files.length >= 9);
    assert.equal(checks.length, files.length);
  });

  for (const check of checks) {
    describe(check.id, () => {
      it('has a file named after its id', () => {
        assert.ok(files.includes(`${check.id}.yaml`), `checks/${check.id}.yaml`);
      });

      it('maps to exactly its own Security Hub control', () => {
        assert.deepEqual(check.frameworks.securityhub, [check.id]);
      });

      it('has a case table', () => {
        assert.ok(existsSync(caseTableFile(check.id)), caseTableFile(check.id));
      });
    });
  }

  it('CloudTrail.8 is not implemented (never published, CONTROLS §1.8)', () => {
    assert.ok(!checks.some((check) => check.id === 'CloudTrail.8'));
  });
});
