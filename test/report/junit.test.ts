import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { validateXML } from 'xmllint-wasm';
import type { Finding } from '../../src/engine/types.js';
import { formatJunit } from '../../src/report/junit.js';
import {
  ACCOUNT,
  BUCKET_CROSS,
  BUCKET_DENIED,
  BUCKET_SUPPRESSED,
  CHECKS,
  FINDINGS,
  TRAIL_LEGACY,
  TRAIL_ORG,
  TRAIL_PIPE,
  TRAIL_SPECIAL,
  makeContext,
  makeFinding,
} from './fixtures.js';
import { childrenNamed, parseXml } from './xml.js';
import type { XmlElement } from './xml.js';

const XSD = readFileSync(new URL('../schemas/junit.xsd', import.meta.url), 'utf8');

async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [XSD] });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

function render(findings: readonly Finding[] = FINDINGS): string {
  return formatJunit(findings, makeContext());
}

function suites(root: XmlElement): XmlElement[] {
  return childrenNamed(root, 'testsuite');
}

function allTestcases(root: XmlElement): XmlElement[] {
  return suites(root).flatMap((s) => childrenNamed(s, 'testcase'));
}

function testcaseFor(root: XmlElement, control: string, resourceId: string): XmlElement {
  const found = allTestcases(root).filter((t) => t.attrs.classname === `trailaudit.${control}` && t.attrs.name?.startsWith(`${control} ${resourceId}`));
  assert.equal(found.length, 1, `exactly one testcase for ${control} ${resourceId}`);
  return found[0]!;
}

function outcome(testcase: XmlElement): XmlElement | undefined {
  return testcase.children.find((c) => ['failure', 'error', 'skipped'].includes(c.name));
}

