/**
 * --framework selection and its precedence (src/load/selectChecks.ts), on checks made for the
 * test from a built-in one, so the cases do not move when checks/ gains or maps checks.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { CheckDefinition, ParameterDefinition } from '../../src/engine/types.js';
import { FRAMEWORK_NAMES, FRAMEWORKS, frameworkNamed, isMappedTo, type Framework } from '../../src/load/frameworks.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { enabledChecks, parseRules } from '../../src/load/loadRules.js';
import { checksOfFramework, selectChecks } from '../../src/load/selectChecks.js';
import { inputIssues } from './position.js';

const [base] = loadChecks();
if (base === undefined) {
  throw new Error('checks/ holds no check');
}

const PATTERN_SET: ParameterDefinition = { type: 'string', default: 'securityhub', description: 'metric-filter patterns' };

function check(id: string, frameworks: Record<string, string[]>, parameters: Record<string, ParameterDefinition> = {}): CheckDefinition {
  return { ...base!, id, frameworks, parameters };
}

const CHECKS: readonly CheckDefinition[] = [
  check('Both.1', { securityhub: ['Both.1'], 'cis-aws-5.0.0': ['4.1'] }, { patternSet: PATTERN_SET }),
  check('HubOnly.2', { securityhub: ['HubOnly.2'], 'cis-aws-5.0.0': [] }),
  check('Cis.3', { 'cis-aws-5.0.0': ['4.15'], 'cis-aws-1.4.0': ['4.15'] }, { patternSet: PATTERN_SET, other: { type: 'integer', default: 24, description: 'hours' } }),
  check('TrailHealth.4', {}),
];

const FILE = '/project/rules.yaml';
const rules = (text = 'version: 1\n') => parseRules(text, FILE, CHECKS);
const framework = (name: string): Framework => {
  const found = frameworkNamed(name);
  assert.ok(found !== undefined, name);
  return found;
};
const ids = (entries: readonly { check: CheckDefinition }[]) => entries.map((entry) => entry.check.id);
const paramsOf = (entries: readonly { check: CheckDefinition; params: Record<string, unknown> }[], id: string) => entries.find((entry) => entry.check.id === id)?.params;

describe('--framework selection', () => {
  it('the framework table: names, keys and pattern sets as the check files and CONTROLS §2.2 use them', () => {
    assert.deepEqual(
      FRAMEWORKS.map(({ name, key, patternSet }) => [name, key, patternSet]),
      [
        ['securityhub', 'securityhub', 'securityhub'],
        ['cis-1.4', 'cis-aws-1.4.0', 'cis-1.4'],
        ['cis-3.0', 'cis-aws-3.0.0', 'cis-3.0'],
        ['cis-5.0', 'cis-aws-5.0.0', 'cis-5.0'],
      ],
    );
    assert.equal(frameworkNamed('cis-aws-5.0.0'), undefined, 'a frameworks key is not a CLI name');
  });

  it('the report schema accepts exactly the framework names as scope.framework', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as {
      properties: { scope: { properties: { framework: { enum: string[] } } } };
    };
    assert.deepEqual(schema.properties.scope.properties.framework.enum, [...FRAMEWORK_NAMES]);
  });

  it('a check is mapped by a non-empty list under the key; an empty list or no key is not mapped', () => {
    const cis5 = framework('cis-5.0');
    assert.deepEqual(CHECKS.filter((each) => isMappedTo(each, cis5)).map((each) => each.id), ['Both.1', 'Cis.3']);
    assert.deepEqual(CHECKS.filter((each) => isMappedTo(each, framework('securityhub'))).map((each) => each.id), ['Both.1', 'HubOnly.2']);
  });

  it('without --framework: rules.yaml and --checks as before, the check files default pattern set', () => {
    const selected = selectChecks(CHECKS, rules(), undefined, undefined);
    assert.deepEqual(selected, enabledChecks(CHECKS, rules(), undefined));
    assert.deepEqual(paramsOf(selected, 'Both.1'), { patternSet: 'securityhub' });
  });

  it('narrows to the framework checks; checks of our own (no key) are in no framework', () => {
    assert.deepEqual(ids(selectChecks(CHECKS, rules(), undefined, framework('cis-5.0'))), ['Both.1', 'Cis.3']);
    assert.deepEqual(ids(selectChecks(CHECKS, rules(), undefined, framework('cis-1.4'))), ['Cis.3']);
    // cis-3.0 maps none of these checks: its own case below.
    for (const name of ['securityhub', 'cis-1.4', 'cis-5.0']) {
      assert.ok(!ids(selectChecks(CHECKS, rules(), undefined, framework(name))).includes('TrailHealth.4'), name);
    }
  });

  it('rules.yaml off wins over the framework', () => {
    assert.deepEqual(ids(selectChecks(CHECKS, rules('version: 1\nchecks:\n  Both.1: off\n'), undefined, framework('cis-5.0'))), ['Cis.3']);
  });

  it('every framework check turned off is bad input naming the framework and its checks', () => {
    const [issue, ...more] = inputIssues(() => selectChecks(CHECKS, rules('version: 1\nchecks:\n  Both.1: off\n  Cis.3: off\n'), undefined, framework('cis-5.0')));
    assert.deepEqual(more, []);
    assert.equal(issue!.file, FILE);
    assert.match(issue!.message, /turns off every check of --framework cis-5\.0 \(Both\.1, Cis\.3\)/u);
  });

  it('with --checks: the intersection; --checks still enables a check rules.yaml turns off, as without a framework', () => {
    const offRules = rules('version: 1\nchecks:\n  Cis.3: off\n');
    assert.deepEqual(ids(selectChecks(CHECKS, offRules, ['Cis.3'], framework('cis-5.0'))), ['Cis.3']);
    assert.deepEqual(ids(selectChecks(CHECKS, rules(), ['Both.1'], framework('securityhub'))), ['Both.1']);
  });

  it('a --checks id outside the framework is bad usage naming the framework and what it selects', () => {
    const [issue] = inputIssues(() => selectChecks(CHECKS, rules(), ['Both.1', 'HubOnly.2', 'TrailHealth.4'], framework('cis-5.0')));
    assert.equal(issue!.file, '--checks');
    assert.match(issue!.message, /^HubOnly\.2, TrailHealth\.4 are not in framework cis-5\.0; --framework cis-5\.0 selects the checks mapped to cis-aws-5\.0\.0: Both\.1, Cis\.3$/u);
  });

  it('an id that names no check gets the usual unknown-check error, listing every check', () => {
    const [issue] = inputIssues(() => selectChecks(CHECKS, rules(), ['Nope.1'], framework('cis-5.0')));
    assert.equal(issue!.file, '--checks');
    assert.match(issue!.message, /unknown check Nope\.1; known checks: Both\.1, HubOnly\.2, Cis\.3, TrailHealth\.4/u);
  });

  it('a framework no loaded check maps to is bad input (nothing to evaluate or list)', () => {
    const [issue] = inputIssues(() => selectChecks(CHECKS, rules(), undefined, framework('cis-3.0')));
    assert.equal(issue!.file, '--framework');
    assert.match(issue!.message, /no loaded check is mapped to cis-3\.0 \(a non-empty list under frameworks\.cis-aws-3\.0\.0\)/u);
    assert.deepEqual(checksOfFramework(CHECKS, framework('cis-1.4')).map((each) => each.id), ['Cis.3']);
  });

  describe('pattern set', () => {
    it('the framework sets patternSet of every selected check that declares it, and nothing else', () => {
      for (const name of ['securityhub', 'cis-5.0']) {
        const selected = selectChecks(CHECKS, rules(), undefined, framework(name));
        assert.deepEqual(paramsOf(selected, 'Both.1'), { patternSet: framework(name).patternSet });
      }
      const cis14 = selectChecks(CHECKS, rules(), undefined, framework('cis-1.4'));
      assert.deepEqual(paramsOf(cis14, 'Cis.3'), { patternSet: 'cis-1.4', other: 24 });
      assert.deepEqual(paramsOf(selectChecks(CHECKS, rules(), undefined, framework('securityhub')), 'HubOnly.2'), {});
    });

    it('a patternSet set in rules.yaml wins over the framework (explicit configuration)', () => {
      const explicit = rules('version: 1\nchecks:\n  Cis.3: {parameters: {patternSet: cis-3.0}}\n');
      const selected = selectChecks(CHECKS, explicit, undefined, framework('cis-5.0'));
      assert.deepEqual(paramsOf(selected, 'Cis.3'), { patternSet: 'cis-3.0', other: 24 });
      assert.deepEqual(paramsOf(selected, 'Both.1'), { patternSet: 'cis-5.0' }, 'only the check rules.yaml configures keeps its value');
    });

    it('another parameter set in rules.yaml does not stop the framework setting patternSet', () => {
      const selected = selectChecks(CHECKS, rules('version: 1\nchecks:\n  Cis.3: {parameters: {other: 48}}\n'), undefined, framework('cis-1.4'));
      assert.deepEqual(paramsOf(selected, 'Cis.3'), { patternSet: 'cis-1.4', other: 48 });
    });

    it('a check whose patternSet cannot take the framework set is bad input, not a silent default', () => {
      const narrow = [check('Narrow.1', { 'cis-aws-5.0.0': ['4.1'] }, { patternSet: { ...PATTERN_SET, pattern: '^securityhub$' } })];
      const [issue] = inputIssues(() => selectChecks(narrow, parseRules('version: 1\n', FILE, narrow), undefined, framework('cis-5.0')));
      assert.equal(issue!.file, '--framework');
      assert.match(issue!.message, /Narrow\.1 cannot take patternSet "cis-5\.0" of framework cis-5\.0: expected a value matching/u);
    });
  });
});
