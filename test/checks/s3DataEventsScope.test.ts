/**
 * S3.22 / S3.23 over part of an account (an IaC scan without --whole-account): a declared trail
 * that logs every S3 object event proves the control; its absence proves nothing (NOT_APPLICABLE,
 * never FAIL). Compact case facts describe a live account, so this is tested here.
 */
import { strict as assert } from 'node:assert';
import { evaluate } from '../../src/engine/evaluate.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { enabledChecks, parseRules } from '../../src/load/loadRules.js';
import { TODAY, buildFacts } from '../../src/tester/index.js';
import type { FactSet } from '../../src/facts/model.js';

const checks = loadChecks();

function partialScan(trails: unknown[]): FactSet {
  const built = buildFacts({ trails });
  return { ...built, source: 'cloudformation', account: { ...built.account, scope: 'partial' } };
}

function statusOf(id: string, facts: FactSet): string {
  const enabled = enabledChecks(checks, parseRules('version: 1\n', 'rules.yaml', checks), [id]);
  const findings = evaluate({ checks: enabled, facts, suppressions: [], today: TODAY }).findings;
  assert.equal(findings.length, 1);
  return findings[0]!.status;
}

const allObjects = { EventSelectors: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] };
const noDataEvents = { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] };

describe('S3.22 / S3.23 over a partial scan', () => {
  for (const id of ['S3.22', 'S3.23']) {
    it(`${id}: no declared trail logs S3 object events → NOT_APPLICABLE, never FAIL`, () => {
      assert.equal(statusOf(id, partialScan([{ name: 'main', hasCustomEventSelectors: false, eventSelectors: noDataEvents }])), 'NOT_APPLICABLE');
    });

    it(`${id}: a declared multi-Region logging trail that logs them → PASS`, () => {
      assert.equal(statusOf(id, partialScan([{ name: 'main', eventSelectors: allObjects }])), 'PASS');
    });

    it(`${id}: the same facts for a whole account → FAIL`, () => {
      const whole = partialScan([{ name: 'main', hasCustomEventSelectors: false, eventSelectors: noDataEvents }]);
      assert.equal(statusOf(id, { ...whole, account: { ...whole.account, scope: 'account' } }), 'FAIL');
    });
  }
});
