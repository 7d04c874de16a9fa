import { strict as assert } from 'node:assert';
import { DEPLOYMENT_REGION } from '../../../src/collect/iac/types.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import type { FactSet } from '../../../src/facts/model.js';
import { assertFinding, defaultChecks, findingOf, lineOf, scanFixture, TODAY } from './helpers.js';

/**
 * Every check, passing and failing, on CloudFormation YAML and JSON (one CDK synth output among
 * them), through the real engine and the shipped checks. Locations must name the property that
 * decided the verdict, or the resource when the property is absent (a default applied).
 */
describe('CloudFormation templates through the checks', () => {
  describe('YAML, compliant (compliant.yaml)', () => {
    const scan = scanFixture('compliant.yaml');
    const after = 'ManagementTrail:';

    it('CloudTrail.1 and .3 PASS on the template: a declared multi-Region logging trail proves them', () => {
      const one = assertFinding(scan, 'CloudTrail.1', { status: 'PASS', resourceId: '(template)', line: 1 });
      assert.equal(one.resource.type, 'AWS::::Account');
      const three = assertFinding(scan, 'CloudTrail.3', { status: 'PASS', resourceId: '(template)', line: 1 });
      assert.equal(three.resource.region, DEPLOYMENT_REGION);
    });

    it('CloudTrail.2/4/5/9 PASS on the trail, located at KMSKeyId, EnableLogFileValidation, CloudWatchLogsLogGroupArn, Tags', () => {
      assertFinding(scan, 'CloudTrail.2', { status: 'PASS', resourceId: 'ManagementTrail', line: lineOf(scan.text, 'KMSKeyId:') });
      assertFinding(scan, 'CloudTrail.4', { status: 'PASS', resourceId: 'ManagementTrail', line: lineOf(scan.text, 'EnableLogFileValidation: true') });
      assertFinding(scan, 'CloudTrail.5', { status: 'PASS', resourceId: 'ManagementTrail', line: lineOf(scan.text, 'CloudWatchLogsLogGroupArn:') });
      const nine = assertFinding(scan, 'CloudTrail.9', { status: 'PASS', resourceId: 'ManagementTrail', line: lineOf(scan.text, 'Tags:', after) });
      // aws: system tags do not count as user tags.
      assert.deepEqual(nine.evidence.userTagKeys, ['owner']);
      assert.equal(nine.resource.name, 'management-events');
    });

    it('CloudTrail.6/7 PASS on the linked bucket, located at its Block Public Access and logging configuration', () => {
      const six = assertFinding(scan, 'CloudTrail.6', { status: 'PASS', resourceId: 'LogBucket', line: lineOf(scan.text, 'PublicAccessBlockConfiguration:') });
      assert.deepEqual(six.evidence.trailArns, ['ManagementTrail']);
      assert.equal(six.resource.name, 'org-trail-logs');
      const seven = assertFinding(scan, 'CloudTrail.7', { status: 'PASS', resourceId: 'LogBucket', line: lineOf(scan.text, 'LoggingConfiguration:') });
      assert.deepEqual(seven.evidence.logging, { targetBucket: '!Ref AccessLogBucket', targetPrefix: 'cloudtrail/' });
    });

    it('CloudTrail.10 PASS on the event data store, located at KmsKeyId', () => {
      assertFinding(scan, 'CloudTrail.10', { status: 'PASS', resourceId: 'Lake', line: lineOf(scan.text, 'KmsKeyId:') });
    });

    it('columns point at the property key', () => {
      const finding = findingOf(scan, 'CloudTrail.4');
      assert.equal(finding.location?.column, 7);
      assert.equal(finding.resource.location?.column, 3);
      assert.equal(finding.resource.location.line, lineOf(scan.text, '  ManagementTrail:'));
    });
  });

  describe('YAML, non-compliant (noncompliant.yaml, stopped.yaml)', () => {
    const scan = scanFixture('noncompliant.yaml');
    const trailLine = lineOf(scan.text, '  LocalTrail:');

    it('CloudTrail.1 is NOT_APPLICABLE, never FAIL, when the only trail is single-Region (the file shows part of an account)', () => {
      const finding = assertFinding(scan, 'CloudTrail.1', { status: 'NOT_APPLICABLE', resourceId: '(template)', line: 1 });
      assert.match(finding.message, /live audit/);
    });

    it('CloudTrail.1 FAILs on the same facts when the files are declared to be the whole account', () => {
      const facts: FactSet = { ...scan.collection.facts, account: { ...scan.collection.facts.account, scope: 'account' } };
      const { findings } = evaluate({ checks: defaultChecks(), facts, suppressions: [], today: TODAY });
      assert.equal(findings.find((f) => f.checkId === 'CloudTrail.1')?.status, 'FAIL');
    });

    it('CloudTrail.2/5 FAIL at the trail (property absent: default applied)', () => {
      assertFinding(scan, 'CloudTrail.2', { status: 'FAIL', resourceId: 'LocalTrail', line: trailLine });
      assertFinding(scan, 'CloudTrail.5', { status: 'FAIL', resourceId: 'LocalTrail', line: trailLine });
    });

    it('CloudTrail.4 FAILs at EnableLogFileValidation: false; CloudTrail.9 at Tags holding only aws: tags', () => {
      assertFinding(scan, 'CloudTrail.4', { status: 'FAIL', resourceId: 'LocalTrail', line: lineOf(scan.text, 'EnableLogFileValidation: false') });
      const nine = assertFinding(scan, 'CloudTrail.9', { status: 'FAIL', resourceId: 'LocalTrail', line: lineOf(scan.text, 'Tags:') });
      assert.deepEqual(nine.evidence.userTagKeys, []);
    });

    it('CloudTrail.6 FAILs at AccessControl: PublicRead; CloudTrail.7 at the bucket (no LoggingConfiguration)', () => {
      const six = assertFinding(scan, 'CloudTrail.6', { status: 'FAIL', resourceId: 'LogBucket', line: lineOf(scan.text, 'AccessControl: PublicRead') });
      assert.deepEqual(six.evidence['publicAccess.via'], ['acl']);
      assertFinding(scan, 'CloudTrail.7', { status: 'FAIL', resourceId: 'LogBucket', line: lineOf(scan.text, '  LogBucket:') });
    });

    it('CloudTrail.10 FAILs at the event data store without KmsKeyId', () => {
      assertFinding(scan, 'CloudTrail.10', { status: 'FAIL', resourceId: 'PlainLake', line: lineOf(scan.text, '  PlainLake:') });
    });

    it('CloudTrail.3 is NOT_APPLICABLE (not PASS) when the only trail is not logging', () => {
      const stopped = scanFixture('stopped.yaml');
      assertFinding(stopped, 'CloudTrail.3', { status: 'NOT_APPLICABLE', resourceId: '(template)', line: 1 });
      assertFinding(stopped, 'CloudTrail.1', { status: 'NOT_APPLICABLE', resourceId: '(template)', line: 1 });
      // …while the logging trail of noncompliant.yaml does cover the deployment Region.
      assertFinding(scan, 'CloudTrail.3', { status: 'PASS', resourceId: '(template)', line: 1 });
    });
  });

  describe('JSON, CDK synth output (cdk-compliant.template.json)', () => {
    const scan = scanFixture('cdk-compliant.template.json');
    const trail = 'TrailC0ADA1DF';

    it('CloudTrail.1 and .3 PASS (empty EventSelectors list = the AWS default selector)', () => {
      assertFinding(scan, 'CloudTrail.1', { status: 'PASS', resourceId: '(template)', line: 1 });
      assertFinding(scan, 'CloudTrail.3', { status: 'PASS', resourceId: '(template)', line: 1 });
    });

    it('CloudTrail.2/4/5/9 PASS on the trail by logical id, located at the JSON keys', () => {
      assertFinding(scan, 'CloudTrail.2', { status: 'PASS', resourceId: trail, line: lineOf(scan.text, '"KMSKeyId"') });
      assertFinding(scan, 'CloudTrail.4', { status: 'PASS', resourceId: trail, line: lineOf(scan.text, '"EnableLogFileValidation"') });
      assertFinding(scan, 'CloudTrail.5', { status: 'PASS', resourceId: trail, line: lineOf(scan.text, '"CloudWatchLogsLogGroupArn"') });
      assertFinding(scan, 'CloudTrail.9', { status: 'PASS', resourceId: trail, line: lineOf(scan.text, '"Tags"') });
    });

    it('CloudTrail.6 PASS: the CDK bucket policy (Deny *, CloudTrail service statements with Fn::Join SourceArn) is not public', () => {
      const bucketLine = lineOf(scan.text, '"PublicAccessBlockConfiguration"', '"TrailS3B3B2D3A1"');
      assertFinding(scan, 'CloudTrail.6', { status: 'PASS', resourceId: 'TrailS3B3B2D3A1', line: bucketLine });
      const bucket = scan.collection.facts.buckets[0] as { policy?: unknown };
      assert.equal(typeof bucket.policy, 'string');
      assert.match(bucket.policy as string, /arn:<AWS::Partition>:cloudtrail:<AWS::Region>:<AWS::AccountId>:trail\/audit-trail/);
    });

    it('CloudTrail.7 PASS at LoggingConfiguration; CloudTrail.10 PASS at KmsKeyId', () => {
      assertFinding(scan, 'CloudTrail.7', { status: 'PASS', resourceId: 'TrailS3B3B2D3A1', line: lineOf(scan.text, '"LoggingConfiguration"') });
      const line = lineOf(scan.text, '"KmsKeyId"', '"Lake"');
      const ten = assertFinding(scan, 'CloudTrail.10', { status: 'PASS', resourceId: 'Lake', line });
      // Several keys share this JSON line: the column tells them apart.
      assert.equal(ten.location?.column, scan.text.split('\n')[line - 1]!.indexOf('"KmsKeyId"') + 1);
    });

    it('ignores resource types it does not audit (CDKMetadata, KMS keys, roles)', () => {
      const facts = scan.collection.facts;
      assert.equal(facts.trails.length, 1);
      assert.equal(facts.buckets.length, 1);
      assert.equal(facts.eventDataStores.length, 1);
    });
  });

  describe('JSON, hand-written non-compliant (noncompliant.json, stopped.json)', () => {
    const scan = scanFixture('noncompliant.json');
    const trailLine = lineOf(scan.text, '"RegionalTrail"');

    it('CloudTrail.1 NOT_APPLICABLE with the reason in evidence: a WriteOnly selector is not all management events', () => {
      const finding = assertFinding(scan, 'CloudTrail.1', { status: 'NOT_APPLICABLE', resourceId: '(template)', line: 1 });
      const trails = finding.evidence.trails as { 'managementEvents.explanation': string }[];
      assert.match(trails[0]!['managementEvents.explanation'], /WriteOnly/);
    });

    it('CloudTrail.2 FAILs at the trail (KMSKeyId: Ref AWS::NoValue is no key); CloudTrail.4 at the trail (default false)', () => {
      assertFinding(scan, 'CloudTrail.2', { status: 'FAIL', resourceId: 'RegionalTrail', line: trailLine });
      assertFinding(scan, 'CloudTrail.4', { status: 'FAIL', resourceId: 'RegionalTrail', line: trailLine });
    });

    it('CloudTrail.5 FAILs at an empty CloudWatchLogsLogGroupArn; CloudTrail.9 at an empty Tags list', () => {
      assertFinding(scan, 'CloudTrail.5', { status: 'FAIL', resourceId: 'RegionalTrail', line: lineOf(scan.text, '"CloudWatchLogsLogGroupArn"') });
      assertFinding(scan, 'CloudTrail.9', { status: 'FAIL', resourceId: 'RegionalTrail', line: lineOf(scan.text, '"Tags"') });
    });

    it('CloudTrail.6 FAILs at the public bucket policy resource (Principal * without a condition)', () => {
      const six = assertFinding(scan, 'CloudTrail.6', { status: 'FAIL', resourceId: 'SharedLogs', line: lineOf(scan.text, '"SharedLogsPolicy"') });
      assert.deepEqual(six.evidence['publicAccess.via'], ['policy']);
    });

    it('CloudTrail.7 FAILs at the bucket; CloudTrail.10 at the event data store; CloudTrail.3 PASSes (IsLogging "true" is a boolean)', () => {
      assertFinding(scan, 'CloudTrail.7', { status: 'FAIL', resourceId: 'SharedLogs', line: lineOf(scan.text, '"SharedLogs"') });
      assertFinding(scan, 'CloudTrail.10', { status: 'FAIL', resourceId: 'OpenLake', line: lineOf(scan.text, '"OpenLake"') });
      assertFinding(scan, 'CloudTrail.3', { status: 'PASS', resourceId: '(template)', line: 1 });
    });

    it('CloudTrail.3 is NOT_APPLICABLE for a trail with IsLogging false; a literal bucket name links the bucket', () => {
      const stopped = scanFixture('stopped.json');
      assertFinding(stopped, 'CloudTrail.3', { status: 'NOT_APPLICABLE', resourceId: '(template)', line: 1 });
      assertFinding(stopped, 'CloudTrail.7', { status: 'FAIL', resourceId: 'Logs', line: lineOf(stopped.text, '"Logs"') });
    });
  });
});
