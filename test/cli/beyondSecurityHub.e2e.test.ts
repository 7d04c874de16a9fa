/**
 * A check outside Security Hub's catalogue (id TrailHealth.99, no `frameworks.securityhub`, no
 * `permissions`: derived from its needs) loads with --checks-dir, is granted by iam-policy and is
 * written in every report format, each output validated as the report tests validate it: the JSON report schema, the
 * JUnit XSD, the SARIF 2.1.0 schema, the ASFF shape (no SecurityControlId) and Markdown.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import MarkdownIt from 'markdown-it';
import { validateXML } from 'xmllint-wasm';
import { buildFacts } from '../../src/tester/index.js';
import { sarifSchemaErrors } from '../report/sarifSchema.js';
import { runCli } from './runCli.js';

type Json = Record<string, unknown>;

const USER_CHECKS = new URL('../fixtures/user-checks/', import.meta.url);
const XSD = readFileSync(new URL('../schemas/junit.xsd', import.meta.url), 'utf8');
const REPORT_SCHEMA = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as object;

describe('a check outside Security Hub, in every report format', () => {
  let work: string;
  before(async function (this: Mocha.Context) {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-beyond-'));
    cpSync(USER_CHECKS, join(work, 'checks'), { recursive: true });
    const facts = buildFacts({
      trails: [{ name: 'signed' }, { name: 'unsigned', logFileValidationEnabled: false }],
      buckets: [{ name: 'trail-logs' }],
    });
    writeFileSync(join(work, 'facts.json'), JSON.stringify(facts));
    writeFileSync(join(work, 'rules.yaml'), 'version: 1\n');
    this.result = await runCli(
      ['evaluate', 'facts.json', '--checks-dir', 'checks', '--format', 'json,junit,markdown,sarif,asff', '--output-dir', 'out', '--quiet'],
      { cwd: work },
    );
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const output = (name: string): string => readFileSync(join(work, 'out', name), 'utf8');

  it('evaluates it: exit 1 for the unsigned trail', function (this: Mocha.Context) {
    const result = this.result as { code: number; stderr: string };
    assert.equal(result.code, 1, result.stderr);
  });

  it('JSON: valid against schemas/report.schema.json, with the check and its frameworks', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addFormat('date', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/u);
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/iu);
    const validate = ajv.compile(REPORT_SCHEMA);
    const report = JSON.parse(output('trailaudit.json')) as Json;
    assert.equal(validate(report), true, JSON.stringify(validate.errors));
    const findings = report.findings as Json[];
    assert.deepEqual(findings.map((f) => [f.control, f.status]).sort(), [['TrailHealth.99', 'FAIL'], ['TrailHealth.99', 'PASS']]);
    assert.deepEqual(findings[0]?.frameworks, { 'cis-aws-5.0.0': ['3.2'] });
  });

  it('JUnit: valid against the JUnit XSD, one suite for the check', async () => {
    const xml = output('trailaudit.junit.xml');
    const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [XSD] });
    assert.equal(result.valid, true, result.errors.map((e) => e.message).join('\n'));
    assert.match(xml, /<testsuite [^>]*name="TrailHealth\.99"/u);
    assert.match(xml, /<failure /u);
  });

  it('SARIF: valid against the SARIF 2.1.0 schema, a rule for the check', () => {
    const log = JSON.parse(output('trailaudit.sarif')) as { runs: { tool: { driver: { rules: Json[] } }; results: Json[] }[] };
    assert.deepEqual(sarifSchemaErrors(log), []);
    const run = log.runs[0]!;
    assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), ['TrailHealth.99']);
    assert.equal(run.tool.driver.rules[0]!.helpUri, 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html');
    assert.ok(run.results.some((result) => result.ruleId === 'TrailHealth.99' && result.level !== 'none'));
  });

  it('ASFF: the required fields, GeneratorId trailaudit/<checkId>, no SecurityControlId, the check\'s own reference', () => {
    const findings = JSON.parse(output('trailaudit.asff.json')) as Json[];
    assert.equal(findings.length, 2);
    const required = ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description', 'Resources', 'Severity', 'Types'];
    for (const finding of findings) {
      for (const field of required) {
        assert.ok(field in finding, `${field} missing`);
      }
      assert.equal(finding.GeneratorId, 'trailaudit/TrailHealth.99');
      const compliance = finding.Compliance as Json;
      assert.ok(!('SecurityControlId' in compliance), 'no Security Hub control to name');
      assert.ok(['PASSED', 'FAILED'].includes(String(compliance.Status)));
      assert.deepEqual(compliance.RelatedRequirements, ['CIS AWS Foundations Benchmark v5.0.0/3.2']);
      assert.deepEqual(finding.Types, ['Software and Configuration Checks/AWS Security Best Practices']);
      const recommendation = (finding.Remediation as { Recommendation: Json }).Recommendation;
      assert.equal(recommendation.Url, 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html');
      assert.equal((finding.ProductFields as Json)['trailaudit/CheckId'], 'TrailHealth.99');
    }
  });

  it('iam-policy: grants what its needs imply though the check lists no permissions', async () => {
    const result = await runCli(['iam-policy', '--checks-dir', 'checks'], { cwd: work });
    assert.equal(result.code, 0, result.stderr);
    const policy = JSON.parse(result.stdout) as { Statement: { Action: string[] }[] };
    assert.deepEqual(policy.Statement[0]?.Action, ['cloudtrail:DescribeTrails', 'ec2:DescribeRegions', 'sts:GetCallerIdentity']);
  });

  it('Markdown: renders, with the control and its framework', () => {
    const markdown = output('trailaudit.md');
    const html = new MarkdownIt().render(markdown);
    assert.match(html, /TrailHealth\.99/u);
    assert.match(markdown, /cis-aws-5\.0\.0: 3\.2/u);
    assert.doesNotMatch(markdown, /securityhub/u);
  });
});
