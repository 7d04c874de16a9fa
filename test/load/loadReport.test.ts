import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'mocha';
import { loadChecks } from '../../src/load/loadChecks.js';
import { loadReport, parseReport, ReportFileError } from '../../src/load/loadReport.js';
import { formatJson } from '../../src/report/json.js';
import { CHECKS, FINDINGS, makeContext } from '../report/fixtures.js';
import { ORG_FINDINGS, orgContext } from '../report/organizationFixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'trailaudit-loadreport-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function reportText(mutate: (report: Record<string, unknown>) => void): string {
  const report = JSON.parse(formatJson(FINDINGS, makeContext())) as Record<string, unknown>;
  mutate(report);
  return JSON.stringify(report);
}

function problem(text: string, checks = CHECKS): ReportFileError {
  try {
    parseReport(text, 'r.json', checks);
  } catch (error) {
    assert.ok(error instanceof ReportFileError, String(error));
    assert.equal(error.exitCode, 2);
    return error;
  }
  return assert.fail('expected a ReportFileError');
}

describe('loadReport: a trailaudit.json read back', () => {
  it('gives back the findings and a context that writes the same report (round trip)', () => {
    const context = makeContext();
    const text = formatJson(FINDINGS, context);
    const file = join(dir, 'trailaudit.json');
    writeFileSync(file, text);
    const loaded = loadReport(file, CHECKS);
    assert.equal(loaded.file, file);
    assert.deepEqual(loaded.findings, FINDINGS);
    assert.deepEqual(loaded.context.scope, context.scope);
    assert.deepEqual(loaded.context.checks, context.checks);
    assert.equal(loaded.context.finishedAt, context.finishedAt);
    assert.equal(loaded.context.failOn, context.failOn);
    // The register (with each suppression's matches, UNKNOWN ones included) is rebuilt exactly.
    assert.equal(formatJson(loaded.findings, loaded.context), text);
  });

  it('reads an organization scope (shard, unreachable and skipped accounts) back', () => {
    const context = orgContext({ scope: { ...orgContext().scope, organization: { ...orgContext().scope.organization!, shard: { index: 2, count: 3 } } } });
    const text = formatJson(ORG_FINDINGS, context);
    const loaded = parseReport(text, 'org.json', CHECKS);
    assert.deepEqual(loaded.context.scope.organization, context.scope.organization);
    assert.deepEqual(loaded.findings, ORG_FINDINGS);
    assert.equal(formatJson(loaded.findings, loaded.context), text);
  });

  it('keeps the effective severity a report shows for a control (rules.yaml override)', () => {
    const text = reportText((report) => {
      const controls = report.controls as { control: string; severity: string }[];
      const entry = controls.find((c) => c.control === 'CloudTrail.4');
      assert.ok(entry);
      entry.severity = 'CRITICAL';
    });
    const loaded = parseReport(text, 'r.json', CHECKS);
    assert.equal(loaded.context.checks.find((c) => c.id === 'CloudTrail.4')?.severity, 'critical');
    assert.equal(loaded.context.checks.find((c) => c.id === 'CloudTrail.1')?.severity, 'high');
  });

  it('resolves the shipped checks of a real report', () => {
    const shipped = loadChecks();
    const context = makeContext({ checks: shipped.filter((c) => c.id === 'CloudTrail.4'), suppressions: [] });
    const findings = FINDINGS.filter((f) => f.checkId === 'CloudTrail.4');
    const loaded = parseReport(formatJson(findings, context), 'r.json', shipped);
    assert.equal(loaded.context.checks[0], shipped.find((c) => c.id === 'CloudTrail.4'));
  });

  it('names a control it does not know, with the closest one and --checks-dir', () => {
    const error = problem(reportText((report) => ((report.controls as { control: string }[])[2]!.control = 'CloudTrail.44')));
    assert.equal(error.path, '$.controls[2].control');
    assert.match(error.problem, /"CloudTrail\.44" is not among the loaded checks \(did you mean "CloudTrail\.4"\?\).*--checks-dir/);
  });

  it('names the file, the JSON path and what was expected', () => {
    const cases: [(report: Record<string, unknown>) => void, string, RegExp][] = [
      [(r) => (r.schemaVersion = 2), '$.schemaVersion', /expected 1 .*found number 2/],
      [(r) => delete r.findings, '$.findings', /expected an array, found nothing/],
      [(r) => (((r.findings as Record<string, unknown>[])[3]!).status = 'OK'), '$.findings[3].status', /expected one of PASS, FAIL, UNKNOWN, NOT_APPLICABLE, found "OK"/],
      [(r) => ((((r.findings as Record<string, unknown>[])[0]!).resource as Record<string, unknown>).accountId = 12), '$.findings[0].resource.accountId', /string or null/],
      [(r) => (r.finishedAt = 'yesterday'), '$.finishedAt', /ISO 8601/],
      [(r) => ((r.scope as Record<string, unknown>).source = 'moto'), '$.scope.source', /expected one of live, cloudformation/],
      [(r) => ((r.scope as Record<string, unknown>).regions = 'us-east-1'), '$.scope.regions', /expected an array/],
      [(r) => (r.failOn = 'HIGH'), '$.failOn', /expected one of informational/],
    ];
    for (const [mutate, path, message] of cases) {
      const error = problem(reportText(mutate));
      assert.equal(error.path, path);
      assert.match(error.problem, message);
      assert.equal(error.message, `r.json: ${path}: ${error.problem}`);
    }
  });

  it('refuses text that is not JSON or not a report object', () => {
    assert.match(problem('{"schemaVersion": 1,').problem, /not valid JSON/);
    assert.match(problem('[]').problem, /expected a trailaudit JSON report object, found an array/);
  });

  it('refuses a file it cannot read as an input error (exit 2)', () => {
    assert.throws(() => loadReport(join(dir, 'missing.json'), CHECKS), (error: Error & { exitCode?: number }) => error.exitCode === 2 && /missing\.json/.test(error.message));
  });
});