describe('JUnit report', () => {
  it('validates against test/schemas/junit.xsd', async () => {
    assert.deepEqual(await xsdErrors(render()), []);
  });

  it('validates with no findings at all (every suite empty)', async () => {
    const xml = render([]);
    assert.deepEqual(await xsdErrors(xml), []);
    const root = parseXml(xml);
    assert.equal(suites(root).length, CHECKS.length);
    assert.equal(root.attrs.tests, '0');
  });

  describe('the XSD is strict enough to catch mistakes', () => {
    it('rejects a suite without totals', async () => {
      const broken = render().replace(/(<testsuite name="CloudTrail.4"[^>]*?) failures="\d+"/, '$1');
      assert.notEqual(broken, render());
      assert.notDeepEqual(await xsdErrors(broken), []);
    });
    it('rejects duplicate testcase names within a suite', async () => {
      const duplicate = render().replace('CloudTrail.6 arn:aws:s3:::denied-logs', 'CloudTrail.6 arn:aws:s3:::central-logs');
      assert.notDeepEqual(await xsdErrors(duplicate), []);
    });
    it('rejects a testcase with both failure and skipped', async () => {
      const both = render().replace('<skipped message="Organization', '<failure/><skipped message="Organization');
      assert.notDeepEqual(await xsdErrors(both), []);
    });
    it('rejects a non-numeric count', async () => {
      assert.notDeepEqual(await xsdErrors(render().replace('tests="11"', 'tests="eleven"')), []);
    });
  });

  it('has one suite per enabled check, in check order, including checks without findings', () => {
    const root = parseXml(render());
    assert.equal(root.name, 'testsuites');
    assert.equal(root.attrs.name, 'trailaudit');
    assert.deepEqual(
      suites(root).map((s) => s.attrs.name),
      CHECKS.map((c) => c.id),
    );
    const empty = suites(root).find((s) => s.attrs.name === 'CloudTrail.10')!;
    assert.deepEqual([empty.attrs.tests, empty.attrs.failures, empty.attrs.errors, empty.attrs.skipped], ['0', '0', '0', '0']);
  });

  it('fills totals on every suite and on the root that equal the parsed testcases', () => {
    const root = parseXml(render());
    const count = (cases: XmlElement[], element: string): number => cases.filter((t) => outcome(t)?.name === element).length;
    for (const suite of suites(root)) {
      const cases = childrenNamed(suite, 'testcase');
      assert.equal(Number(suite.attrs.tests), cases.length, `${suite.attrs.name} tests`);
      assert.equal(Number(suite.attrs.failures), count(cases, 'failure'), `${suite.attrs.name} failures`);
      assert.equal(Number(suite.attrs.errors), count(cases, 'error'), `${suite.attrs.name} errors`);
      assert.equal(Number(suite.attrs.skipped), count(cases, 'skipped'), `${suite.attrs.name} skipped`);
    }
    const cases = allTestcases(root);
    assert.equal(Number(root.attrs.tests), FINDINGS.length);
    assert.equal(Number(root.attrs.tests), cases.length);
    // 3 unsuppressed FAIL, 3 UNKNOWN, 1 NOT_APPLICABLE + 1 suppressed FAIL.
    assert.deepEqual(
      [root.attrs.failures, root.attrs.errors, root.attrs.skipped],
      [String(count(cases, 'failure')), String(count(cases, 'error')), String(count(cases, 'skipped'))],
    );
    assert.deepEqual([root.attrs.failures, root.attrs.errors, root.attrs.skipped], ['3', '3', '2']);
    assert.equal(root.attrs.time, '2.500');
  });

  it('names testcases from control and resource id (plus region for account-keyed findings)', () => {
    const root = parseXml(render());
    const names = allTestcases(root).map((t) => t.attrs.name);
    assert.deepEqual(names, [
      `CloudTrail.1 ${ACCOUNT}`,
      `CloudTrail.3 ${ACCOUNT} eu-west-1`,
      `CloudTrail.3 ${ACCOUNT} us-east-1`,
      `CloudTrail.4 ${TRAIL_PIPE}`,
      `CloudTrail.4 ${TRAIL_LEGACY}`,
      `CloudTrail.4 ${TRAIL_SPECIAL}`,
      `CloudTrail.4 ${TRAIL_ORG}`,
      'CloudTrail.6 arn:aws:s3:::audit-logs',
      `CloudTrail.6 ${BUCKET_CROSS}`,
      `CloudTrail.6 ${BUCKET_DENIED}`,
      `CloudTrail.6 ${BUCKET_SUPPRESSED}`,
    ]);
    assert.equal(new Set(names).size, names.length, 'names are unique');
    for (const t of allTestcases(root)) {
      assert.match(t.attrs.classname!, /^trailaudit\.CloudTrail\.\d+$/);
    }
  });

  it('keeps testcase names stable when messages and statuses change', () => {
    const reworded = FINDINGS.map((f) => ({ ...f, message: `${f.message} (reworded)`, status: 'PASS' as const, suppressed: null }));
    const before = allTestcases(parseXml(render())).map((t) => t.attrs.name);
    const after = allTestcases(parseXml(render(reworded))).map((t) => t.attrs.name);
    assert.deepEqual(after, before);
  });

  it('tells colliding resource ids apart, by source location first', () => {
    const iac = (file: string, line: number): Finding =>
      makeFinding({
        checkId: 'CloudTrail.4',
        status: 'FAIL',
        resource: { type: 'AWS::CloudTrail::Trail', id: 'Trail', accountId: null, region: 'us-east-1', location: { file, line, column: 3 } },
      });
    const noLocation = makeFinding({ checkId: 'CloudTrail.4', status: 'PASS', resource: { type: 'AWS::CloudTrail::Trail', id: 'Other', accountId: null, region: 'us-east-1' } });
    const root = parseXml(render([iac('a.yaml', 10), iac('b.yaml', 4), noLocation, noLocation]));
    assert.deepEqual(
      allTestcases(root).map((t) => t.attrs.name),
      ['CloudTrail.4 Trail (a.yaml:10)', 'CloudTrail.4 Trail (b.yaml:4)', 'CloudTrail.4 Other', 'CloudTrail.4 Other #2'],
    );
    const first = allTestcases(root)[0]!;
    assert.equal(first.attrs.file, 'a.yaml');
    assert.equal(first.attrs.line, '10');
  });

  it('maps FAIL to <failure type=SEVERITY> with message, evidence and remediation', () => {
    const root = parseXml(render());
    const failure = outcome(testcaseFor(root, 'CloudTrail.4', TRAIL_PIPE))!;
    assert.equal(failure.name, 'failure');
    assert.equal(failure.attrs.type, 'LOW');
    assert.equal(failure.attrs.message, 'Trail main|prod does not have `log file validation` enabled.');
    assert.match(failure.text, /^Trail main\|prod does not have/);
    assert.match(failure.text, /\n {2}logFileValidationEnabled: false\n/);
    assert.match(failure.text, /\n {2}note: line one\n {4}line two \| <b>\n/);
    assert.match(failure.text, /Remediation:\naws cloudtrail update-trail --name 'main\|prod' --enable-log-file-validation$/);
    assert.equal(outcome(testcaseFor(root, 'CloudTrail.1', ACCOUNT))!.attrs.type, 'HIGH');
  });

  it('maps UNKNOWN to <error type=reason> naming each permission and account needed', () => {
    const root = parseXml(render());
    const cross = outcome(testcaseFor(root, 'CloudTrail.6', BUCKET_CROSS))!;
    assert.equal(cross.name, 'error');
    assert.equal(cross.attrs.type, 'cross_account');
    assert.match(cross.text, /\[cross_account\] The bucket ACL belongs to another account\. \(needs permission s3:GetBucketAcl, credentials for account 444455556666, in us-east-1\)/);
    const denied = outcome(testcaseFor(root, 'CloudTrail.6', BUCKET_DENIED))!;
    assert.equal(denied.attrs.type, 'access_denied');
    assert.match(denied.text, /s3:GetBucketAcl/);
    assert.match(denied.text, /s3:GetBucketPolicy/);
  });

  it('maps suppressed failures (accepted risks, said so) and NOT_APPLICABLE to <skipped>', () => {
    const root = parseXml(render());
    const legacy = outcome(testcaseFor(root, 'CloudTrail.4', TRAIL_LEGACY))!;
    assert.equal(legacy.name, 'skipped');
    assert.equal(legacy.attrs.message, 'accepted risk: FAIL suppressed: legacy trail, replaced in Q3 (SEC-123), expires 2027-06-30');
    assert.match(legacy.text, /^Status: FAIL \(suppressed, accepted risk\)/);
    const sandbox = outcome(testcaseFor(root, 'CloudTrail.6', BUCKET_SUPPRESSED))!;
    assert.equal(sandbox.name, 'error', 'an UNKNOWN matched by a suppression stays an error: a suppression never closes it');
    const org = outcome(testcaseFor(root, 'CloudTrail.4', TRAIL_ORG))!;
    assert.equal(org.name, 'skipped');
    assert.match(org.attrs.message!, /owned by account 444455556666/);
  });

  it('writes PASS as a plain testcase', () => {
    const root = parseXml(render());
    const pass = testcaseFor(root, 'CloudTrail.3', `${ACCOUNT} eu-west-1`);
    assert.deepEqual(pass.children, []);
  });

  it('adds severity, title and framework properties on each suite', () => {
    const root = parseXml(render());
    const suite = suites(root).find((s) => s.attrs.name === 'CloudTrail.1')!;
    const props = new Map(childrenNamed(childrenNamed(suite, 'properties')[0]!, 'property').map((p): [string, string] => [p.attrs.name ?? '', p.attrs.value ?? '']));
    assert.equal(props.get('severity'), 'HIGH');
    assert.equal(props.get('title'), 'CloudTrail should be enabled with at least one multi-Region trail');
    assert.equal(props.get('framework.cis-aws-1.4'), '3.1');
    assert.equal(props.get('framework.nist-800-53-r5'), 'AU-2, AU-12');
  });

  it('escapes XML special characters and survives characters XML cannot carry', async () => {
    const xml = render();
    assert.ok(xml.includes('trail/a&lt;&amp;&gt;&quot;b&quot;'), 'attribute is escaped in the text');
    const root = parseXml(xml);
    assert.equal(testcaseFor(root, 'CloudTrail.4', TRAIL_SPECIAL).attrs.name, `CloudTrail.4 ${TRAIL_SPECIAL}`);

    const nasty = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: { type: 'AWS::CloudTrail::Trail', id: 'arn:x:trail/]]>bad\u0001', accountId: null, region: 'us-east-1' },
      message: 'bell \u0007 and ]]> and <tag attr="v">',
    });
    const nastyXml = render([nasty]);
    assert.deepEqual(await xsdErrors(nastyXml), []);
    const failure = outcome(allTestcases(parseXml(nastyXml))[0]!)!;
    assert.equal(failure.attrs.message, 'bell \uFFFD and ]]> and <tag attr="v">');
    assert.match(failure.text, /^bell \uFFFD and \]\]> and <tag attr="v">/);
  });

  it('is deterministic: no hostname, timestamp from the context, same bytes twice', () => {
    const a = render();
    assert.equal(a, render());
    assert.ok(!a.includes('hostname'));
    const root = parseXml(a);
    for (const suite of suites(root)) {
      assert.equal(suite.attrs.timestamp, '2025-01-15T10:00:00.000Z');
    }
    assert.ok(a.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
  });

  it('omits the timestamp when the start time is not an ISO date-time', async () => {
    const xml = formatJunit(FINDINGS, makeContext({ startedAt: 'yesterday' }));
    assert.ok(!xml.includes('timestamp='));
    assert.deepEqual(await xsdErrors(xml), []);
  });
});

