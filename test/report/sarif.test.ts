/**
 * The SARIF report against the official SARIF 2.1.0 JSON schema (the copy shipped in
 * @microsoft/jest-sarif, `sarif-2.1.0-rtm.5.json`), plus what GitHub code scanning needs beyond the
 * schema: a physical location on every result, security-severity on every rule, stable
 * partialFingerprints, suppressions carried rather than dropped.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import type { Finding } from '../../src/engine/types.js';
import { FORMATTERS } from '../../src/report/index.js';
import { FINGERPRINT_KEY, formatSarif, levelFor, securitySeverityFor } from '../../src/report/sarif.js';
import { sarifSchemaErrors } from './sarifSchema.js';
import { ACCOUNT, BUCKET_CROSS, BUCKET_SUPPRESSED, CHECKS, FINDINGS, TRAIL_LEGACY, TRAIL_PIPE, makeContext, makeFinding } from './fixtures.js';

const schemaErrors = sarifSchemaErrors;

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } }; logicalLocations: { fullyQualifiedName: string }[] }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; justification: string }[];
  properties: { status: string };
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity': string; precision: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } }; results: SarifResult[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[];
}

function render(findings: readonly Finding[] = FINDINGS, overrides: Parameters<typeof makeContext>[0] = {}): SarifLog {
  return JSON.parse(formatSarif(findings, makeContext(overrides))) as SarifLog;
}

function run(log: SarifLog): SarifLog['runs'][number] {
  const first = log.runs[0];
  assert.ok(first);
  return first;
}

function resultFor(log: SarifLog, ruleId: string, resourceId: string): SarifResult {
  const found = run(log).results.filter((r) => r.ruleId === ruleId && r.locations[0]?.logicalLocations[0]?.fullyQualifiedName.startsWith(resourceId));
  assert.equal(found.length, 1, `one ${ruleId} result for ${resourceId}`);
  return found[0]!;
}

/** A scan's findings: located in files, one of them account-level (no file). */
const IAC_FINDINGS: readonly Finding[] = [
  makeFinding({
    checkId: 'CloudTrail.1',
    status: 'FAIL',
    resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' },
  }),
  makeFinding({
    checkId: 'CloudTrail.4',
    status: 'FAIL',
    resource: { type: 'AWS::CloudTrail::Trail', id: 'Trail', name: 'main', accountId: null, region: '(deployment region)', location: { file: 'stacks/my stack.yaml', line: 12, column: 3 } },
    location: { file: 'stacks/my stack.yaml', line: 17, column: 7 },
  }),
  makeFinding({
    checkId: 'CloudTrail.6',
    status: 'FAIL',
    resource: { type: 'AWS::S3::Bucket', id: 'module.logs.aws_s3_bucket.this', accountId: null, region: 'eu-west-1', location: { file: 'plans/prod.json', line: 40, column: 9 } },
  }),
];

