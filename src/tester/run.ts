/**
 * Running a case: the real check, configured as rules.yaml would configure it with the case's
 * `params`, evaluated over the facts the case describes; its findings must be exactly the expected
 * ones. Mismatches are thrown as node:assert AssertionErrors, which a test runner and the
 * `test-checks` command both report.
 */
import { strict as assert } from 'node:assert';
import { evaluate } from '../engine/evaluate.js';
import type { CheckDefinition, Finding } from '../engine/types.js';
import { enabledChecks, parseRules } from '../load/loadRules.js';
import { coverageProblem, type CaseTable, type CheckCase, type Expectation } from './caseTable.js';
import { TODAY } from './compact.js';
import { buildFacts } from './facts.js';

/** Evaluate one check (as rules.yaml would configure it with `params`) over the case's facts. */
export function runCase(checks: readonly CheckDefinition[], checkId: string, testCase: Pick<CheckCase, 'name' | 'params' | 'facts'>): Finding[] {
  const rulesText = JSON.stringify({ version: 1, checks: { [checkId]: { parameters: testCase.params ?? {} } } });
  const rules = parseRules(rulesText, `case "${testCase.name}" params`, checks);
  const enabled = enabledChecks(checks, rules, [checkId]);
  assert.equal(enabled.length, 1, `exactly one enabled check for ${checkId}`);
  return [...evaluate({ checks: enabled, facts: buildFacts(testCase.facts), suppressions: [], today: TODAY }).findings];
}

export function findingMatches(finding: Finding, expectation: Expectation): boolean {
  return (
    finding.status === expectation.status &&
    (finding.resource.id === expectation.resource || finding.resource.name === expectation.resource) &&
    (expectation.region === undefined || finding.resource.region === expectation.region) &&
    (expectation.reason === undefined || finding.reason === expectation.reason) &&
    (expectation.message === undefined || finding.message.includes(expectation.message))
  );
}

function describeFinding(finding: Finding): string {
  const reason = finding.reason === null ? '' : ` (${finding.reason})`;
  return `${finding.status}${reason} ${finding.resource.id} [${finding.resource.region}]: ${finding.message}`;
}

function describeExpectation(expectation: Expectation): string {
  return JSON.stringify(expectation);
}

/** Invariants every finding must satisfy, whatever the check. */
export function assertWellFormed(finding: Finding): void {
  assert.equal(finding.reason === null, finding.status !== 'UNKNOWN', `reason is set exactly for UNKNOWN: ${describeFinding(finding)}`);
  assert.equal(finding.remediation !== '', finding.status === 'FAIL', `remediation is rendered exactly for FAIL: ${describeFinding(finding)}`);
  assert.doesNotMatch(finding.message, /\{\{/u, `message has no unrendered placeholder: ${finding.message}`);
  assert.doesNotMatch(finding.remediation, /\{\{/u, `remediation has no unrendered placeholder: ${finding.remediation}`);
  if (finding.status === 'UNKNOWN') {
    assert.ok(finding.unknowns.length > 0, `an UNKNOWN finding says what could not be read: ${describeFinding(finding)}`);
  }
}

/**
 * The findings are exactly the expected ones: a one-to-one matching between expectations and
 * findings (augmenting paths, so a loose expectation cannot steal a finding a strict one needs).
 */
export function assertFindingsMatch(findings: readonly Finding[], expectations: readonly Expectation[]): void {
  const ownerOf = new Map<number, number>(); // finding index → expectation index
  const tryAssign = (e: number, seen: Set<number>): boolean => {
    const expectation = expectations[e];
    if (expectation === undefined) {
      return false;
    }
    for (let f = 0; f < findings.length; f += 1) {
      const finding = findings[f];
      if (finding === undefined || seen.has(f) || !findingMatches(finding, expectation)) {
        continue;
      }
      seen.add(f);
      const owner = ownerOf.get(f);
      if (owner === undefined || tryAssign(owner, seen)) {
        ownerOf.set(f, e);
        return true;
      }
    }
    return false;
  };
  const unmatched = expectations.filter((_expectation, e) => !tryAssign(e, new Set()));
  const unexpected = findings.filter((_finding, f) => !ownerOf.has(f));
  if (unmatched.length > 0 || unexpected.length > 0) {
    throw new assert.AssertionError({
      message: [
        'findings do not match the expectations',
        ...unmatched.map((expectation) => `  expected but not found: ${describeExpectation(expectation)}`),
        ...unexpected.map((finding) => `  found but not expected: ${describeFinding(finding)}`),
        '  all findings:',
        ...findings.map((finding) => `    ${describeFinding(finding)}`),
      ].join('\n'),
    });
  }
}

/** Run one case and assert its findings. */
export function checkCase(checks: readonly CheckDefinition[], checkId: string, testCase: CheckCase): Finding[] {
  const findings = runCase(checks, checkId, testCase);
  findings.forEach(assertWellFormed);
  assertFindingsMatch(findings, testCase.expect);
  return findings;
}

/**
 * Run a case marked pending: 'pending' while it still fails, an AssertionError once it passes
 * (the disagreement was fixed: remove the marker so the case guards the fix).
 */
export function checkPendingCase(checks: readonly CheckDefinition[], checkId: string, testCase: CheckCase): 'pending' {
  try {
    checkCase(checks, checkId, testCase);
  } catch {
    return 'pending';
  }
  throw new assert.AssertionError({ message: `case "${testCase.name}" is marked pending (${testCase.pending ?? ''}) but passes now: remove "pending"` });
}

/** Every check must be shown passing, failing, not applicable and unknown. */
export function assertCoverage(table: CaseTable): void {
  const problem = coverageProblem(table);
  if (problem !== null) {
    throw new assert.AssertionError({ message: problem });
  }
}