describe('JUnit report of a scan (grouped by file)', () => {
  const located = (file: string, line: number): { file: string; line: number; column: number } => ({ file, line, column: 3 });
  const SCAN_FINDINGS: readonly Finding[] = [
    makeFinding({ checkId: 'CloudTrail.1', status: 'PASS', resource: { type: 'AWS::::Account', id: '(scanned files)', accountId: null, region: 'global' } }),
    makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: { type: 'AWS::CloudTrail::Trail', id: 'Trail', accountId: null, region: '(deployment region)', location: located('a.yaml', 5) },
      location: located('a.yaml', 9),
    }),
    makeFinding({ checkId: 'CloudTrail.6', status: 'PASS', resource: { type: 'AWS::S3::Bucket', id: 'Logs', accountId: null, region: '(deployment region)', location: located('a.yaml', 2) } }),
    // The same logical id in another file is another test, in another suite.
    makeFinding({ checkId: 'CloudTrail.4', status: 'PASS', resource: { type: 'AWS::CloudTrail::Trail', id: 'Trail', accountId: null, region: '(deployment region)', location: located('b/c.yaml', 7) } }),
  ];
  const scanContext = makeContext({
    scope: { source: 'iac', accounts: ['(scanned files)'], regions: [], inputs: ['a.yaml', 'b/c.yaml', 'empty.json'] },
    inputErrors: [
      { file: 'bad.yaml', line: 4, column: 2, path: '', message: 'invalid YAML: bad indentation' },
      { file: 'bad.yaml', line: 6, column: 1, path: '', message: 'second problem' },
    ],
  });
  const xml = formatJunit(SCAN_FINDINGS, scanContext);

  it('validates against the XSD', async () => {
    assert.deepEqual(await xsdErrors(xml), []);
  });

  it('has one suite per scanned file (empty ones too), one for findings in no file, one per bad file', () => {
    const root = parseXml(xml);
    assert.deepEqual(suites(root).map((s) => [s.attrs.name, s.attrs.file, s.attrs.tests]), [
      ['(account and region level)', undefined, '1'],
      ['a.yaml', 'a.yaml', '2'],
      ['b/c.yaml', 'b/c.yaml', '1'],
      ['empty.json', 'empty.json', '0'],
      ['bad.yaml', 'bad.yaml', '1'],
    ]);
    assert.deepEqual([root.attrs.tests, root.attrs.failures, root.attrs.errors], ['5', '1', '1']);
  });

  it('names testcases by control and resource, with the offending line', () => {
    const a = suites(parseXml(xml)).find((s) => s.attrs.name === 'a.yaml')!;
    const testcase = childrenNamed(a, 'testcase').find((t) => t.attrs.name === 'CloudTrail.4 Trail')!;
    assert.deepEqual([testcase.attrs.file, testcase.attrs.line], ['a.yaml', '9']);
    assert.equal(outcome(testcase)?.name, 'failure');
  });

  it('turns a bad file into an <error> testcase carrying every problem', () => {
    const bad = suites(parseXml(xml)).find((s) => s.attrs.name === 'bad.yaml')!;
    const [testcase] = childrenNamed(bad, 'testcase');
    assert.deepEqual([testcase?.attrs.name, testcase?.attrs.line], ['scan bad.yaml', '4']);
    const error = outcome(testcase!)!;
    assert.equal(error.name, 'error');
    assert.equal(error.attrs.message, 'invalid YAML: bad indentation');
    assert.match(error.text, /bad\.yaml:4:2: invalid YAML: bad indentation\nbad\.yaml:6:1: second problem/u);
  });

  it('keeps the per-control layout for a live audit', () => {
    assert.deepEqual(suites(parseXml(render())).map((s) => s.attrs.name), CHECKS.map((c) => c.id));
  });
});
