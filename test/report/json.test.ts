import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { describe, it } from 'mocha';
import { BaselineError, formatJson, parseBaseline } from '../../src/report/json.js';
import {
  BUCKET_CROSS,
  CHECKS,
  EXPECTED_SUMMARY,
  FINDINGS,
  SUPPRESSION_EXPIRED,
  SUPPRESSION_LEGACY,
  SUPPRESSION_SANDBOX,
  SUPPRESSION_UNUSED,
  TRAIL_PIPE,
  makeContext,
} from './fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as object;

/*
 * ajv-formats is declared in package.json but not present in node_modules here, so the two
 * formats the schema uses are registered directly (RFC 3339 shapes); strict mode would otherwise
 * reject the unknown formats, which also proves the schema uses no others.
 */
function compileSchema(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
  return ajv.compile(schema);
}

type Json = Record<string, unknown>;

function render(): Json {
  return JSON.parse(formatJson(FINDINGS, makeContext())) as Json;
}

describe('JSON report', () => {
  const validate = compileSchema();

  it('validates against schemas/report.schema.json', () => {
    const report = render();
    const ok = validate(report);
    assert.equal(ok, true, JSON.stringify(validate.errors, null, 2));
  });

  it('carries the effective check parameters when some check declares any, and validates', () => {
    const checkParameters = { 'CloudTrail.9': { requiredTagKeys: ['owner'] }, 'CloudTrail.10': { kmsKeyArns: [] } };
    const report = JSON.parse(formatJson(FINDINGS, makeContext({ checkParameters }))) as Json;
    assert.deepEqual(report.checkParameters, checkParameters);
    assert.equal(validate(report), true, JSON.stringify(validate.errors));
    assert.ok(!('checkParameters' in render()), 'absent when no enabled check declares parameters');
  });

  it("names the caller's principal in scope when the facts have one, and validates", () => {
    const principalArn = 'arn:aws:sts::111122223333:assumed-role/Auditor/ci';
    const scope = { source: 'live' as const, accounts: ['111122223333'], regions: ['us-east-1'], inputs: [], principalArn };
    const report = JSON.parse(formatJson(FINDINGS, makeContext({ scope }))) as Json;
    assert.equal((report.scope as Json).principalArn, principalArn);
    assert.equal(validate(report), true, JSON.stringify(validate.errors));
    const timedOut = JSON.parse(
      formatJson([{ ...FINDINGS[0]!, status: 'UNKNOWN', reason: 'timeout' }], makeContext({ scope })),
    ) as Json;
    assert.equal(validate(timedOut), true, `reason timeout is in the schema: ${JSON.stringify(validate.errors)}`);
  });

  it('records --framework in scope (absent without one), and validates; the schema takes no other name', () => {
    const scope = { ...makeContext().scope, framework: 'cis-3.0' };
    const report = JSON.parse(formatJson(FINDINGS, makeContext({ scope }))) as Json;
    assert.equal((report.scope as Json).framework, 'cis-3.0');
    assert.equal(validate(report), true, JSON.stringify(validate.errors));
    assert.ok(!('framework' in (render().scope as Json)));
    (report.scope as Json).framework = 'cis-aws-3.0.0';
    assert.equal(validate(report), false, 'a frameworks key is not a --framework name');
  });

  it('validates an empty audit too', () => {
    const report = JSON.parse(formatJson([], makeContext({ suppressions: [] }))) as Json;
    assert.equal(validate(report), true, JSON.stringify(validate.errors));
    assert.deepEqual(report.summary, { PASS: 0, FAIL: 0, UNKNOWN: 0, NOT_APPLICABLE: 0, suppressed: 0 });
  });

  describe('the schema rejects broken reports', () => {
    const cases: [string, (r: Json) => void][] = [
      ['an unknown status', (r) => { (r.findings as Json[])[0]!.status = 'WARN'; }],
      ['a resource without accountId', (r) => { delete ((r.findings as Json[])[0]!.resource as Json).accountId; }],
      ['a resource without type', (r) => { delete ((r.findings as Json[])[0]!.resource as Json).type; }],
      ['an extra property on a finding', (r) => { (r.findings as Json[])[0]!.extra = 1; }],
      ['an UNKNOWN without a reason', (r) => { (r.findings as Json[]).find((f) => f.status === 'UNKNOWN')!.reason = null; }],
      ['a FAIL with a reason', (r) => { (r.findings as Json[])[0]!.reason = 'access_denied'; }],
      ['a reason outside the enum', (r) => { (r.findings as Json[]).find((f) => f.status === 'UNKNOWN')!.reason = 'forbidden'; }],
      ['a negative count', (r) => { (r.summary as Json).FAIL = -1; }],
      ['a missing summary', (r) => { delete r.summary; }],
      ['a lower-case finding severity', (r) => { (r.findings as Json[])[0]!.severity = 'low'; }],
      ['a bad suppression state', (r) => { (r.suppressions as Json[])[0]!.state = 'stale'; }],
      ['schemaVersion 2', (r) => { r.schemaVersion = 2; }],
      ['a location without line', (r) => {
        ((r.findings as Json[])[0]!.resource as Json).location = { file: 'a.yaml', column: 1 };
      }],
    ];
    for (const [name, breakIt] of cases) {
      it(`rejects ${name}`, () => {
        const report = render();
        assert.equal(validate(report), true, 'fixture must be valid before it is broken');
        breakIt(report);
        assert.equal(validate(report), false);
      });
    }
  });

  it('accepts an IaC resource with name and location', () => {
    const report = render();
    ((report.findings as Json[])[0]!.resource as Json).location = { file: 'template.yaml', line: 12, column: 3 };
    assert.equal(validate(report), true, JSON.stringify(validate.errors));
  });

  it('counts every finding by status, with suppressed findings keeping their status', () => {
    assert.deepEqual(render().summary, EXPECTED_SUMMARY);
  });

  it('lists every enabled check under controls, in check order, with per-status counts', () => {
    const controls = render().controls as Json[];
    assert.deepEqual(
      controls.map((c) => c.control),
      CHECKS.map((c) => c.id),
    );
    const ct4 = controls.find((c) => c.control === 'CloudTrail.4')!;
    assert.deepEqual(
      { ...ct4, title: undefined },
      { control: 'CloudTrail.4', title: undefined, severity: 'LOW', verdict: 'FAIL', PASS: 1, FAIL: 2, UNKNOWN: 0, NOT_APPLICABLE: 1, suppressed: 1 },
    );
    const ct10 = controls.find((c) => c.control === 'CloudTrail.10')!;
    assert.equal(ct10.PASS, 0);
    assert.equal(ct10.FAIL, 0);
    assert.equal(ct10.verdict, 'NOT_APPLICABLE');
    assert.equal(controls.find((c) => c.control === 'CloudTrail.6')!.verdict, 'UNKNOWN');
    // Control totals add up to the summary.
    for (const key of ['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE', 'suppressed'] as const) {
      assert.equal(
        controls.reduce((sum, c) => sum + (c[key] as number), 0),
        EXPECTED_SUMMARY[key],
        key,
      );
    }
  });

  it('reports every configured suppression with its state and match count', () => {
    const suppressions = render().suppressions as Json[];
    assert.deepEqual(
      suppressions.map((s) => [s.resource, s.state, s.matched, s.unknownMatched]),
      [
        [SUPPRESSION_LEGACY.resource, 'active', 1, 0],
        // It matched only an UNKNOWN finding, which a suppression cannot accept.
        [SUPPRESSION_SANDBOX.resource, 'unused', 1, 1],
        [SUPPRESSION_EXPIRED.resource, 'expired', 1, 0],
        [SUPPRESSION_UNUSED.resource, 'unused', 0, 0],
      ],
    );
    assert.equal(suppressions[3]!.region, 'eu-*');
    assert.ok(!('region' in suppressions[0]!), 'region only when the suppression has one');
  });

  it('carries every Finding field unchanged, in the given order', () => {
    const findings = render().findings as Json[];
    assert.deepEqual(findings, JSON.parse(JSON.stringify(FINDINGS)));
    assert.deepEqual(Object.keys(findings[0]!), [
      'checkId', 'control', 'title', 'severity', 'status', 'reason', 'resource', 'location',
      'message', 'evidence', 'remediation', 'frameworks', 'suppressed', 'unknowns',
    ]);
  });

  it('carries scope, times, threshold and stats', () => {
    const report = render();
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.tool, { name: 'trailaudit', version: '0.1.0' });
    assert.deepEqual(report.scope, { source: 'live', accounts: ['111122223333'], regions: ['eu-west-1', 'us-east-1', 'us-west-2'], inputs: [] });
    assert.equal(report.failOn, 'low');
    assert.equal(report.startedAt, '2025-01-15T10:00:00.000Z');
    assert.deepEqual((report.stats as Json).durationMs, 2500);
    assert.equal(((report.stats as Json).apiCalls as Json)['s3:GetBucketAcl'], 4);
  });

  it('is pretty-printed, newline-terminated and deterministic', () => {
    const a = formatJson(FINDINGS, makeContext());
    const b = formatJson(FINDINGS, makeContext());
    assert.equal(a, b);
    assert.ok(a.endsWith('}\n'));
    assert.ok(a.includes('\n  "schemaVersion": 1,'));
  });
});

