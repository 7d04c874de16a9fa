/**
 * What the pipeline hands the formatters: the engine's suppression register and the parameters
 * each enabled check actually ran with (defaults merged with the rules file's overrides).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateAndReport, prepare } from '../../src/cli/pipeline.js';
import { FORMATTERS } from '../../src/report/index.js';
import { factSet } from '../engine/fixtures.js';

describe('report context (pipeline)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-context-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function run(rules: string): ReturnType<typeof evaluateAndReport> {
    writeFileSync(join(dir, 'rules.yaml'), rules);
    const prepared = prepare({
      rules: 'rules.yaml',
      checks: ['CloudTrail.4', 'CloudTrail.9', 'CloudTrail.10'],
      format: ['json', 'markdown'],
      outputDir: dir,
      allowUnknown: false,
      cwd: dir,
    });
    const now = new Date('2026-06-15T12:00:00Z');
    return evaluateAndReport(prepared, factSet({ trails: [] }), { outputDir: dir, startedAt: now, inputs: [], now, formatters: FORMATTERS });
  }

  it('carries the effective parameters of every enabled check that declares any, into JSON and Markdown', async () => {
    const outcome = await run('version: 1\nchecks:\n  CloudTrail.9:\n    parameters:\n      requiredTagKeys: [owner, env]\nreports: [json]\n');
    assert.deepEqual(outcome.context.checkParameters, { 'CloudTrail.9': { requiredTagKeys: ['owner', 'env'] }, 'CloudTrail.10': { kmsKeyArns: [] } });
    const json = JSON.parse(readFileSync(join(dir, 'trailaudit.json'), 'utf8')) as { checkParameters?: unknown };
    assert.deepEqual(json.checkParameters, outcome.context.checkParameters);
    const markdown = readFileSync(join(dir, 'trailaudit.md'), 'utf8');
    assert.match(markdown, /\| Check parameters \| CloudTrail\.9 `requiredTagKeys` = `\["owner","env"\]` \(default `\[\]`\) \|\n/u);
    assert.doesNotMatch(markdown, /kmsKeyArns/u, 'a parameter at its default is not listed');
  });

  it('says "all defaults" when the rules file changes none', async () => {
    const outcome = await run('version: 1\nreports: [json]\n');
    assert.deepEqual(outcome.context.checkParameters, { 'CloudTrail.9': { requiredTagKeys: [] }, 'CloudTrail.10': { kmsKeyArns: [] } });
    assert.match(readFileSync(join(dir, 'trailaudit.md'), 'utf8'), /\| Check parameters \| all defaults \|\n/u);
  });

  it('passes the engine suppression register through unchanged', async () => {
    const outcome = await run(
      'version: 1\nsuppressions:\n  - check: CloudTrail.9\n    resource: "*"\n    reason: nothing to accept\n    expires: "2026-12-31"\nreports: [json]\n',
    );
    assert.equal(outcome.context.suppressions, outcome.evaluation.suppressions);
    assert.deepEqual(outcome.context.suppressions.map((r) => [r.suppression.reason, r.state]), [['nothing to accept', 'unused']]);
  });
});
