/**
 * The baseline diff as data: one implementation behind the Markdown "Changes since last audit"
 * section and SARIF's baselineState.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import type { Finding } from '../../src/engine/types.js';
import { baselineStates, continuationOf, diffFailures, findingKey } from '../../src/report/baselineDiff.js';
import { formatJson, parseBaseline } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { sarifSchemaErrors } from './sarifSchema.js';
import {
  ACCOUNT,
  BUCKET_CROSS,
  BUCKET_DENIED,
  BUCKET_SUPPRESSED,
  FINDINGS,
  PREVIOUS_FINDINGS,
  TRAIL_LEGACY,
  TRAIL_PIPE,
  TRAIL_SPECIAL,
  makeContext,
  makeFinding,
} from './fixtures.js';

const key = (f: { control: string; resource: { id: string; region: string } }): string => `${f.control} ${f.resource.id} ${f.resource.region}`;
const baseline = parseBaseline(formatJson(PREVIOUS_FINDINGS, makeContext()), 'reports/previous.json');

describe('baseline diff', () => {
  it('keys a finding by control, resource id and region (and, in a scan, the file that declares it)', () => {
    const f = FINDINGS[2]!;
    assert.equal(findingKey(f), JSON.stringify(['CloudTrail.3', ACCOUNT, 'us-east-1', null]));
    assert.notEqual(findingKey(f), findingKey(FINDINGS[1]!));
    // Two templates may declare the same logical id: they are two resources.
    const inFile = (file: string, line = 3): Finding => ({ ...f, resource: { ...f.resource, location: { file, line, column: 3 } } });
    assert.notEqual(findingKey(inFile('a.yaml')), findingKey(inFile('b.yaml')));
    // A line moved by an edit elsewhere in the file is still the same resource.
    assert.equal(findingKey(inFile('a.yaml')), findingKey(inFile('a.yaml', 9)));
    const b = inFile('b.yaml');
    assert.equal(continuationOf([inFile('a.yaml'), b])(b), b);
  });

  it('sorts previous and current unsuppressed failures into new, still failing, fixed, unconfirmed and gone', () => {
    const diff = diffFailures(FINDINGS, baseline.findings);
    assert.deepEqual(diff.newFailures.map(key), [`CloudTrail.3 ${ACCOUNT} us-east-1`]);
    assert.deepEqual(diff.stillFailing.map(key), [`CloudTrail.1 ${ACCOUNT} global`, `CloudTrail.4 ${TRAIL_PIPE} us-east-1`]);
    assert.deepEqual(
      diff.fixed.map((c) => [key(c.before), c.now.status]),
      [
        [`CloudTrail.3 ${ACCOUNT} eu-west-1`, 'PASS'],
        [`CloudTrail.4 ${TRAIL_SPECIAL} us-east-1`, 'PASS'],
      ],
    );
    assert.deepEqual(diff.unconfirmed.map((c) => [key(c.before), c.now.status]), [[`CloudTrail.6 ${BUCKET_CROSS} us-east-1`, 'UNKNOWN']]);
    assert.deepEqual(diff.gone.map(key), [`CloudTrail.4 arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/deleted us-east-1`]);
    // The baseline's suppressed FAIL (legacy) was not a failure: it is nowhere.
    const everywhere = [...diff.fixed, ...diff.unconfirmed].map((c) => c.before.resource.id).concat(diff.gone.map((f) => f.resource.id));
    assert.ok(!everywhere.includes(TRAIL_LEGACY));
  });

  it('matches a resource whose region could not be read this time, but never an account-keyed one', () => {
    const before = makeFinding({ checkId: 'CloudTrail.6', status: 'FAIL', resource: { type: 'AWS::S3::Bucket', id: BUCKET_DENIED, accountId: ACCOUNT, region: 'us-east-1' } });
    const now: Finding = { ...before, resource: { ...before.resource, region: 'unknown' } };
    assert.deepEqual(diffFailures([now], [before]).stillFailing, [now]);
    const regionBefore = makeFinding({ checkId: 'CloudTrail.3', status: 'FAIL', resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'us-east-1' } });
    const regionNow: Finding = { ...regionBefore, resource: { ...regionBefore.resource, region: 'eu-west-1' } };
    const diff = diffFailures([regionNow], [regionBefore]);
    assert.deepEqual(diff.newFailures, [regionNow]);
    assert.equal(diff.gone.length, 1);
  });

  it('gives every current FAIL and UNKNOWN a baseline state, and nothing else', () => {
    const states = baselineStates(FINDINGS, baseline.findings);
    const byKey = Object.fromEntries([...states].map(([f, state]) => [key(f), state]));
    assert.deepEqual(byKey, {
      [`CloudTrail.1 ${ACCOUNT} global`]: 'unchanged',
      // PASS before: not a result then.
      [`CloudTrail.3 ${ACCOUNT} us-east-1`]: 'new',
      [`CloudTrail.4 ${TRAIL_PIPE} us-east-1`]: 'unchanged',
      // Suppressed FAIL then and now.
      [`CloudTrail.4 ${TRAIL_LEGACY} us-east-1`]: 'unchanged',
      // FAIL then, UNKNOWN now.
      [`CloudTrail.6 ${BUCKET_CROSS} us-east-1`]: 'updated',
      [`CloudTrail.6 ${BUCKET_DENIED} us-east-1`]: 'new',
      [`CloudTrail.6 ${BUCKET_SUPPRESSED} us-west-2`]: 'new',
    });
  });

  it('a FAIL that was suppressed before and is not now is updated', () => {
    const legacy = FINDINGS.find((f) => f.resource.id === TRAIL_LEGACY)!;
    const open: Finding = { ...legacy, suppressed: null };
    assert.equal(baselineStates([open], baseline.findings).get(open), 'updated');
  });
});

describe('SARIF baselineState', () => {
  it('is written on every result with --baseline, and only then; the log stays schema-valid', () => {
    const withBaseline = JSON.parse(formatSarif(FINDINGS, makeContext({ baseline }))) as {
      runs: { results: { ruleId: string; baselineState?: string; properties: { resourceId: string; region: string } }[] }[];
    };
    const results = withBaseline.runs[0]!.results;
    // The same states as baselineStates gives (one implementation), keyed the same way.
    const expected = new Map([...baselineStates(FINDINGS, baseline.findings)].map(([f, state]) => [key(f), state]));
    assert.equal(results.length, expected.size);
    for (const r of results) {
      assert.equal(r.baselineState, expected.get(`${r.ruleId} ${r.properties.resourceId} ${r.properties.region}`), r.properties.resourceId);
    }
    assert.deepEqual(results.map((r) => r.baselineState).sort(), ['new', 'new', 'new', 'unchanged', 'unchanged', 'unchanged', 'updated']);
    assert.deepEqual(sarifSchemaErrors(withBaseline), []);
    const without = JSON.parse(formatSarif(FINDINGS, makeContext())) as { runs: { results: object[] }[] };
    assert.ok(without.runs[0]!.results.every((r) => !('baselineState' in r)));
  });
});
