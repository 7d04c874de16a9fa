/**
 * A rules.yaml parameter below its declared minimum is bad input: exit 2, one line naming
 * file:line:col and the minimum, no stack trace (parameters.ts, the check schema's `minimum`).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli.js';

describe('rules.yaml: maxDeliveryAgeHours below 1 (CLI)', function () {
  this.timeout(60_000);
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-rules-minimum-'));
    writeFileSync(join(work, 'trail.yaml'), 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n');
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  for (const value of ['0', '-1']) {
    it(`maxDeliveryAgeHours: ${value} → exit 2 with file:line:col "expected an integer of at least 1"`, async () => {
      writeFileSync(join(work, 'rules.yaml'), `version: 1\nchecks:\n  TrailHealth.1:\n    parameters:\n      maxDeliveryAgeHours: ${value}\n`);
      const result = await runCli(['scan', 'trail.yaml', '--rules', 'rules.yaml', '--format', 'json', '--output-dir', 'out'], { cwd: work });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /rules\.yaml:5:28\b.*expected an integer of at least 1/u);
      assert.doesNotMatch(result.stderr, /\n\s+at /u, 'no stack trace');
    });
  }
});
