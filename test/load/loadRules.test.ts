import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue } from '../../src/errors.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { DEFAULT_RULES_FILE, enabledChecks, loadRules, parseRules } from '../../src/load/loadRules.js';
import { rulesCacheKey } from '../../src/load/rulesCache.js';
import { assertIssues, inputIssues, positionOf } from './position.js';

const checks = loadChecks();
const FILE = '/project/rules.yaml';
const issuesOf = (text: string): ReturnType<typeof inputIssues> => inputIssues(() => parseRules(text, FILE, checks));
const at = (text: string, needle: string, occurrence = 1): { file: string; line: number; column: number } => ({
  file: FILE,
  ...positionOf(text, needle, occurrence),
});

describe('rules.yaml loader', () => {
  it('accepts the shipped rules.yaml', () => {
    const rules = loadRules(DEFAULT_RULES_FILE, checks);
    assert.equal(rules.failOn, 'informational');
    assert.deepEqual(rules.suppressions, []);
    assert.equal(enabledChecks(checks, rules, undefined).length, checks.length);
  });

  it('accepts the example from DESIGN §3 and applies it', () => {
    const text = [
      'version: 1',
      'checks:',
      '  CloudTrail.9: {parameters: {requiredTagKeys: [owner, env]}}',
      '  CloudTrail.5: {severity: medium}',
      '  CloudTrail.7: off',
      'suppressions:',
      '  - check: CloudTrail.4',
      '    resource: "arn:aws:cloudtrail:us-east-1:111122223333:trail/legacy-*"',
      '    reason: "legacy trail, replaced in Q3 (SEC-123)"',
      '    expires: 2027-06-30',
      'failOn: low',
      'reports: [junit, markdown, json]',
      '',
    ].join('\n');
    const rules = parseRules(text, FILE, checks);
    const enabled = enabledChecks(checks, rules, undefined);
    assert.ok(!enabled.some((entry) => entry.check.id === 'CloudTrail.7'));
    assert.deepEqual(enabled.find((entry) => entry.check.id === 'CloudTrail.9')?.params, { requiredTagKeys: ['owner', 'env'] });
    assert.equal(enabled.find((entry) => entry.check.id === 'CloudTrail.5')?.check.severity, 'medium');
    assert.deepEqual(enabled.find((entry) => entry.check.id === 'CloudTrail.10')?.params, { kmsKeyArns: [] });
    assert.deepEqual(rules.suppressions[0], {
      check: 'CloudTrail.4',
      resource: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/legacy-*',
      region: undefined,
      reason: 'legacy trail, replaced in Q3 (SEC-123)',
      expires: '2027-06-30',
    });
    assert.equal(rules.failOn, 'low');
  });

  it('--checks narrows the run and rejects unknown ids', () => {
    const rules = parseRules('version: 1\nchecks:\n  CloudTrail.7: off\n', FILE, checks);
    assert.deepEqual(enabledChecks(checks, rules, ['CloudTrail.7', 'CloudTrail.1']).map((entry) => entry.check.id), ['CloudTrail.1', 'CloudTrail.7']);
    const issues = inputIssues(() => enabledChecks(checks, rules, ['CloudTrail.8']));
    assert.equal(issues[0]!.file, '--checks');
    assert.match(issues[0]!.message, /unknown check CloudTrail\.8/u);
  });

  describe('zero enabled checks is bad input: an audit that checks nothing must not pass', () => {
    it('every check turned off in rules.yaml names the file and the checks', () => {
      const text = ['version: 1', 'checks:', ...checks.map((check) => `  ${check.id}: off`), ''].join('\n');
      const rules = parseRules(text, FILE, checks);
      const [issue, ...more] = inputIssues(() => enabledChecks(checks, rules, undefined));
      assert.deepEqual(more, []);
      assert.equal(issue!.file, FILE);
      assert.equal(issue!.path, 'checks');
      assert.ok(issue!.message.includes(`turns off every check (${checks.map((check) => check.id).join(', ')}): nothing would be evaluated`), issue!.message);
      // --checks still enables a check that rules.yaml turns off.
      assert.equal(enabledChecks(checks, rules, ['CloudTrail.4']).length, 1);
    });

    it('--checks that selects nothing, and a checks directory without checks, say so', () => {
      const rules = parseRules('version: 1\n', FILE, checks);
      assert.match(inputIssues(() => enabledChecks(checks, rules, []))[0]!.message, /selects no check/u);
      const [issue] = inputIssues(() => enabledChecks([], rules, undefined));
      assert.equal(issue!.file, '--checks-dir');
      assert.match(issue!.message, /no check is defined/u);
    });
  });

  describe('suppression expiry horizon', () => {
    const TODAY = '2026-12-06';
    const withSuppression = (expires: string, extra = ''): string =>
      ['version: 1', extra, 'suppressions:', '  - check: CloudTrail.4', '    reason: legacy trail (SEC-1)', `    expires: ${expires}`, ''].join('\n');
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'trailaudit-horizon-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const load = (text: string): ReturnType<typeof loadRules> => {
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, text);
      return loadRules(file, checks, new Map(), TODAY);
    };

    it('rejects an expiry more than 365 days ahead (9999-12-31 included) with file, line and column', () => {
      for (const expires of ['9999-12-31', '2099-12-31', '2027-12-07']) {
        const text = withSuppression(expires);
        const file = join(dir, 'rules.yaml');
        assertIssues(
          inputIssues(() => load(text)),
          [{ file, ...positionOf(text, expires), path: 'suppressions.0.expires', message: /more than 365 days after today \(2026-12-06\).*on or before 2027-12-06/u }],
        );
      }
    });

    it('accepts the last day of the horizon, and past dates (reported as expired, not rejected)', () => {
      assert.equal(load(withSuppression('2027-12-06')).suppressions[0]!.expires, '2027-12-06');
      assert.equal(load(withSuppression('2020-01-01')).suppressions[0]!.expires, '2020-01-01');
    });

    it('suppressionHorizonDays widens it, within 1 to 1825 days (schema-checked)', () => {
      const rules = load(withSuppression('2028-12-01', 'suppressionHorizonDays: 730'));
      assert.equal(rules.suppressionHorizonDays, 730);
      assert.match(inputIssues(() => load(withSuppression('2029-01-01', 'suppressionHorizonDays: 730')))[0]!.message, /more than 730 days/u);
      for (const bad of ['0', '1826', '36.5', 'forever']) {
        const issues = inputIssues(() => load(withSuppression('2027-01-01', `suppressionHorizonDays: ${bad}`)));
        assert.equal(issues[0]!.path, 'suppressionHorizonDays', bad);
      }
      assert.equal(load('version: 1\n').suppressionHorizonDays, 365);
    });

    it('is checked on rules served from the build cache too (it depends on the day, the cache does not)', () => {
      const text = withSuppression('2099-12-31');
      const rules = parseRules(text, FILE, checks);
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, text);
      const cache = new Map([[rulesCacheKey(text, checks), rules]]);
      assert.match(inputIssues(() => loadRules(file, checks, cache, TODAY))[0]!.message, /more than 365 days/u);
    });
  });

  describe('malformed rules.yaml → InputError with file, line, column and path', () => {
    it('YAML syntax error', () => {
      const text = 'version: 1\nfailOn: low: high\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'low: high'), path: '', message: /^invalid YAML: Nested mappings/u }]);
    });

    it('duplicate key', () => {
      const text = 'version: 1\nfailOn: low\nfailOn: high\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'failOn', 2), path: '', message: /^invalid YAML: Map keys must be unique/u }]);
    });

    it('version: 2', () => {
      const text = '# rules\nversion: 2\n';
      assertIssues(issuesOf(text), [{ ...at(text, '2'), path: 'version', message: /expected 1/u }]);
    });

    it('missing version', () => {
      const text = 'failOn: low\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'failOn'), path: '', message: /missing required property "version"/u }]);
    });

    it('unknown top-level key', () => {
      const text = 'version: 1\nfailon: low\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'failon'), path: 'failon', message: /unexpected property "failon"/u }]);
    });

    it('unknown check id', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.1: on\n  CloudTrail.8: on\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'CloudTrail.8'), path: 'checks.CloudTrail.8', message: /unknown check "CloudTrail\.8"; known checks: .*CloudTrail\.1,/u }]);
    });

    it('check setting that is neither on/off nor a mapping', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.7: maybe\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'maybe'), path: 'checks.CloudTrail.7', message: /expected one of "off", "on", true, false/u }]);
    });

    it('requiredTagKeys given as a string, not a list', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.9: {parameters: {requiredTagKeys: owner}}\n';
      assertIssues(issuesOf(text), [
        { ...at(text, 'owner'), path: 'checks.CloudTrail.9.parameters.requiredTagKeys', message: /expected a list of strings/u },
      ]);
    });

    it('an integer parameter below its minimum (maxDeliveryAgeHours: 0 or -1)', () => {
      for (const bad of ['0', '-1']) {
        const text = `version: 1\nchecks:\n  TrailHealth.1:\n    parameters:\n      maxDeliveryAgeHours: ${bad}\n`;
        assertIssues(issuesOf(text), [
          { ...at(text, `${bad}\n`), path: 'checks.TrailHealth.1.parameters.maxDeliveryAgeHours', message: /^expected an integer of at least 1$/u },
        ]);
      }
      // The minimum itself is accepted.
      const rules = parseRules('version: 1\nchecks:\n  TrailHealth.1: {parameters: {maxDeliveryAgeHours: 1}}\n', FILE, checks);
      assert.deepEqual(enabledChecks(checks, rules, undefined).find((entry) => entry.check.id === 'TrailHealth.1')?.params, { maxDeliveryAgeHours: 1 });
    });

    it('unknown parameter', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.9:\n    parameters:\n      requiredTags: [owner]\n';
      assertIssues(issuesOf(text), [
        { ...at(text, 'requiredTags'), path: 'checks.CloudTrail.9.parameters.requiredTags', message: /unknown parameter "requiredTags" for CloudTrail\.9; expected one of requiredTagKeys/u },
      ]);
    });

    it('parameter on a check that takes none', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.4: {parameters: {strict: true}}\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'strict'), path: 'checks.CloudTrail.4.parameters.strict', message: /it takes no parameters/u }]);
    });

    it('more than 6 tag keys', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.9:\n    parameters:\n      requiredTagKeys: [a, b, c, d, e, f, g]\n';
      assertIssues(issuesOf(text), [
        { ...at(text, '[a, b'), path: 'checks.CloudTrail.9.parameters.requiredTagKeys', message: /at most 6 items, got 7/u },
      ]);
    });

    it('aws: tag key', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.9:\n    parameters:\n      requiredTagKeys:\n        - owner\n        - "aws:createdBy"\n';
      assertIssues(issuesOf(text), [
        { ...at(text, '- owner'), path: 'checks.CloudTrail.9.parameters.requiredTagKeys', message: /"aws:createdBy": expected a value matching/u },
      ]);
    });

    it('kmsKeyArns entry that is not a KMS key ARN', () => {
      const text = 'version: 1\nchecks:\n  CloudTrail.10: {parameters: {kmsKeyArns: [alias/lake]}}\n';
      assertIssues(issuesOf(text), [{ ...at(text, '[alias'), path: 'checks.CloudTrail.10.parameters.kmsKeyArns', message: /"alias\/lake": expected a value matching/u }]);
    });

    it('suppression without reason', () => {
      const text = 'version: 1\nsuppressions:\n  - check: CloudTrail.4\n    resource: "*"\n    expires: 2027-06-30\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'check: CloudTrail.4'), path: 'suppressions.0', message: /missing required property "reason"/u }]);
    });

    it('a blank suppression reason (three spaces pass the schema) is refused at the reason, as in templates', () => {
      const text = 'version: 1\nsuppressions:\n  - check: CloudTrail.4\n    reason: "   "\n    expires: 2027-06-30\n';
      assertIssues(issuesOf(text), [{ ...at(text, '"   "'), path: 'suppressions.0.reason', message: /reason must say why the finding is accepted/u }]);
    });

    it('expires: 2027-02-30 (matches the pattern, not a calendar date)', () => {
      const text = 'version: 1\nsuppressions:\n  - check: CloudTrail.4\n    reason: legacy trail\n    expires: 2027-02-30\n';
      assertIssues(issuesOf(text), [{ ...at(text, '2027-02-30'), path: 'suppressions.0.expires', message: /"2027-02-30" is not a calendar date/u }]);
    });

    it('suppression naming no check (a typo would otherwise suppress nothing, silently)', () => {
      const text = 'version: 1\nsuppressions:\n  - check: CloudTrail.42\n    reason: legacy trail\n    expires: 2027-06-30\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'CloudTrail.42'), path: 'suppressions.0.check', message: /"CloudTrail\.42" matches no check; known checks: .*CloudTrail\.1, /u }]);
    });

    it('suppression check in the wrong case names the check it probably meant', () => {
      const text = 'version: 1\nsuppressions:\n  - {check: cloudtrail.6, reason: shared bucket, expires: 2027-06-30}\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'cloudtrail.6'), path: 'suppressions.0.check', message: /case-sensitive: CloudTrail\.6\?/u }]);
    });

    it('a suppression glob that matches some check is accepted', () => {
      const text = 'version: 1\nsuppressions:\n  - {check: "CloudTrail.*", resource: "arn:aws:s3:::sandbox-*", reason: sandbox, expires: 2027-06-30}\n';
      assert.equal(parseRules(text, FILE, checks).suppressions[0]?.check, 'CloudTrail.*');
    });

    it('expires in another format', () => {
      const text = 'version: 1\nsuppressions:\n  - check: CloudTrail.4\n    reason: legacy trail\n    expires: 30/06/2027\n';
      assertIssues(issuesOf(text), [{ ...at(text, '30/06/2027'), path: 'suppressions.0.expires', message: /expected a value matching/u }]);
    });

    it('unknown report format', () => {
      const text = 'version: 1\nreports: [junit, pdf]\n';
      assertIssues(issuesOf(text), [{ ...at(text, 'pdf'), path: 'reports.1', message: /expected one of "json", "junit", "markdown", "sarif", "asff"/u }]);
    });

    it('several schema errors are reported at once', () => {
      const text = 'version: 2\ncolour: blue\nreports: [pdf]\nfailOn: severe\n';
      // ajv reports in schema order; compare in document order.
      const issues = [...issuesOf(text)].sort((a, b) => a.line - b.line || a.column - b.column);
      assertIssues(issues, [
        { ...at(text, '2'), path: 'version', message: /expected 1/u },
        { ...at(text, 'colour'), path: 'colour', message: /unexpected property "colour"/u },
        { ...at(text, 'pdf'), path: 'reports.0', message: /expected one of/u },
        { ...at(text, 'severe'), path: 'failOn', message: /expected one of "informational"/u },
      ]);
    });

    it('several semantic errors are reported at once', () => {
      const text = [
        'version: 1',
        'checks:',
        '  CloudTrail.99: on',
        '  CloudTrail.9: {parameters: {requiredTagKeys: owner, other: 1}}',
        'suppressions:',
        '  - {check: CloudTrail.4, reason: legacy trail, expires: 2027-02-30}',
        '',
      ].join('\n');
      assertIssues(issuesOf(text), [
        { ...at(text, 'CloudTrail.99'), path: 'checks.CloudTrail.99', message: /unknown check/u },
        { ...at(text, 'owner'), path: 'checks.CloudTrail.9.parameters.requiredTagKeys', message: /expected a list of strings/u },
        { ...at(text, 'other'), path: 'checks.CloudTrail.9.parameters.other', message: /unknown parameter "other"/u },
        { ...at(text, '2027-02-30'), path: 'suppressions.0.expires', message: /not a calendar date/u },
      ]);
    });

    it('the error message names file, line and column', () => {
      const [issue] = issuesOf('version: 2\n');
      assert.equal(formatIssue(issue!), '/project/rules.yaml:1:10: version: expected 1');
    });
  });

  it('loadRules reports an unreadable file as an InputError naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-rules-'));
    try {
      const missing = join(dir, 'nope.yaml');
      const issues = inputIssues(() => loadRules(missing, checks));
      assert.equal(issues[0]!.file, missing);
      const bad = join(dir, 'rules.yaml');
      writeFileSync(bad, 'version: 1\nreports: [pdf]\n');
      assertIssues(inputIssues(() => loadRules(bad, checks)), [{ file: bad, line: 2, column: 11, path: 'reports.0', message: /expected one of/u }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the built-in rules.yaml with a --checks-dir of one\'s own', () => {
  const shipped = loadChecks();
  const onlyFour = shipped.filter((check) => check.id === 'CloudTrail.4');
  const text = readFileSync(DEFAULT_RULES_FILE, 'utf8');

  it('ignores its entries for checks that are not loaded (nobody wrote them for this set)', () => {
    const rules = parseRules(text, DEFAULT_RULES_FILE, onlyFour);
    assert.deepEqual(enabledChecks(onlyFour, rules, undefined).map(({ check }) => check.id), ['CloudTrail.4']);
  });

  it('still names an unknown check in a rules file the user gave', () => {
    const [issue] = inputIssues(() => parseRules(text, '/project/rules.yaml', onlyFour));
    assert.match(issue?.message ?? '', /unknown check "CloudTrail.1"/u);
  });
});