describe('parseBaseline', () => {
  it('reads back a report written by formatJson', () => {
    const baseline = parseBaseline(formatJson(FINDINGS, makeContext()), 'prev.json');
    assert.equal(baseline.file, 'prev.json');
    assert.equal(baseline.finishedAt, '2025-01-15T10:00:02.500Z');
    assert.equal(baseline.findings.length, FINDINGS.length);
    const pipe = baseline.findings.find((f) => f.resource.id === TRAIL_PIPE)!;
    assert.equal(pipe.control, 'CloudTrail.4');
    assert.equal(pipe.status, 'FAIL');
    assert.equal(pipe.resource.region, 'us-east-1');
    assert.equal(pipe.suppressed, null);
    const suppressed = baseline.findings.filter((f) => f.suppressed !== null);
    assert.equal(suppressed.length, 1);
    assert.equal(baseline.findings.find((f) => f.resource.id === BUCKET_CROSS)!.resource.accountId, '444455556666');
  });

  it('ignores fields it does not need (reports from later versions still work)', () => {
    const report = render();
    report.futureField = { x: 1 };
    assert.equal(parseBaseline(JSON.stringify(report), 'prev.json').findings.length, FINDINGS.length);
  });

  const bad: [string, (r: Json) => unknown, RegExp][] = [
    ['not JSON', () => '{"schemaVersion": 1,', /^old\.json: \$: not valid JSON/],
    ['an array root', () => [], /^old\.json: \$: expected a trailaudit JSON report object, found an array/],
    ['a wrong schemaVersion', (r) => ({ ...r, schemaVersion: 7 }), /^old\.json: \$\.schemaVersion: expected 1, found number 7/],
    ['some other JSON object', () => ({ hello: 1 }), /^old\.json: \$\.schemaVersion: expected 1, found nothing \(the field is missing\)$/],
    ['a missing finishedAt', (r) => ({ ...r, finishedAt: undefined }), /^old\.json: \$\.finishedAt: expected a string/],
    ['findings not an array', (r) => ({ ...r, findings: {} }), /^old\.json: \$\.findings: expected an array, found an object/],
    ['a finding that is not an object', (r) => { (r.findings as unknown[])[1] = 'x'; return r; }, /^old\.json: \$\.findings\[1\]: expected an object/],
    ['a bad status', (r) => { (r.findings as Json[])[2]!.status = 'WARN'; return r; }, /^old\.json: \$\.findings\[2\]\.status: expected one of PASS, FAIL, UNKNOWN, NOT_APPLICABLE, found "WARN"/],
    ['a numeric resource id', (r) => { ((r.findings as Json[])[3]!.resource as Json).id = 42; return r; }, /^old\.json: \$\.findings\[3\]\.resource\.id: expected a string, found number 42/],
    ['a missing resource', (r) => { delete (r.findings as Json[])[0]!.resource; return r; }, /^old\.json: \$\.findings\[0\]\.resource: expected an object/],
    ['a numeric accountId', (r) => { ((r.findings as Json[])[0]!.resource as Json).accountId = 1; return r; }, /^old\.json: \$\.findings\[0\]\.resource\.accountId: expected a string or null/],
    ['a malformed suppression mark', (r) => { (r.findings as Json[])[4]!.suppressed = { reason: 'x' }; return r; }, /^old\.json: \$\.findings\[4\]\.suppressed\.expires: expected a string/],
  ];
  for (const [name, mutate, expected] of bad) {
    it(`rejects ${name}, naming the file and the JSON path`, () => {
      const mutated = mutate(render());
      const text = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
      assert.throws(() => parseBaseline(text, 'old.json'), (error: unknown) => {
        assert.ok(error instanceof BaselineError);
        assert.match(error.message, expected);
        // The CLI reports file and path itself, so the problem alone must not repeat them.
        assert.ok(!error.problem.includes('old.json') && !error.problem.startsWith('$'), error.problem);
        return true;
      });
    });
  }
});
