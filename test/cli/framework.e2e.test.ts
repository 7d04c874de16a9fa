/**
 * `--framework` end to end through the built CLI, no AWS: `scan` of a fixture template and
 * `evaluate` of a built snapshot run only the checks mapped to the framework (the expected set is
 * read from the check files here, independently of the loader), `--checks` intersects, the
 * pattern set reaches a check that declares `patternSet` unless rules.yaml sets it, the report
 * records the framework, and `checks --format markdown` shows every check's framework ids.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { buildFacts } from '../../src/tester/index.js';
import { BUILT_IN_CHECK_FILES } from '../helpers/builtInChecks.js';
import { runCli } from './runCli.js';

interface CheckFile {
  readonly id: string;
  readonly folder: string;
  readonly frameworks: Record<string, string[] | undefined>;
}

/** The built-in checks as their files declare them (not through src/load). */
const CHECK_FILES: readonly CheckFile[] = BUILT_IN_CHECK_FILES.map((file) => {
  const data = parse(readFileSync(file, 'utf8')) as { id: string; frameworks?: Record<string, string[]> };
  return { id: data.id, folder: basename(dirname(file)), frameworks: data.frameworks ?? {} };
});

const KEYS: Record<string, string> = { securityhub: 'securityhub', 'cis-1.4': 'cis-aws-1.4.0', 'cis-3.0': 'cis-aws-3.0.0', 'cis-5.0': 'cis-aws-5.0.0' };

function mappedTo(name: string): string[] {
  const key = KEYS[name]!;
  return CHECK_FILES.filter((check) => (check.frameworks[key] ?? []).length > 0).map((check) => check.id);
}

const TEMPLATE = new URL('../fixtures/cloudformation/compliant.yaml', import.meta.url).pathname;
const REPORT_SCHEMA = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as object;

interface Report {
  scope: { framework?: string };
  controls: { control: string }[];
  findings: { control: string; message: string }[];
  checkParameters?: Record<string, Record<string, unknown>>;
}

/** A user check that declares patternSet and says which set it ran with in every message. */
const PROBE = `id: PatternProbe.1
title: Reports the metric-filter pattern set it ran with
description: A test check for --framework's patternSet.
severity: low
resourceType: AWS::CloudTrail::Trail
scope: resource
given: $.trails
assert: { path: logFileValidationEnabled, op: eq, value: true }
parameters:
  patternSet: { type: string, default: securityhub, description: which metric-filter patterns to compare with }
messages:
  pass: Trail {{resource.name}} checked with pattern set {{param.patternSet}}.
  fail: Trail {{resource.name}} failed with pattern set {{param.patternSet}}.
  notApplicable: Trail {{resource.name}} not applicable with pattern set {{param.patternSet}}.
  none: No trails (pattern set {{param.patternSet}}).
  unknown: Unknown with pattern set {{param.patternSet}}.
evidence: [logFileValidationEnabled]
remediation:
  text: Nothing.
  cli: "true"
  cloudformation: "{}"
  terraform: "{}"
  url: https://example.com/probe
frameworks:
  securityhub: [PatternProbe.1]
  cis-aws-5.0.0: ["4.1"]
needs: [trails]
`;

