/**
 * An evidence projection's `where` (engine/evaluate.ts collectEvidence): CloudTrail.3's per-Region
 * finding names only the trails that cover its Region (homed there, or multi-Region), logging or
 * not, instead of every trail of the account in every Region's finding (report size, BENCHMARKS.md).
 */
import { strict as assert } from 'node:assert';
import { evaluate, evaluateCheck } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/engine/types.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { enabledChecks, parseRules } from '../../src/load/loadRules.js';
import { TODAY, buildFacts } from '../../src/tester/index.js';
import { enabled, factSet, makeCheck, ref } from '../engine/fixtures.js';

const checks = loadChecks();

function cloudTrail3(facts: Parameters<typeof buildFacts>[0]): readonly Finding[] {
  const check = enabledChecks(checks, parseRules('version: 1\n', 'rules.yaml', checks), ['CloudTrail.3']);
  return evaluate({ checks: check, facts: buildFacts(facts), suppressions: [], today: TODAY }).findings;
}

function inRegion(findings: readonly Finding[], region: string): Finding {
  const found = findings.find((f) => f.resource.region === region);
  assert.ok(found, `a finding for ${region}`);
  return found;
}

function trailNames(finding: Finding): string[] {
  return (finding.evidence.trails as { arn: string }[]).map((trail) => trail.arn.replace(/^.*:trail\//u, '')).sort();
}

describe('evidence projection with where', () => {
  const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'];
  const trails = [
    { name: 'global', homeRegion: 'us-east-1', isMultiRegion: true },
    { name: 'use1-local', homeRegion: 'us-east-1', isMultiRegion: false },
    { name: 'euw1-local', homeRegion: 'eu-west-1', isMultiRegion: false },
    { name: 'euw1-stopped', homeRegion: 'eu-west-1', isMultiRegion: false, isLogging: false },
  ];

  it('CloudTrail.3 PASS: each Region names only the trails covering it', () => {
    const findings = cloudTrail3({ regions, trails });
    assert.deepEqual(
      findings.map((f) => f.status),
      ['PASS', 'PASS', 'PASS'],
    );
    assert.deepEqual(trailNames(inRegion(findings, 'us-east-1')), ['global', 'use1-local']);
    assert.deepEqual(trailNames(inRegion(findings, 'eu-west-1')), ['euw1-local', 'euw1-stopped', 'global']);
    assert.deepEqual(trailNames(inRegion(findings, 'ap-south-1')), ['global']);
  });

  it('CloudTrail.3 FAIL: the stopped trail that would cover the Region is shown, trails of other Regions are not', () => {
    const findings = cloudTrail3({ regions, trails: trails.filter((t) => t.name !== 'global').map((t) => (t.name === 'euw1-local' ? { ...t, isLogging: false } : t)) });
    const eu = inRegion(findings, 'eu-west-1');
    assert.equal(eu.status, 'FAIL');
    assert.deepEqual(
      (eu.evidence.trails as { arn: string; isLogging: boolean }[]).map((t) => [t.arn.replace(/^.*:trail\//u, ''), t.isLogging]).sort(),
      [
        ['euw1-local', false],
        ['euw1-stopped', false],
      ],
    );
    const ap = inRegion(findings, 'ap-south-1');
    assert.equal(ap.status, 'FAIL');
    assert.deepEqual(ap.evidence.trails, [], 'no trail covers ap-south-1: an empty list, not every trail of the account');
  });

  it('a Region whose trails could not be listed keeps the gap in its evidence (undecided items stay)', () => {
    const findings = cloudTrail3({ regions, trails: [trails[2]!], trailGaps: [{ region: 'ap-south-1', reason: 'access_denied' }] });
    const ap = inRegion(findings, 'ap-south-1');
    assert.equal(ap.status, 'UNKNOWN');
    assert.equal((ap.evidence.trails as unknown[]).length, 1, 'the gap, not euw1-local');
    // In eu-west-1 too: a trail listed nowhere might be multi-Region (its isMultiRegion is unknown).
    const eu = inRegion(findings, 'eu-west-1').evidence.trails as { arn: unknown; homeRegion: string }[];
    assert.deepEqual(eu.map((t) => (typeof t.arn === 'string' ? t.arn.replace(/^.*:trail\//u, '') : `gap in ${t.homeRegion}`)).sort(), ['euw1-local', 'gap in ap-south-1']);
  });

  it('the engine keeps items the condition is unknown for and drops the false ones (generic)', () => {
    const check = makeCheck({
      given: '$.account',
      resourceType: 'AWS::::Account',
      assert: { path: 'id', op: 'exists' },
      evidence: [{ path: '$.trails', label: 'big', where: { path: 'size', op: 'gt', value: 1 }, fields: ['name'] }],
    });
    const facts = factSet({
      trails: [
        { ref: ref('a'), name: 'a', size: 2 },
        { ref: ref('b'), name: 'b', size: 1 },
        { ref: ref('c'), name: 'c', size: { $unknown: { reason: 'throttled', message: 'x' } } },
      ],
    });
    const [finding] = evaluateCheck(enabled(check), facts);
    assert.deepEqual(finding?.evidence.big, [{ name: 'a' }, { name: 'c' }]);
  });
});
