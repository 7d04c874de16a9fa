import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { OPERATOR_NAMES } from '../../src/engine/operators.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { packagePath } from '../../src/load/packagePaths.js';
import { caseTableFileOf } from '../../src/load/checkFiles.js';
import { BUILT_IN_CHECK_FILES, builtInCheckFile } from '../helpers/builtInChecks.js';

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

  const files = BUILT_IN_CHECK_FILES.map((file) => basename(file));
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

      it('maps to exactly its own Security Hub control, or (an id outside its catalogue) to none', () => {
        // Security Hub's own ids (CloudTrail.x, S3.22/23, CloudWatch.x); TrailHealth.x, CIS.x are ours.
        if (/^(CloudTrail|S3|CloudWatch)\.\d+$/u.test(check.id)) {
          assert.deepEqual(check.frameworks.securityhub, [check.id]);
        } else {
          assert.equal(check.frameworks.securityhub, undefined);
        }
      });

      it('has a case table beside it', () => {
        const table = caseTableFileOf(builtInCheckFile(check.id));
        assert.ok(existsSync(table), table);
      });
    });
  }

  it('CloudTrail.8 is not implemented (never published, CONTROLS §1.8)', () => {
    assert.ok(!checks.some((check) => check.id === 'CloudTrail.8'));
  });
});
