/**
 * Loading must stay linear in the size of the file: a rules.yaml of 1 MB took 4.3 s and one of
 * 5 MB 61 s when the yaml package compared every key of a mapping with every earlier key. A timed
 * test would be flaky on a shared machine, so this compares the CPU time of loading two inputs,
 * one 8 times the other: linear work costs about 8 times as much, quadratic work 64 times. The
 * bound (24) leaves room for noise and is still far below what a quadratic loader would take.
 */
import { strict as assert } from 'node:assert';
import { parseTemplate } from '../../src/collect/cloudformation/parse.js';
import { loadCheckText, loadChecks } from '../../src/load/loadChecks.js';
import { parseRules } from '../../src/load/loadRules.js';

const checks = loadChecks();
const SMALL = 800;
const FACTOR = 8;
const BOUND = 24;

function cpuMicros(work: () => void): number {
  const runs: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    runs.push(used.user + used.system);
  }
  return runs.sort((a, b) => a - b)[1]!;
}

/** Loading errors are expected here (unknown checks, unexpected keys): every one is located too. */
function ignoringInputErrors(load: () => unknown): () => void {
  return () => {
    try {
      load();
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'InputError') {
        throw error;
      }
    }
  };
}

function assertLinear(name: string, input: (entries: number) => string, load: (text: string) => unknown): void {
  const small = input(SMALL);
  const large = input(SMALL * FACTOR);
  ignoringInputErrors(() => load(small))(); // warm-up: the first run compiles the code
  const ratio = cpuMicros(ignoringInputErrors(() => load(large))) / Math.max(1, cpuMicros(ignoringInputErrors(() => load(small))));
  assert.ok(ratio < BOUND, `${name}: ${FACTOR}× the entries cost ${ratio.toFixed(1)}× the CPU time (linear ≈ ${FACTOR}, quadratic ≈ ${FACTOR * FACTOR})`);
}

const lines = (entries: number, line: (index: number) => string): string => Array.from({ length: entries }, (_, index) => line(index)).join('\n');

describe('loading is linear in the size of the file', function () {
  this.timeout(60_000);

  it('rules.yaml: a large mapping, one located issue per entry', () => {
    assertLinear('rules.yaml', (entries) => `version: 1\nchecks:\n${lines(entries, (index) => `  Custom.${String(index)}: off`)}\n`, (text) => parseRules(text, 'rules.yaml', checks));
  });

  it('rules.yaml: many suppressions', () => {
    assertLinear(
      'suppressions',
      (entries) => `version: 1\nsuppressions:\n${lines(entries, (index) => `  - {check: CloudTrail.4, resource: "trail/t-${String(index)}", reason: r, expires: 2027-06-30}`)}\n`,
      (text) => parseRules(text, 'rules.yaml', checks),
    );
  });

  // yaml's own toJS() found each alias's anchor by scanning every node before it: 200,000 aliases
  // (600 KB) took 6.5 minutes. Every alias here stands for one small scalar, far under the bound.
  it('rules.yaml: many aliases of one anchor', () => {
    assertLinear('aliases', (entries) => `version: 1\nx: &s "A"\nl: [${Array.from({ length: entries }, () => '*s').join(', ')}]\n`, (text) => parseRules(text, 'rules.yaml', checks));
  });

  it('a check file with many aliases', () => {
    assertLinear('check aliases', (entries) => `id: CloudTrail.1\nx: &s "A"\nl: [${Array.from({ length: entries }, () => '*s').join(', ')}]\n`, (text) => loadCheckText(text, 'CloudTrail.1.yaml'));
  });

  it('a check file with a large mapping', () => {
    assertLinear('check file', (entries) => `id: CloudTrail.1\n${lines(entries, (index) => `extra${String(index)}: x`)}\n`, (text) => loadCheckText(text, 'CloudTrail.1.yaml'));
  });

  it('a CloudFormation template with many resources', () => {
    assertLinear(
      'template',
      (entries) => `Resources:\n${lines(entries, (index) => `  Bucket${String(index)}:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: &n${String(index)} b${String(index)}, Tags: [{Key: k, Value: *n${String(index)}}]}`)}\n`,
      (text) => parseTemplate(text, 'template.yaml'),
    );
  });
});