describe('SARIF report', () => {
  it('is registered as the sarif formatter', () => {
    assert.equal(FORMATTERS.sarif, formatSarif);
  });

  it('validates against the SARIF 2.1.0 schema (live and IaC findings, no findings, bad files)', () => {
    assert.deepEqual(schemaErrors(render()), []);
    assert.deepEqual(schemaErrors(render([])), []);
    const iac = render(IAC_FINDINGS, {
      scope: { source: 'iac', accounts: ['(template)'], regions: [], inputs: ['plans/prod.json', 'stacks/my stack.yaml'] },
      inputErrors: [{ file: 'stacks/broken.yaml', line: 3, column: 5, path: '', message: 'bad indentation' }],
    });
    assert.deepEqual(schemaErrors(iac), []);
  });

  it('the schema is strict enough to reject broken documents', () => {
    const log = render() as unknown as Record<string, unknown>;
    assert.notDeepEqual(schemaErrors({ ...log, version: '2.0.0' }), []);
    const { runs: _runs, ...noRuns } = log;
    assert.notDeepEqual(schemaErrors(noRuns), []);
    const badLevel = JSON.parse(JSON.stringify(log).replace('"level":"error"', '"level":"fatal"').replace('"level": "error"', '"level": "fatal"')) as unknown;
    assert.notDeepEqual(schemaErrors(badLevel), []);
    const noMessage = render();
    delete (run(noMessage).results[0] as Partial<SarifResult>).message;
    assert.notDeepEqual(schemaErrors(noMessage), []);
  });

  it('has one rule per enabled check with help, remediation and security-severity', () => {
    const { rules } = run(render()).tool.driver;
    assert.deepEqual(rules.map((r) => r.id), CHECKS.map((c) => c.id));
    const rule = rules.find((r) => r.id === 'CloudTrail.4')!;
    assert.equal(rule.shortDescription.text, 'CloudTrail log file validation should be enabled');
    assert.equal(rule.name, 'CloudTrailLogFileValidationShouldBeEnabled');
    assert.match(rule.help.markdown, /```hcl\nresource "aws_cloudtrail" "main"/u);
    assert.match(rule.help.markdown, /EnableLogFileValidation: true/u);
    assert.match(rule.help.text, /aws cloudtrail update-trail/u);
    assert.equal(rule.helpUri, 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-4');
    assert.ok(rule.properties.tags.includes('cis-aws-1.4/3.2'));
    const bySeverity = Object.fromEntries(rules.map((r) => [r.id, [r.properties['security-severity'], r.defaultConfiguration.level]]));
    assert.deepEqual(bySeverity, {
      'CloudTrail.1': ['8.0', 'error'],
      'CloudTrail.3': ['8.0', 'error'],
      'CloudTrail.4': ['3.0', 'note'],
      'CloudTrail.6': ['9.5', 'error'],
      'CloudTrail.10': ['5.5', 'warning'],
    });
    assert.equal(securitySeverityFor('INFORMATIONAL'), '0.0');
    assert.equal(levelFor('informational'), 'note');
  });

  it('reports FAIL and UNKNOWN only, ruleIndex pointing at the rule, levels by severity', () => {
    const log = render();
    const { results, tool } = run(log);
    assert.equal(results.length, FINDINGS.filter((f) => f.status === 'FAIL' || f.status === 'UNKNOWN').length);
    for (const result of results) {
      assert.equal(tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
      assert.ok(['FAIL', 'UNKNOWN'].includes(result.properties.status));
    }
    assert.equal(resultFor(log, 'CloudTrail.1', ACCOUNT).level, 'error');
    assert.equal(resultFor(log, 'CloudTrail.4', TRAIL_PIPE).level, 'note');
    const unknown = resultFor(log, 'CloudTrail.6', BUCKET_CROSS);
    assert.equal(unknown.level, 'warning');
    assert.match(unknown.message.text, /^Could not be evaluated \(cross_account\)/u);
    assert.match(unknown.message.text, /credentials for account 444455556666/u);
  });

  it('carries suppressed findings with an external suppression and its justification', () => {
    const log = render();
    const legacy = resultFor(log, 'CloudTrail.4', TRAIL_LEGACY);
    assert.deepEqual(legacy.suppressions?.map((s) => s.kind), ['external']);
    assert.match(legacy.suppressions[0]?.justification ?? '', /legacy trail, replaced in Q3 \(SEC-123\) \(expires 2027-06-30\)/u);
    // An UNKNOWN matched by a suppression is not suppressed: it stays an open alert.
    assert.equal(resultFor(log, 'CloudTrail.6', BUCKET_SUPPRESSED).suppressions, undefined);
    assert.equal(resultFor(log, 'CloudTrail.4', TRAIL_PIPE).suppressions, undefined);
  });

  it('locates IaC results at the offending property, relative uri with forward slashes and %SRCROOT%', () => {
    const log = render(IAC_FINDINGS, { scope: { source: 'iac', accounts: ['(template)'], regions: [], inputs: ['plans/prod.json', 'stacks/my stack.yaml'] } });
    const trail = resultFor(log, 'CloudTrail.4', 'Trail').locations[0]!.physicalLocation;
    assert.deepEqual(trail, { artifactLocation: { uri: 'stacks/my%20stack.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 17, startColumn: 7 } });
    // No property location: the resource's own position.
    const bucket = resultFor(log, 'CloudTrail.6', 'module.logs').locations[0]!.physicalLocation;
    assert.deepEqual(bucket.region, { startLine: 40, startColumn: 9 });
    assert.equal(bucket.artifactLocation.uri, 'plans/prod.json');
    // Account-level verdicts have no file: anchored at the first scanned file, never location-less
    // (GitHub rejects the whole upload for one result without a physical location).
    const account = resultFor(log, 'CloudTrail.1', ACCOUNT);
    assert.equal(account.locations[0]!.physicalLocation.artifactLocation.uri, 'plans/prod.json');
    assert.match(account.message.text, /no file declares it/u);
  });

  it('gives every live result a physical location too (pseudo-path per account and Region)', () => {
    for (const result of run(render()).results) {
      assert.ok(result.locations.length === 1 && result.locations[0]!.physicalLocation.artifactLocation.uri !== '');
    }
    assert.equal(resultFor(render(), 'CloudTrail.4', TRAIL_PIPE).locations[0]!.physicalLocation.artifactLocation.uri, `aws/${ACCOUNT}/us-east-1`);
  });

  it('keeps partialFingerprints stable across runs and line moves, distinct across resources, files and Regions', () => {
    const fingerprints = (log: SarifLog): string[] => run(log).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY] ?? '');
    const first = fingerprints(render());
    const again = fingerprints(render(FINDINGS, { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z' }));
    assert.deepEqual(first, again);
    assert.equal(new Set(first).size, first.length, 'distinct per finding (CloudTrail.3 per Region included)');
    const moved = IAC_FINDINGS.map((f) => (f.location === null ? f : { ...f, location: { ...f.location, line: f.location.line + 10 } }));
    assert.deepEqual(fingerprints(render(moved)), fingerprints(render(IAC_FINDINGS)));
    const otherFile = IAC_FINDINGS.map((f) => (f.location === null ? f : { ...f, location: { ...f.location, file: 'other.yaml' } }));
    assert.notDeepEqual(fingerprints(render(otherFile)), fingerprints(render(IAC_FINDINGS)));
  });

  it('lists files that could not be scanned as tool execution notifications', () => {
    const log = render(IAC_FINDINGS, {
      scope: { source: 'iac', accounts: [], regions: [], inputs: ['plans/prod.json'] },
      inputErrors: [{ file: 'bad.json', line: 2, column: 4, path: '', message: 'invalid JSON' }],
    });
    const invocation = run(log).invocations[0]!;
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(invocation.toolExecutionNotifications.map((n) => n.message.text), ['bad.json:2:4: invalid JSON']);
    assert.equal(run(render()).invocations[0]!.executionSuccessful, true);
  });

  it('names the tool and schema GitHub expects', () => {
    const log = render();
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/u);
    assert.equal(run(log).tool.driver.name, 'trailaudit');
    assert.equal(run(log).tool.driver.version, '0.1.0');
  });
});
