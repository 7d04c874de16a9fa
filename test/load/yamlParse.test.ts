import { strict as assert } from 'node:assert';
import { loadCheckText } from '../../src/load/loadChecks.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { parseRules } from '../../src/load/loadRules.js';
import { parse } from 'yaml';
import { MAX_ALIASES, MAX_DEPTH, parseYamlText, toPlainData, YamlDepthError } from '../../src/load/yamlParse.js';
import { parseTemplate } from '../../src/collect/cloudformation/parse.js';
import { inputIssues, positionOf } from './position.js';

const checks = loadChecks();
const FILE = '/project/rules.yaml';

/** A "billion laughs" document: each level aliases the previous one nine times. */
function aliasBomb(levels: number, prefix = 'version: 1\n'): string {
  const lines = [prefix.trimEnd(), 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < levels; level += 1) {
    lines.push(`l${String(level)}: &l${String(level)} [${Array.from({ length: 9 }, () => `*l${String(level - 1)}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('YAML parsing bounds (load/yamlParse.ts)', () => {
  it('an alias bomb in rules.yaml is an input error at the alias that crosses the limit', () => {
    const text = aliasBomb(9);
    const [issue, ...rest] = inputIssues(() => parseRules(text, FILE, checks));
    assert.equal(rest.length, 0);
    assert.equal(issue!.file, FILE);
    // Each *l5 stands for 597,871 nodes; the lines up to l5 add 672,543, so the first *l5 crosses.
    assert.deepEqual({ line: issue!.line, column: issue!.column }, positionOf(text, '*l5'));
    assert.match(issue!.message, /^invalid YAML: aliases expand this document by more than 1,000,000 nodes \(here, with \*l5\)/u);
  });

  it('the same bound holds in check files and CloudFormation templates', () => {
    const check = inputIssues(() => loadCheckText(aliasBomb(9, 'id: CloudTrail.1\n'), '/checks/CloudTrail.1.yaml'));
    assert.match(check[0]!.message, /alias bomb is refused/u);
    const template = inputIssues(() => parseTemplate(aliasBomb(9, 'Resources: {}\n'), 'bomb.yaml'));
    assert.match(template[0]!.message, /alias bomb is refused/u);
  });

  it('ordinary aliases still work, and a smaller limit can be asked for', () => {
    const text = 'base: &base {enabled: false}\nchecks:\n  a: *base\n  b: *base\n';
    const parsed = parseYamlText(text);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.document.toJS(), { base: { enabled: false }, checks: { a: { enabled: false }, b: { enabled: false } } });
    // Each alias adds the 3 nodes of its target beyond itself (map, key, value): 2 × 2 = 4.
    assert.deepEqual(parseYamlText(text, { maxAliasGrowth: 4 }).problems, []);
    assert.equal(parseYamlText(text, { maxAliasGrowth: 3 }).problems.length, 1);
  });

  it('an alias inside its own anchor, and an alias without an anchor, are errors where they are written', () => {
    const cyclic = 'version: 1\nchecks: &a {x: [*a]}\n';
    const [cycle] = inputIssues(() => parseRules(cyclic, FILE, checks));
    assert.deepEqual({ line: cycle!.line, column: cycle!.column }, positionOf(cyclic, '*a'));
    assert.match(cycle!.message, /alias \*a refers to a node that contains it/u);
    const unknown = 'version: 1\nchecks: *nope\n';
    const [missing] = inputIssues(() => parseRules(unknown, FILE, checks));
    assert.deepEqual({ line: missing!.line, column: missing!.column }, positionOf(unknown, '*nope'));
    assert.match(missing!.message, /unknown alias \*nope/u);
  });

  it('duplicate keys are found in every mapping, nested and flow ones included, at the repeated key', () => {
    const text = 'a: 1\nb: {x: 1, y: 2, x: 3}\nc:\n  - k: 1\n    k: 2\n';
    const problems = parseYamlText(text).problems;
    assert.deepEqual(
      problems.map((problem) => [problem.offset, problem.message]),
      [
        [text.indexOf('x: 3'), 'Map keys must be unique'],
        [text.indexOf('k: 2'), 'Map keys must be unique'],
      ],
    );
    // 1 and "1" are different keys, as in the yaml package's own check.
    assert.deepEqual(parseYamlText('1: a\n"1": b\n').problems, []);
  });
});

describe('toPlainData (YAML → plain data, linear in the nodes)', () => {
  const data = (text: string): unknown => toPlainData(parseYamlText(text));

  it('gives what yaml.parse gives for ordinary documents', () => {
    for (const text of [
      'a: 1\nb: [true, null, "x", 2.5]\nc: {d: e}\n',
      '- &x {k: v}\n- *x\n- [*x, *x]\n',
      '~: null key\n1: number key\ntrue: boolean key\n',
      '',
      'just a scalar\n',
    ]) {
      assert.deepEqual(data(text), parse(text), text);
    }
  });

  it('keeps a key named __proto__ as data, never as the prototype', () => {
    const value = data('__proto__: {polluted: true}\n') as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses nesting deeper than MAX_DEPTH with the position of the deepest node', () => {
    const depth = MAX_DEPTH + 5;
    const text = `${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
    const parsed = parseYamlText(text);
    if (parsed.problems.length > 0) {
      // This parser already gave up on the nesting, in readable words.
      assert.match(parsed.problems[0]?.message ?? '', /nested too deeply/u);
      return;
    }
    assert.throws(() => toPlainData(parsed), (error: unknown) => error instanceof YamlDepthError && error.offset > 0);
  });

  it('a document nested too deeply for the parser is a located input error, not a JavaScript message', () => {
    const text = `version: 1\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const [issue] = inputIssues(() => parseRules(text, FILE, checks));
    assert.ok(issue);
    assert.equal(issue.line, 2);
    assert.match(issue.message, /nested too deeply|nested more than/u);
    assert.doesNotMatch(issue.message, /call stack/u);
  });
});

describe('alias count bound (before parsing)', () => {
  it('refuses a document with more than MAX_ALIASES aliases at the first alias past the bound, without parsing it', () => {
    const aliases = Array.from({ length: MAX_ALIASES + 1 }, () => '*a').join(', ');
    const text = `version: 1\nx: &a [1]\nl: [${aliases}]\n`;
    const [issue, ...rest] = inputIssues(() => parseRules(text, FILE, checks));
    assert.equal(rest.length, 0);
    assert.ok(issue);
    assert.equal(issue.line, 3);
    assert.equal(issue.column, 5 + MAX_ALIASES * 4, 'the column of the alias past the bound');
    assert.match(issue.message, /more than 100,000 aliases/u);
  });

  it('counts only alias tokens: globs such as "trail/legacy-*" in suppressions are not aliases', () => {
    const text = `version: 1\nsuppressions:\n${Array.from({ length: 20 }, (_, index) => `  - {check: CloudTrail.4, resource: "arn:aws:cloudtrail:*:*:trail/legacy-${String(index)}*", reason: r, expires: 2026-12-31}`).join('\n')}\n`;
    assert.deepEqual(parseYamlText(text, { maxAliases: 0 }).problems, []);
  });
});
