import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckText, loadChecks } from '../../src/load/loadChecks.js';
import { BUILT_IN_CHECK_IDS, builtInCheckFile } from '../helpers/builtInChecks.js';
import { assertIssues, inputIssues, positionOf } from './position.js';

const original = (id: string): string => readFileSync(builtInCheckFile(id), 'utf8');

/** Replace exactly one occurrence, so a test cannot silently break nothing. */
function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  assert.ok(first >= 0 && text.indexOf(from, first + 1) < 0, `"${from}" occurs exactly once`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}

describe('check loader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-checks-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Write broken check files into a fresh checks dir and load it. */
  const load = (files: Readonly<Record<string, string>>): ReturnType<typeof inputIssues> => {
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
    }
    return inputIssues(() => loadChecks(dir));
  };
  const at = (file: string, text: string, needle: string, occurrence = 1, shift = 0): { file: string; line: number; column: number } => ({
    file: join(dir, file),
    ...positionOf(text, needle, occurrence, shift),
  });

  it('loads every shipped check, frozen', () => {
    const checks = loadChecks();
    // Every check file under checks/ (its service folders), in numeric id order.
    assert.ok(BUILT_IN_CHECK_IDS.length >= 9 && BUILT_IN_CHECK_IDS.includes('CloudTrail.10'));
    assert.deepEqual(
      checks.map((check) => check.id),
      BUILT_IN_CHECK_IDS,
    );
    assert.ok(BUILT_IN_CHECK_IDS.indexOf('CloudTrail.9') < BUILT_IN_CHECK_IDS.indexOf('CloudTrail.10'), 'numeric order');
    assert.ok(Object.isFrozen(checks[0]) && Object.isFrozen(checks[0]!.messages));
  });

  it('a parameter minimum must be an integer', () => {
    const original1 = original('TrailHealth.1');
    for (const bad of ['1.5', '"1"']) {
      const text = edit(original1, '    minimum: 1\n', `    minimum: ${bad}\n`);
      const issues = load({ 'TrailHealth.1.yaml': text });
      assert.equal(issues.length, 1, JSON.stringify(issues));
      assert.match(issues[0]?.message ?? '', /integer/u);
      assert.equal(issues[0]?.line, positionOf(text, `minimum: ${bad}`).line);
    }
    const edited = edit(original1, '    minimum: 1\n', '    minimum: 2\n');
    writeFileSync(join(dir, 'TrailHealth.1.yaml'), edited);
    assert.equal(loadChecks(dir)[0]?.parameters.maxDeliveryAgeHours?.minimum, 2);
  });

  it('a check outside Security Hub loads: an id of its own (dotted numbers too), no frameworks.securityhub', () => {
    const own = (id: string): string =>
      edit(edit(original('CloudTrail.4'), 'id: CloudTrail.4', `id: ${id}`), '  securityhub: [CloudTrail.4]\n  aws-fsbp: [CloudTrail.4]\n', '');
    writeFileSync(join(dir, 'TrailHealth.1.yaml'), own('TrailHealth.1'));
    writeFileSync(join(dir, 'CIS.4.15.yaml'), own('CIS.4.15'));
    const checks = loadChecks(dir);
    assert.deepEqual(checks.map((check) => check.id), ['CIS.4.15', 'TrailHealth.1']);
    assert.ok(checks.every((check) => check.frameworks.securityhub === undefined && check.frameworks['cis-aws-5.0.0'] !== undefined));
  });

  it('finds checks in service folders one level down, never a case table as a check', () => {
    mkdirSync(join(dir, 'cloudtrail'));
    writeFileSync(join(dir, 'cloudtrail', 'CloudTrail.4.yaml'), original('CloudTrail.4'));
    writeFileSync(join(dir, 'cloudtrail', 'CloudTrail.4.cases.yaml'), 'check: CloudTrail.4\ncases: []\n');
    writeFileSync(join(dir, 'CloudTrail.2.yaml'), original('CloudTrail.2'));
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'CloudTrail.5.yaml'), original('CloudTrail.5'));
    assert.deepEqual(loadChecks(dir).map((check) => check.id), ['CloudTrail.2', 'CloudTrail.4']);
  });

  it('a copied check loads from another directory', () => {
    writeFileSync(join(dir, 'CloudTrail.4.yaml'), original('CloudTrail.4'));
    assert.deepEqual(loadChecks(dir).map((check) => check.id), ['CloudTrail.4']);
  });

  it('wrong op', () => {
    const text = edit(original('CloudTrail.4'), 'assert: { path: logFileValidationEnabled, op: eq,', 'assert: { path: logFileValidationEnabled, op: equals,');
    assertIssues(load({ 'CloudTrail.4.yaml': text }), [
      { ...at('CloudTrail.4.yaml', text, 'equals'), path: 'assert.op', message: /expected one of "eq", "ne"/u },
    ]);
  });

  it('wrong op deep inside a quantifier (reported once, where the anchored condition is written)', () => {
    // The anchored condition (12 spaces in), not the evidence's copy of it.
    const text = edit(original('CloudTrail.1'), '            - { path: isLogging, op: eq,', '            - { path: isLogging, op: same,');
    assertIssues(load({ 'CloudTrail.1.yaml': text }), [
      { ...at('CloudTrail.1.yaml', text, 'same'), path: 'where.any.1.some.match.all.1.op', message: /expected one of/u },
    ]);
  });

  it('op needing a value without one', () => {
    const text = edit(original('CloudTrail.4'), 'assert: { path: logFileValidationEnabled, op: eq, value: true }', 'assert: { path: logFileValidationEnabled, op: eq }');
    assertIssues(load({ 'CloudTrail.4.yaml': text }), [
      { ...at('CloudTrail.4.yaml', text, '{ path: logFileValidationEnabled'), path: 'assert', message: /operator "eq" needs a "value" or a "ref"/u },
    ]);
  });

  it('op taking no value given one', () => {
    const text = edit(original('CloudTrail.2'), 'assert: { path: kmsKeyId, op: notEmpty }', 'assert: { path: kmsKeyId, op: notEmpty, value: true }');
    assertIssues(load({ 'CloudTrail.2.yaml': text }), [
      { ...at('CloudTrail.2.yaml', text, '{ path: kmsKeyId'), path: 'assert', message: /operator "notEmpty" takes no "value"/u },
    ]);
  });

  it('file name different from the id', () => {
    const text = original('CloudTrail.4');
    assertIssues(load({ 'CloudTrail.44.yaml': text }), [
      { ...at('CloudTrail.44.yaml', text, 'id: CloudTrail.4', 1, 4), path: 'id', message: /file name must equal the id: expected CloudTrail\.44, got CloudTrail\.4/u },
    ]);
  });

  it('unknown {{param.x}} in a message', () => {
    const text = edit(original('CloudTrail.4'), 'fail: Trail {{resource.name}}', 'fail: Trail {{param.colour}} {{resource.name}}');
    assertIssues(load({ 'CloudTrail.4.yaml': text }), [
      { ...at('CloudTrail.4.yaml', text, 'Trail {{param.colour}}'), path: 'messages.fail', message: /unknown parameter "colour"/u },
    ]);
  });

  it('unknown {{param.x}} in a condition value', () => {
    const text = edit(original('CloudTrail.9'), 'value: "{{param.requiredTagKeys}}"', 'value: "{{param.requiredTags}}"');
    assertIssues(load({ 'CloudTrail.9.yaml': text }), [
      { ...at('CloudTrail.9.yaml', text, '"{{param.requiredTags}}"'), path: 'assert.all.1.value', message: /unknown parameter "requiredTags"/u },
    ]);
  });

  it('missing remediation', () => {
    const full = original('CloudTrail.4');
    const start = full.indexOf('remediation:\n');
    const end = full.indexOf('frameworks:\n');
    const text = full.slice(0, start) + full.slice(end);
    assertIssues(load({ 'CloudTrail.4.yaml': text }), [
      { ...at('CloudTrail.4.yaml', text, 'id: CloudTrail.4'), path: '', message: /missing required property "remediation"/u },
    ]);
  });

  it('parameter default that does not fit its own definition', () => {
    const text = edit(original('CloudTrail.9'), '    default: []\n', '    default: owner\n');
    assertIssues(load({ 'CloudTrail.9.yaml': text }), [
      { ...at('CloudTrail.9.yaml', text, 'owner\n    maxItems'), path: 'parameters.requiredTagKeys.default', message: /expected a list of strings/u },
    ]);
  });

  it('YAML syntax error in a check file', () => {
    const text = edit(original('CloudTrail.4'), 'severity: low\n', 'severity: low: high\n');
    assertIssues(load({ 'CloudTrail.4.yaml': text }), [
      { ...at('CloudTrail.4.yaml', text, 'low: high'), path: '', message: /^invalid YAML/u },
    ]);
  });

  it('several errors, in several files, are reported at once', () => {
    const four = edit(
      edit(original('CloudTrail.4'), 'assert: { path: logFileValidationEnabled, op: eq, value: true }', 'assert: { path: logFileValidationEnabled, op: eq }'),
      'fail: Trail {{resource.name}}',
      'fail: Trail {{param.colour}} {{resource.name}}',
    );
    const two = edit(original('CloudTrail.2'), 'severity: medium', 'severity: urgent');
    const five = original('CloudTrail.5');
    const issues = load({ 'CloudTrail.4.yaml': four, 'CloudTrail.2.yaml': two, 'CloudTrail.55.yaml': five });
    assertIssues(issues, [
      { ...at('CloudTrail.2.yaml', two, 'urgent'), path: 'severity', message: /expected one of "informational"/u },
      { ...at('CloudTrail.4.yaml', four, '{ path: logFileValidationEnabled'), path: 'assert', message: /needs a "value"/u },
      { ...at('CloudTrail.4.yaml', four, 'Trail {{param.colour}}'), path: 'messages.fail', message: /unknown parameter "colour"/u },
      { ...at('CloudTrail.55.yaml', five, 'id: CloudTrail.5', 1, 4), path: 'id', message: /expected CloudTrail\.55, got CloudTrail\.5/u },
    ]);
  });

  it('duplicate ids across files', () => {
    const text = original('CloudTrail.4');
    writeFileSync(join(dir, 'CloudTrail.4.yaml'), text);
    writeFileSync(join(dir, 'CloudTrail.4.yml'), text);
    const issues = inputIssues(() => loadChecks(dir));
    assert.ok(issues.some((issue) => issue.path === 'id' && /duplicate check id CloudTrail\.4/u.test(issue.message)), JSON.stringify(issues));
  });

  it('loadCheckText validates a single text with the file name it is given', () => {
    const text = original('CloudTrail.7');
    assert.equal(loadCheckText(text, '/anywhere/CloudTrail.7.yaml').id, 'CloudTrail.7');
    assertIssues(inputIssues(() => loadCheckText(text, '/anywhere/Other.7.yaml')), [
      { file: '/anywhere/Other.7.yaml', ...positionOf(text, 'id: CloudTrail.7', 1, 4), path: 'id', message: /expected Other\.7/u },
    ]);
  });

  it('an unreadable checks directory is an InputError naming it', () => {
    const missing = join(dir, 'none');
    const issues = inputIssues(() => loadChecks(missing));
    assert.equal(issues[0]!.file, missing);
  });
});