describe('--framework (CLI, no AWS)', () => {
  let work: string;
  let run = 0;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-framework-'));
    // Every check on, whatever the built-in defaults say: the expected sets are the files' mappings.
    writeFileSync(join(work, 'rules.yaml'), 'version: 1\n');
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  async function scan(args: readonly string[]): Promise<{ code: number | null; stderr: string; report: Report | null; markdown: string }> {
    run += 1;
    const out = join(work, `out${run}`);
    const result = await runCli(['scan', TEMPLATE, '--format', 'json,markdown', '--output-dir', out, '--quiet', ...args], { cwd: work });
    const file = join(out, 'trailaudit.json');
    return {
      code: result.code,
      stderr: result.stderr,
      report: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Report) : null,
      markdown: existsSync(file) ? readFileSync(join(out, 'trailaudit.md'), 'utf8') : '',
    };
  }

  const controls = (report: Report | null): string[] => (report?.controls ?? []).map((entry) => entry.control).sort();

  it('scan --framework X evaluates exactly the checks mapped to X, for every framework, and records X', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/u);
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/iu);
    const validate = ajv.compile(REPORT_SCHEMA);
    for (const name of Object.keys(KEYS)) {
      const expected = mappedTo(name).sort();
      assert.ok(expected.length > 0, `some built-in check is mapped to ${name}`);
      const { code, stderr, report, markdown } = await scan(['--framework', name]);
      assert.notEqual(code, 2, stderr);
      assert.deepEqual(controls(report), expected, name);
      assert.equal(report?.scope.framework, name);
      assert.equal(validate(report), true, JSON.stringify(validate.errors));
      assert.match(markdown, new RegExp(`^\\| Framework \\| \`${name}\` \\(.*frameworks\\.${KEYS[name]!.replace(/\./gu, '\\.')}`, 'mu'));
    }
    // cis-5.0 leaves out checks that only older CIS versions or Security Hub map (the files say which).
    assert.ok(mappedTo('cis-5.0').length < CHECK_FILES.length);
  });

  it('without --framework: every check, no framework in the report', async () => {
    const { report, markdown } = await scan([]);
    assert.deepEqual(controls(report), CHECK_FILES.map((check) => check.id).sort());
    assert.equal(report !== null && 'framework' in report.scope, false);
    assert.doesNotMatch(markdown, /^\| Framework \|/mu);
  });

  it('--framework with --checks: the intersection; an id outside the framework is exit 2 naming it, no report', async () => {
    const inside = mappedTo('cis-5.0');
    const outside = CHECK_FILES.map((check) => check.id).find((id) => !inside.includes(id));
    assert.ok(outside !== undefined && inside.length >= 2);
    const picked = inside.slice(0, 2);
    const both = await scan(['--framework', 'cis-5.0', '--checks', picked.join(',')]);
    assert.deepEqual(controls(both.report), [...picked].sort());

    const bad = await scan(['--framework', 'cis-5.0', '--checks', `${picked[0]!},${outside}`]);
    assert.equal(bad.code, 2);
    assert.equal(bad.report, null);
    assert.match(bad.stderr, new RegExp(`--checks: ${outside.replace(/\./gu, '\\.')} is not in framework cis-5\\.0`, 'u'));
    assert.doesNotMatch(bad.stderr, /\n\s+at /u, 'no stack trace');
  });

  it('an unknown framework is bad usage listing the valid ones', async () => {
    const { code, stderr } = await scan(['--framework', 'cis-2.0']);
    assert.equal(code, 2);
    assert.match(stderr, /securityhub, cis-1\.4, cis-3\.0, cis-5\.0/u);
  });

  it('rules.yaml off wins over --framework', async () => {
    const [off, ...rest] = mappedTo('cis-5.0');
    writeFileSync(join(work, 'rules.yaml'), `version: 1\nchecks:\n  ${off!}: off\n`);
    const { report } = await scan(['--framework', 'cis-5.0']);
    assert.deepEqual(controls(report), rest.sort());
  });

  describe('pattern set (a --checks-dir check that declares patternSet)', () => {
    beforeEach(() => {
      mkdirSync(join(work, 'checks'));
      writeFileSync(join(work, 'checks', 'PatternProbe.1.yaml'), PROBE);
      // A check of our own beside it: in no framework.
      cpSync(new URL('../fixtures/user-checks/health/TrailHealth.99.yaml', import.meta.url), join(work, 'checks', 'TrailHealth.99.yaml'));
      writeFileSync(join(work, 'facts.json'), JSON.stringify(buildFacts({ trails: [{ name: 'main' }], buckets: [{ name: 'trail-logs' }] })));
    });

    async function evaluate(args: readonly string[]): Promise<{ code: number | null; stderr: string; report: Report | null }> {
      const result = await runCli(['evaluate', 'facts.json', '--checks-dir', 'checks', '--format', 'json', '--output-dir', 'out', '--quiet', ...args], { cwd: work });
      const file = join(work, 'out', 'trailaudit.json');
      return { ...result, report: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Report) : null };
    }

    const probe = (report: Report | null): { message: string | undefined; value: unknown } => ({
      message: report?.findings.find((finding) => finding.control === 'PatternProbe.1')?.message,
      value: report?.checkParameters?.['PatternProbe.1']?.patternSet,
    });

    it('without --framework the check file default; with one, the framework set', async () => {
      const plain = await evaluate([]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.deepEqual(probe(plain.report), { message: 'Trail main checked with pattern set securityhub.', value: 'securityhub' });
      assert.deepEqual(controls(plain.report), ['PatternProbe.1', 'TrailHealth.99']);

      const cis = await evaluate(['--framework', 'cis-5.0']);
      assert.deepEqual(probe(cis.report), { message: 'Trail main checked with pattern set cis-5.0.', value: 'cis-5.0' });
      // TrailHealth.99 is mapped to cis-aws-5.0.0 in this fixture, so it stays; PatternProbe.1 is in securityhub too.
      assert.deepEqual(controls(cis.report), ['PatternProbe.1', 'TrailHealth.99']);
      const hub = await evaluate(['--framework', 'securityhub']);
      assert.deepEqual(controls(hub.report), ['PatternProbe.1']);
      assert.equal(probe(hub.report).value, 'securityhub');
    });

    it('a patternSet in rules.yaml wins over --framework', async () => {
      writeFileSync(join(work, 'rules.yaml'), 'version: 1\nchecks:\n  PatternProbe.1: {parameters: {patternSet: cis-3.0}}\n');
      const { report } = await evaluate(['--framework', 'cis-5.0']);
      assert.deepEqual(probe(report), { message: 'Trail main checked with pattern set cis-3.0.', value: 'cis-3.0' });
    });

    it('a framework none of the loaded checks maps to is exit 2, for evaluate, iam-policy and checks alike', async () => {
      const evaluated = await evaluate(['--framework', 'cis-1.4']);
      assert.equal(evaluated.code, 2);
      assert.match(evaluated.stderr, /--framework: no loaded check is mapped to cis-1\.4/u);
      for (const command of ['iam-policy', 'checks']) {
        const result = await runCli([command, '--checks-dir', 'checks', '--framework', 'cis-1.4'], { cwd: work });
        assert.equal(result.code, 2, command);
        assert.match(result.stderr, /no loaded check is mapped to cis-1\.4/u, command);
      }
    });
  });

  describe('checks (the catalogue)', () => {
    it('a flat --checks-dir is one group; a check the built-in rules.yaml does not name is on by default', async () => {
      mkdirSync(join(work, 'checks'));
      cpSync(new URL('../fixtures/user-checks/health/TrailHealth.99.yaml', import.meta.url), join(work, 'checks', 'TrailHealth.99.yaml'));
      const { code, stdout } = await runCli(['checks', '--checks-dir', 'checks', '--format', 'markdown'], { cwd: work });
      assert.equal(code, 0);
      assert.deepEqual(stdout.match(/^## .*$/gmu), ['## (top level)']);
      assert.match(stdout, /^\| \[TrailHealth\.99\]\(#trailhealth99\) \| .* \| `trails` \| — \| — \| — \| 3\.2 \| on \|$/mu);
    });


    it('--format markdown: every check grouped under its service folder, with needs, framework ids and default', async () => {
      const { code, stdout } = await runCli(['checks', '--format', 'markdown'], { cwd: work });
      assert.equal(code, 0);
      const header = stdout.split('\n').find((line) => line.startsWith('| Control |'));
      assert.equal(header, '| Control | Title | Severity | Needs | Security Hub | CIS 1.4.0 | CIS 3.0.0 | CIS 5.0.0 | Default |');
      for (const check of CHECK_FILES) {
        const rowAt = stdout.indexOf(`| [${check.id}](#`);
        assert.ok(rowAt >= 0, `${check.id} has a row`);
        const row = stdout.slice(rowAt, stdout.indexOf('\n', rowAt));
        const cells = row.split(/(?<!\\)\|/u).slice(1, -1).map((cell) => cell.trim());
        const expectedIds = Object.values(KEYS).map((key) => (check.frameworks[key] ?? []).join(', ') || '—');
        assert.deepEqual(cells.slice(4, 8), expectedIds, check.id);
        assert.match(cells[3]!, /^`\w+`(, `\w+`)*$/u, `${check.id} lists its needs`);
        assert.equal(cells[8], 'on', `${check.id} is on in the built-in rules.yaml`);
        // Under its folder's heading: the last "## " heading before the row.
        const heading = stdout.slice(0, rowAt).match(/^## .*$/gmu)?.at(-1);
        assert.equal(heading, `## ${check.folder}`, check.id);
        assert.match(stdout, new RegExp(`^### ${check.id.replace(/\./gu, '\\.')}$`, 'mu'));
      }
    });

    it('--framework narrows the catalogue to the framework checks, in every format', async () => {
      const expected = mappedTo('cis-3.0');
      const text = await runCli(['checks', '--framework', 'cis-3.0'], { cwd: work });
      assert.equal(text.code, 0);
      assert.deepEqual(text.stdout.trim().split('\n').map((line) => line.split(/\s+/u)[0]), expected);
      const json = await runCli(['checks', '--framework', 'cis-3.0', '--format', 'json'], { cwd: work });
      assert.deepEqual((JSON.parse(json.stdout) as { id: string }[]).map((check) => check.id), expected);
      const markdown = await runCli(['checks', '--framework', 'cis-3.0', '--format', 'markdown'], { cwd: work });
      assert.match(markdown.stdout, new RegExp(`^${expected.length} checks? mapped to CIS 3\\.0\\.0 \\(\`--framework cis-3\\.0\``, 'mu'));
      assert.equal((markdown.stdout.match(/^### /gmu) ?? []).length, expected.length);
    });
  });

  it('iam-policy --framework: only the framework checks calls; an id outside it is exit 2', async () => {
    const all = await runCli(['iam-policy'], { cwd: work });
    const cis = await runCli(['iam-policy', '--framework', 'cis-5.0'], { cwd: work });
    assert.equal(cis.code, 0, cis.stderr);
    const actions = (output: string) => (JSON.parse(output) as { Statement: { Action: string[] }[] }).Statement.flatMap((statement) => statement.Action);
    assert.ok(actions(cis.stdout).every((action) => actions(all.stdout).includes(action)));
    const outside = CHECK_FILES.map((check) => check.id).find((id) => !mappedTo('cis-5.0').includes(id))!;
    const bad = await runCli(['iam-policy', '--framework', 'cis-5.0', '--checks', outside], { cwd: work });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not in framework cis-5\.0/u);
  });
});
