/**
 * `trailaudit scan` end to end, as a user runs it: the built CLI on a temporary directory of mixed
 * CloudFormation templates (YAML, JSON, CDK) and Terraform plans, with files that are not
 * templates around them; reports written and validated by their consumers' rules (report schema,
 * SARIF 2.1.0 schema, JUnit XSD, CommonMark), verdicts, file-and-line locations, suppressions from
 * rules.yaml and from template Metadata, bad files among good ones, and exit codes 0/1/2/3.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import MarkdownIt from 'markdown-it';
import { after, before, describe, it } from 'mocha';
import { validateXML } from 'xmllint-wasm';
import { childrenNamed, parseXml, type XmlElement } from '../report/xml.js';
import { sarifSchemaErrors } from '../report/sarifSchema.js';
import { runCli, type CliResult } from './runCli.js';

const REPO = new URL('../../', import.meta.url);
const FIXTURES = new URL('test/fixtures/', REPO);
const XSD = readFileSync(new URL('test/schemas/junit.xsd', REPO), 'utf8');

interface ReportFinding {
  control: string;
  status: string;
  resource: { id: string; region: string; location?: { file: string; line: number; column: number } };
  location: { file: string; line: number; column: number } | null;
  suppressed: { reason: string; expires: string } | null;
}
interface Report {
  scope: { source: string; inputs: string[]; accounts: string[] };
  findings: ReportFinding[];
  suppressions: { check: string; resource: string; state: string; matched: number }[];
  inputErrors?: { file: string; line: number; column: number; message: string }[];
}
interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      level: string;
      suppressions?: { kind: string; justification: string }[];
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } }; logicalLocations: { fullyQualifiedName: string }[] }[];
    }[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[];
  }[];
}

function validateReport(data: unknown): void {
  const schema = JSON.parse(readFileSync(new URL('schemas/report.schema.json', REPO), 'utf8')) as object;
  const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(schema);
  assert.equal(validate(data), true, JSON.stringify(validate.errors, null, 2));
}

async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [XSD] });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

/** Suppression expiries of the fixtures are moved to this date, within the one-year horizon whenever the test runs. */
const SOON = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

function copyFixture(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(new URL(from, FIXTURES), to);
  if (/\.ya?ml$/u.test(to)) {
    writeFileSync(to, readFileSync(to, 'utf8').replace(/\b(2099-12-31|2027-06-30)\b/gu, SOON));
  }
}

function findOne(report: Report, control: string, id: string, file?: string): ReportFinding {
  const found = report.findings.filter((f) => f.control === control && f.resource.id === id && (file === undefined || f.resource.location?.file === file));
  assert.equal(found.length, 1, `one ${control} finding for ${id}: ${JSON.stringify(report.findings.filter((f) => f.control === control).map((f) => f.resource.id))}`);
  return found[0]!;
}

