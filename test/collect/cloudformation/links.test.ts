import { strict as assert } from 'node:assert';
import type { BucketFacts } from '../../../src/facts/model.js';
import { isUnknown } from '../../../src/facts/model.js';
import { findingOf, lineOf, scanFixture } from './helpers.js';

/** links.yaml: one trail per way of naming a bucket. */
describe('CloudFormation trail → bucket links', () => {
  const scan = scanFixture('links.yaml');
  const buckets = scan.collection.facts.buckets as BucketFacts[];
  const bucket = (id: string): BucketFacts => {
    const found = buckets.find((b) => b.ref.id === id);
    assert.ok(found !== undefined, `bucket ${id} collected`);
    return found;
  };

  it('Ref, GetAtt, Sub and Join name the declared bucket they point at', () => {
    assert.deepEqual(bucket('BucketA').trailArns, ['ByRef']);
    assert.deepEqual(bucket('BucketB').trailArns, ['ByGetAtt']);
    assert.deepEqual(bucket('BucketD').trailArns, ['ByJoin']);
  });

  it('one BucketFacts per distinct bucket: !Sub "${BucketC}" and !Sub [${Name}, {Name: !Ref BucketC}] share one', () => {
    assert.deepEqual(bucket('BucketC').trailArns, ['BySub', 'BySubMap']);
    assert.equal(buckets.filter((b) => b.ref.id === 'BucketC').length, 1);
  });

  it('a literal name links to the bucket declaring that BucketName; the trail reports the name', () => {
    assert.deepEqual(bucket('BucketE').trailArns, ['ByLiteral']);
    assert.equal(bucket('BucketE').name, 'named-logs');
    const trail = scan.collection.facts.trails.find((t) => t.ref.id === 'ByLiteral');
    assert.equal(trail?.s3BucketName, 'named-logs');
  });

  it('an expression written exactly like a bucket’s BucketName names that bucket', () => {
    assert.deepEqual(bucket('BucketF').trailArns, ['BySameExpression']);
  });

  it('resolved buckets are judged: PASS for CloudTrail.6, FAIL for CloudTrail.7 (no logging declared)', () => {
    const six = findingOf(scan, 'CloudTrail.6', 'BucketA');
    assert.equal(six.status, 'PASS');
    assert.equal(six.location?.line, lineOf(scan.text, '  BucketA:'));
    assert.equal(findingOf(scan, 'CloudTrail.7', 'BucketA').status, 'FAIL');
  });

  it('a parameter naming the bucket → UNKNOWN(not_found) on both bucket checks, located at S3BucketName', () => {
    for (const checkId of ['CloudTrail.6', 'CloudTrail.7']) {
      const finding = findingOf(scan, checkId, '!Ref LogBucketName');
      assert.equal(finding.status, 'UNKNOWN');
      assert.equal(finding.reason, 'not_found');
      assert.match(finding.message, /parameter LogBucketName/);
      assert.match(finding.message, /declared elsewhere/);
      assert.equal(finding.location?.line, lineOf(scan.text, 'S3BucketName: !Ref LogBucketName'));
    }
  });

  it('a literal name of a bucket not declared here → UNKNOWN(not_found), id = the name', () => {
    const finding = findingOf(scan, 'CloudTrail.6', 'other-account-logs');
    assert.equal(finding.status, 'UNKNOWN');
    assert.equal(finding.reason, 'not_found');
    assert.equal(finding.resource.name, 'other-account-logs');
    assert.equal(finding.location?.line, lineOf(scan.text, 'S3BucketName: other-account-logs'));
  });

  it('!ImportValue and a condition choosing between buckets → UNKNOWN(unsupported), never PASS', () => {
    const imported = findingOf(scan, 'CloudTrail.6', '!ImportValue shared-log-bucket');
    assert.equal(imported.status, 'UNKNOWN');
    assert.equal(imported.reason, 'unsupported');
    const conditional = findingOf(scan, 'CloudTrail.7', '!If [UseA, !Ref BucketA, !Ref BucketB]');
    assert.equal(conditional.status, 'UNKNOWN');
    assert.equal(conditional.reason, 'unsupported');
    assert.match(conditional.message, /condition UseA/);
  });

  it('stand-in buckets carry Unknown facts, not defaults', () => {
    const standIn = bucket('!ImportValue shared-log-bucket');
    assert.ok(isUnknown(standIn.publicAccess));
    assert.ok(isUnknown(standIn.logging));
    assert.ok(isUnknown(standIn.acl));
    assert.deepEqual(standIn.trailArns, ['ByImport']);
  });

  it('every bucket check finding is PASS, FAIL or UNKNOWN — eleven trails, ten distinct buckets', () => {
    assert.equal(scan.collection.facts.trails.length, 11);
    assert.equal(buckets.length, 10);
    const statuses = scan.findings.filter((f) => f.checkId === 'CloudTrail.6').map((f) => f.status);
    assert.equal(statuses.filter((s) => s === 'PASS').length, 6);
    assert.equal(statuses.filter((s) => s === 'UNKNOWN').length, 4);
  });
});