describe('trailaudit scan end to end', function () {
  this.timeout(60_000);
  let work: string;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the report shape it expects
  const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(work, path), 'utf8')) as T;
  const scan = (args: readonly string[]): Promise<CliResult> => runCli(['scan', ...args], { cwd: work });

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-scan-e2e-'));
    const repo = join(work, 'repo');
    // Templates and plans, spread over folders as a monorepo has them.
    copyFixture('iac/located.yaml', join(repo, 'stacks/located.yaml'));
    copyFixture('cloudformation/noncompliant.yaml', join(repo, 'stacks/legacy/noncompliant.yaml'));
    copyFixture('cloudformation/compliant.yaml', join(repo, 'stacks/compliant.yaml'));
    copyFixture('cloudformation/suppressed.yaml', join(repo, 'stacks/suppressed.yaml'));
    copyFixture('cloudformation/noncompliant.json', join(repo, 'stacks/noncompliant.json'));
    copyFixture('cloudformation/cdk-compliant.template.json', join(repo, 'cdk/cdk.out/App.template.json'));
    copyFixture('terraform/compliant.plan.json', join(repo, 'terraform/prod/plan.json'));
    copyFixture('terraform/noncompliant.plan.json', join(repo, 'terraform/dev/plan.json'));
    copyFixture('terraform/modules.plan.json', join(repo, 'terraform/modules/tfplan.json'));
    // Things that are not templates or plans: skipped in a directory walk.
    copyFixture('cloudformation/not-templates/docker-compose.yaml', join(repo, 'docker-compose.yaml'));
    copyFixture('cloudformation/not-templates/deployment.yaml', join(repo, 'k8s/deployment.yaml'));
    copyFixture('cloudformation/not-templates/workflow.yaml', join(repo, '.github/workflows/ci.yml'));
    copyFixture('terraform/state.json', join(repo, 'terraform/prod/state.json'));
    writeFileSync(join(repo, 'package.json'), '{"name": "app", "version": "1.0.0"}\n');
    writeFileSync(join(repo, 'tsconfig.json'), '{\n  // JSON with comments\n  "compilerOptions": {}\n}\n');
    mkdirSync(join(repo, 'node_modules/dep'), { recursive: true });
    cpSync(new URL('cloudformation/noncompliant.yaml', FIXTURES), join(repo, 'node_modules/dep/template.yaml'));
    mkdirSync(join(repo, 'cdk/cdk.out/asset.abc123'), { recursive: true });
    writeFileSync(join(repo, 'cdk/cdk.out/manifest.json'), '{"version": "36.0.0", "artifacts": {"Resources": {}}}\n');
    // Bad files, kept apart for the bad-input cases.
    copyFixture('cloudformation/invalid.yaml', join(work, 'bad/invalid.yaml'));
    copyFixture('terraform/format-2.plan.json', join(work, 'bad/format-2.plan.json'));
    copyFixture('terraform/unresolved.plan.json', join(work, 'unresolved.plan.json'));
    copyFixture('iac/bucket-only.yaml', join(work, 'bucket-only.yaml'));
    copyFixture('iac/rules.yaml', join(work, 'rules.yaml'));
    mkdirSync(join(work, 'empty'));
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  describe('a mixed repository with rules.yaml and inline suppressions', () => {
    let result: CliResult;
    let report: Report;

    before(async () => {
      result = await scan(['repo', '--rules', 'rules.yaml', '--format', 'json,sarif,junit,markdown', '--output-dir', 'out']);
      report = readJson<Report>('out/trailaudit.json');
    });

    it('writes every report and exits 1 on failures', () => {
      assert.equal(result.code, 1, result.stderr);
      for (const name of ['trailaudit.json', 'trailaudit.sarif', 'trailaudit.junit.xml', 'trailaudit.md']) {
        assert.ok(existsSync(join(work, 'out', name)), name);
      }
      assert.match(result.stderr, /scanned 9 files, \d+ skipped/u);
    });

    it('scans templates and plans found by content, and nothing else', () => {
      validateReport(report);
      assert.equal(report.scope.source, 'iac');
      assert.deepEqual(report.scope.inputs, [
        'repo/cdk/cdk.out/App.template.json',
        'repo/stacks/compliant.yaml',
        'repo/stacks/legacy/noncompliant.yaml',
        'repo/stacks/located.yaml',
        'repo/stacks/noncompliant.json',
        'repo/stacks/suppressed.yaml',
        'repo/terraform/dev/plan.json',
        'repo/terraform/modules/tfplan.json',
        'repo/terraform/prod/plan.json',
      ]);
      assert.equal(report.inputErrors, undefined);
    });

    it('gives verdicts per resource, located to file, line and column of the offending property', () => {
      const validation = findOne(report, 'CloudTrail.4', 'AuditTrail');
      assert.equal(validation.status, 'FAIL');
      assert.deepEqual(validation.location, { file: 'repo/stacks/located.yaml', line: 19, column: 7 });
      assert.deepEqual(validation.resource.location, { file: 'repo/stacks/located.yaml', line: 13, column: 3 });
      assert.equal(findOne(report, 'CloudTrail.6', 'AuditBucket').status, 'PASS');
      assert.equal(findOne(report, 'CloudTrail.6', 'LogBucket', 'repo/stacks/legacy/noncompliant.yaml').status, 'FAIL');
      assert.equal(findOne(report, 'CloudTrail.4', 'ManagementTrail').status, 'PASS');
      assert.equal(findOne(report, 'CloudTrail.4', 'module.audit.aws_cloudtrail.this[0]').status, 'PASS');
      // A declared qualifying trail proves CloudTrail.1 for the account; one finding, in no file.
      const account = report.findings.filter((f) => f.control === 'CloudTrail.1');
      assert.deepEqual(account.map((f) => [f.status, f.location]), [['PASS', null]]);
    });

    it('applies rules.yaml suppressions to logical ids and Terraform addresses, and template Metadata ones', () => {
      const byLogicalId = findOne(report, 'CloudTrail.4', 'LocalTrail');
      assert.equal(byLogicalId.status, 'FAIL');
      assert.match(byLogicalId.suppressed?.reason ?? '', /logical id suppressed from rules.yaml/u);
      for (const address of ['aws_cloudtrail.stopped', 'aws_cloudtrail.weak']) {
        assert.match(findOne(report, 'CloudTrail.4', address).suppressed?.reason ?? '', /Terraform address glob/u);
      }
      assert.equal(findOne(report, 'CloudTrail.4', 'module.regional["eu"].aws_cloudtrail.this').suppressed, null, 'the glob is anchored at the start');
      const inline = findOne(report, 'CloudTrail.4', 'LegacyTrail');
      assert.equal(inline.suppressed?.reason, 'replaced by the org trail in Q3 (SEC-123)');
      assert.equal(findOne(report, 'CloudTrail.7', 'Logs', 'repo/stacks/suppressed.yaml').suppressed?.expires, SOON);
      // The expired inline exception is listed as expired, not applied.
      assert.equal(findOne(report, 'CloudTrail.9', 'LegacyTrail').suppressed, null);
      const expired = report.suppressions.find((s) => s.check === 'CloudTrail.9' && s.resource === 'LegacyTrail');
      assert.equal(expired?.state, 'expired');
    });

    it('writes SARIF that validates and points at the same file and line', () => {
      const sarif = readJson<SarifLog>('out/trailaudit.sarif');
      assert.deepEqual(sarifSchemaErrors(sarif), []);
      const results = sarif.runs[0]!.results;
      const validation = results.find((r) => r.ruleId === 'CloudTrail.4' && r.locations[0]?.logicalLocations[0]?.fullyQualifiedName === 'AuditTrail');
      assert.deepEqual(validation?.locations[0]?.physicalLocation, {
        artifactLocation: { uri: 'repo/stacks/located.yaml', uriBaseId: '%SRCROOT%' },
        region: { startLine: 19, startColumn: 7 },
      });
      assert.equal(validation.level, 'note');
      const inline = results.find((r) => r.ruleId === 'CloudTrail.4' && r.locations[0]?.logicalLocations[0]?.fullyQualifiedName === 'LegacyTrail');
      assert.equal(inline?.suppressions?.[0]?.kind, 'external');
      assert.equal(results.filter((r) => r.ruleId === 'CloudTrail.6' && r.level === 'error').length, report.findings.filter((f) => f.control === 'CloudTrail.6' && f.status === 'FAIL').length);
    });

    it('writes JUnit grouped by file that validates against the XSD', async () => {
      const xml = readFileSync(join(work, 'out/trailaudit.junit.xml'), 'utf8');
      assert.deepEqual(await xsdErrors(xml), []);
      const suites = childrenNamed(parseXml(xml), 'testsuite');
      assert.deepEqual(
        suites.map((s) => s.attrs.name),
        ['(account and region level)', ...report.scope.inputs],
      );
      const located = suites.find((s) => s.attrs.name === 'repo/stacks/located.yaml') as XmlElement;
      const testcase = childrenNamed(located, 'testcase').find((t) => t.attrs.name === 'CloudTrail.4 AuditTrail');
      assert.equal(testcase?.attrs.file, 'repo/stacks/located.yaml');
      assert.equal(testcase.attrs.line, '19');
      assert.ok(testcase.children.some((c) => c.name === 'failure'));
    });

    it('writes Markdown listing the files, with file:line locations', () => {
      const markdown = readFileSync(join(work, 'out/trailaudit.md'), 'utf8');
      const html = new MarkdownIt().render(markdown);
      assert.match(html, /<h2>Files<\/h2>/u);
      assert.match(html, /<code>repo\/terraform\/modules\/tfplan.json<\/code>/u);
      assert.match(html, /<code>repo\/stacks\/located.yaml:19<\/code>/u);
      assert.doesNotMatch(markdown, /Could not be scanned/u);
    });
  });

  it('exits 0 when nothing fails', async () => {
    const result = await scan(['repo/stacks/located.yaml', '--checks', 'CloudTrail.6', '--format', 'json', '--output-dir', 'out-0']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readJson<Report>('out-0/trailaudit.json').scope.source, 'cloudformation');
  });

  it('says when a report of a format not asked for is left over from an earlier run', async () => {
    const args = ['repo/stacks/located.yaml', '--checks', 'CloudTrail.6', '--output-dir', 'out-stale'];
    const both = await scan([...args, '--format', 'json,junit']);
    assert.equal(both.code, 0, both.stderr);
    assert.doesNotMatch(both.stderr, /^note: /mu);
    const jsonOnly = await scan([...args, '--format', 'json']);
    assert.equal(jsonOnly.code, 0, jsonOnly.stderr);
    assert.match(jsonOnly.stderr, /^note: \S*out-stale\/trailaudit\.junit\.xml is from an earlier run \(its format was not asked for this time\); it was left as it was\.$/mu);
    assert.doesNotMatch(jsonOnly.stderr, /trailaudit\.json is from an earlier run/u);
  });

  it('exits 3 when a verdict is UNKNOWN (a link known only after apply), 0 with --allow-unknown', async () => {
    const result = await scan(['unresolved.plan.json', '--checks', 'CloudTrail.6', '--format', 'json', '--output-dir', 'out-3']);
    assert.equal(result.code, 3, result.stderr);
    const report = readJson<Report>('out-3/trailaudit.json');
    assert.ok(report.findings.some((f) => f.status === 'UNKNOWN'));
    assert.equal(report.scope.source, 'terraform');
    const allowed = await scan(['unresolved.plan.json', '--checks', 'CloudTrail.6', '--format', 'json', '--output-dir', 'out-3', '--allow-unknown']);
    assert.equal(allowed.code, 0, allowed.stderr);
  });

  it('reports bad files among good ones everywhere, scans the rest, and never exits 0', async () => {
    const args = ['bad', 'repo/stacks/located.yaml', '--checks', 'CloudTrail.6', '--format', 'json,sarif,junit,markdown', '--output-dir', 'out-bad'];
    const result = await scan([...args, '--allow-unknown']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /2 files could not be scanned/u);
    assert.match(result.stderr, /bad\/invalid\.yaml:7:1: invalid YAML/u);
    assert.match(result.stderr, /bad\/format-2\.plan\.json:2:21: .*unsupported Terraform plan format_version '2\.0'/u);
    const report = readJson<Report>('out-bad/trailaudit.json');
    validateReport(report);
    assert.deepEqual(report.scope.inputs, ['repo/stacks/located.yaml']);
    assert.deepEqual(report.inputErrors?.map((e) => [e.file, e.line, e.column]), [
      ['bad/format-2.plan.json', 2, 21],
      ['bad/invalid.yaml', 7, 1],
    ]);
    assert.equal(findOne(report, 'CloudTrail.6', 'AuditBucket').status, 'PASS');
    const sarif = readJson<SarifLog>('out-bad/trailaudit.sarif');
    assert.deepEqual(sarifSchemaErrors(sarif), []);
    assert.equal(sarif.runs[0]!.invocations[0]!.executionSuccessful, false);
    const xml = readFileSync(join(work, 'out-bad/trailaudit.junit.xml'), 'utf8');
    assert.deepEqual(await xsdErrors(xml), []);
    const badSuite = childrenNamed(parseXml(xml), 'testsuite').find((s) => s.attrs.name === 'bad/invalid.yaml') as XmlElement;
    const errorCase = childrenNamed(badSuite, 'testcase')[0];
    assert.equal(errorCase?.attrs.line, '7');
    assert.ok(errorCase.children.some((c) => c.name === 'error'));
    const markdown = readFileSync(join(work, 'out-bad/trailaudit.md'), 'utf8');
    assert.match(markdown, /### Could not be scanned/u);
    assert.match(markdown, /`bad\/invalid\.yaml` \| 7:1 \| invalid YAML/u);
  });

  it('says an explicitly named file is neither a template nor a plan', async () => {
    const result = await scan(['repo/stacks/located.yaml', 'repo/package.json', 'repo/terraform/prod/state.json', '--checks', 'CloudTrail.6', '--format', 'json', '--output-dir', 'out-explicit']);
    assert.equal(result.code, 3, result.stderr);
    const errors = readJson<Report>('out-explicit/trailaudit.json').inputErrors ?? [];
    assert.deepEqual(errors.map((e) => e.file), ['repo/package.json', 'repo/terraform/prod/state.json']);
    assert.ok(errors.every((e) => e.message.startsWith('neither a CloudFormation template nor a Terraform plan')));
  });

  it('exits 2 without writing a report when no file could be scanned', async () => {
    const result = await scan(['bad', '--format', 'json', '--output-dir', 'out-2']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /nothing was evaluated and no report was written/u);
    assert.match(result.stderr, /bad\/invalid\.yaml:7:1/u);
    assert.equal(existsSync(join(work, 'out-2')), false);
    const empty = await scan(['empty', '--output-dir', 'out-2']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no CloudFormation template or Terraform plan found/u);
    const missing = await scan(['does-not-exist.yaml', '--output-dir', 'out-2']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does-not-exist\.yaml: no such file or directory/u);
  });

  it('treats account-level controls as not applicable unless --whole-account', async () => {
    const partial = await scan(['bucket-only.yaml', '--checks', 'CloudTrail.1', '--format', 'json', '--output-dir', 'out-partial']);
    assert.equal(partial.code, 0, partial.stderr);
    assert.equal(findOne(readJson<Report>('out-partial/trailaudit.json'), 'CloudTrail.1', '(template)').status, 'NOT_APPLICABLE');
    const whole = await scan(['bucket-only.yaml', '--checks', 'CloudTrail.1', '--whole-account', '--format', 'json', '--output-dir', 'out-whole']);
    assert.equal(whole.code, 1, whole.stderr);
    assert.equal(findOne(readJson<Report>('out-whole/trailaudit.json'), 'CloudTrail.1', '(template)').status, 'FAIL');
  });

  it('exits 2 with the path and the reason when the output directory cannot be written, never crashing with 1', async () => {
    // A regular file where the output directory should be: mkdir fails with ENOTDIR / EEXIST.
    writeFileSync(join(work, 'not-a-dir'), 'x');
    const result = await scan(['bucket-only.yaml', '--format', 'json', '--output-dir', 'not-a-dir/out']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /trailaudit: cannot mkdir .*not-a-dir\/out: (ENOTDIR|EEXIST)/u);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/u, 'no stack trace');
  });
});
